package tsok_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

// keygenRequest is a gencertreq call with every required field set.
func keygenRequest() tsok.KeygenRequest {
	return tsok.KeygenRequest{
		KeyParam: tsok.KeyParam{
			IterationCount: 10000,
			Passwords:      []string{"пароль-1", "пароль-2", "пароль-3", "пароль-4", "пароль-5"},
		},
		CertReqParam: tsok.CertReqParam{CertInfo: tsok.CertInfo{
			CommonName:     "kpsis.vector.by",
			Description:    "КПСИС системы «Вектор-Онлайн»",
			Organization:   "ОАО «Вектор»",
			Locality:       "г. Минск",
			Street:         "ул. Сурганова, д. 2",
			Email:          "admin@vector.by",
			SubjectAltName: []string{"kpsis.vector.by"},
		}},
	}
}

func startKeygen(t *testing.T) (*kpsis.Keygen, *fault.Switch, *tsok.KeygenClient) {
	t.Helper()
	sw := &fault.Switch{}
	g := kpsis.NewKeygen(kpsis.KeygenConfig{Switch: sw})
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, sw, &tsok.KeygenClient{URL: srv.URL, HTTPClient: srv.Client()}
}

func TestGenerateRequestFromFake(t *testing.T) {
	tests := []struct {
		name     string
		response kpsis.KeygenResponse
		format   *tsok.ResponseFormat
	}{
		{"base64 DER in cert_req", kpsis.KeygenResponse{}, nil},
		{"PEM in cert_req", kpsis.KeygenResponse{PEM: true}, nil},
		{"configured field", kpsis.KeygenResponse{Field: "request_file"},
			&tsok.ResponseFormat{RequestFields: []string{"csr", "request_file"},
				StatusField: "err"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _, client := startKeygen(t)
			g.SetResponse(tt.response)
			client.Format = tt.format

			got, err := client.GenerateRequest(context.Background(), keygenRequest())
			require.NoError(t, err)
			assert.NoError(t, got.Request.CheckSignature())
			assert.NotNil(t, g.Key(got.Request.PublicKey), "the fake keeps the generated key")
			assert.Contains(t, got.Response, "err")

			violations, err := tsok.CheckProfile(got.Request, nil)
			assert.NoError(t, err)
			assert.Empty(t, violations)
		})
	}
}

func TestGenerateRequestResponseOfOtherShape(t *testing.T) {
	g, _, client := startKeygen(t)
	g.SetResponse(kpsis.KeygenResponse{Field: "request_file"})

	_, err := client.GenerateRequest(context.Background(), keygenRequest())
	require.ErrorIs(t, err, tsok.ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), `expected the certificate request as PEM or base64 DER in `+
		`field "cert_req"`)
	assert.Contains(t, err.Error(), `the response has fields "err", "request_file"`)
}

func TestGenerateRequestMalformedResponses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
		text   string
	}{
		{"not JSON", 200, "<html>ok</html>", tsok.ErrUnexpectedResponse, "expected a JSON object"},
		{"JSON array", 200, `["cert_req"]`, tsok.ErrUnexpectedResponse, "expected a JSON object"},
		{"request is a number", 200, `{"err":"0","cert_req":5}`, tsok.ErrUnexpectedResponse,
			`field "cert_req" is JSON number`},
		{"request is not a request", 200, `{"err":"0","cert_req":"aGVsbG8="}`,
			tsok.ErrUnexpectedResponse, `field "cert_req": tsok: request is neither`},
		{"error code as number", 200, `{"err":3,"error_description":"нет ключа"}`, nil,
			`returned error "3" to gencertreq: нет ключа (HTTP 200)`},
		{"maintenance", 503, `{"err":"maintenance"}`, ifyul.ErrMaintenance, "maintenance"},
		{"server error without body", 502, ``, ifyul.ErrKPSISUnavailable, "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			respond := func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(respond))
			defer srv.Close()
			client := &tsok.KeygenClient{URL: srv.URL}

			_, err := client.GenerateRequest(context.Background(), keygenRequest())
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
			assert.Contains(t, err.Error(), tt.text)
		})
	}
}

func TestGenerateRequestTamperedSignature(t *testing.T) {
	_, _, client := startKeygen(t)
	got, err := client.GenerateRequest(context.Background(), keygenRequest())
	require.NoError(t, err)
	der := append([]byte(nil), got.Request.Raw...)
	der[len(der)-1] ^= 1

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"err": "0",
			"cert_req": string(tsok.EncodePEM(der))})
	}))
	defer srv.Close()
	_, err = (&tsok.KeygenClient{URL: srv.URL}).GenerateRequest(context.Background(),
		keygenRequest())
	assert.ErrorIs(t, err, tsok.ErrBadSignature)
}

func TestGenerateRequestInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *tsok.KeygenRequest)
		want   string
	}{
		{"security level 256", func(r *tsok.KeygenRequest) { r.KeyParam.SecurityLevel = 256 },
			"key_param.security_level 256"},
		{"few iterations", func(r *tsok.KeygenRequest) { r.KeyParam.IterationCount = 5000 },
			"key_param.iteration_count 5000"},
		{"threshold above users", func(r *tsok.KeygenRequest) { r.KeyParam.Threshold = 6 },
			"key_param.treshold_num 6"},
		{"four passwords", func(r *tsok.KeygenRequest) {
			r.KeyParam.Passwords = r.KeyParam.Passwords[:4]
		}, "key_param.passwords has 4 entries"},
		{"empty password", func(r *tsok.KeygenRequest) { r.KeyParam.Passwords[2] = "" },
			"key_param.passwords[2] is empty"},
		{"repeated password", func(r *tsok.KeygenRequest) {
			r.KeyParam.Passwords[4] = r.KeyParam.Passwords[0]
		}, "key_param.passwords[4] repeats passwords[0]"},
		{"no locality", func(r *tsok.KeygenRequest) { r.CertReqParam.CertInfo.Locality = " " },
			"cert_req_param.cert_info.locality is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, client := startKeygen(t)
			req := keygenRequest()
			tt.change(&req)
			_, err := client.GenerateRequest(context.Background(), req)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "пароль-1", "errors never show passwords")
		})
	}
}

func TestGenerateRequestRejectedByKPSIS(t *testing.T) {
	_, _, client := startKeygen(t)
	req := keygenRequest()
	req.CertReqParam.Type = "person"

	_, err := client.GenerateRequest(context.Background(), req)
	var kerr *tsok.KPSISError
	require.True(t, errors.As(err, &kerr), "got %v", err)
	assert.Equal(t, "invalid_request", kerr.Code)
	assert.Contains(t, kerr.Description, `cert_req_param.type "person"`)
}

func TestGenerateRequestBadURL(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:9999", "ftp://127.0.0.1"} {
		_, err := (&tsok.KeygenClient{URL: u}).GenerateRequest(context.Background(),
			keygenRequest())
		require.Error(t, err, u)
		assert.Contains(t, err.Error(), "KeygenClient.URL", u)
	}
}

// TestGenerateRequestStackModes calls the key-generation API of the whole
// fake stack in each mode of the КПСИС's failure switch.
func TestGenerateRequestStackModes(t *testing.T) {
	st, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	defer st.Close()
	client := &tsok.KeygenClient{URL: st.KeygenURL}

	tests := []struct {
		mode fault.Mode
		want error
	}{
		{fault.Healthy, nil},
		{fault.Maintenance, ifyul.ErrMaintenance},
		{fault.Suspended, ifyul.ErrAccessSuspended},
		{fault.Down, ifyul.ErrKPSISUnavailable},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			st.KPSISSwitch.Set(tt.mode)
			defer st.KPSISSwitch.Set(fault.Healthy)

			got, err := client.GenerateRequest(context.Background(), keygenRequest())
			if tt.want == nil {
				require.NoError(t, err)
				assert.True(t, strings.HasPrefix(got.Field, "cert_req"))
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
