package ifyul

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeJSONContentTypes(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		wantErr     string
	}{
		{"application/json", "application/json", ""},
		{"with charset", "application/json; charset=utf-8", ""},
		{"upper case", "Application/JSON", ""},
		{"text/plain holding JSON", "text/plain", ""},
		{"text/plain with charset", "text/plain; charset=utf-8", ""},
		{"JWK set", "application/jwk-set+json", ""},
		{"absent", "", ""},
		{"HTML", "text/html", `content type "text/html" is not JSON`},
		{"HTML with charset", "text/html; charset=utf-8",
			`content type "text/html; charset=utf-8" is not JSON`},
		{"XML", "application/xml", `content type "application/xml" is not JSON`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var answer kpsisLoginAnswer
			err := decodeJSON(tc.contentType, []byte(`{"err": "0", "code_verifier": "v"}`),
				&answer)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, kpsisStatus("0"), answer.Err)
			assert.Equal(t, "v", answer.CodeVerifier)
		})
	}
}

func TestDecodeJSONMalformed(t *testing.T) {
	cases := []struct {
		name string
		body string
		// wantText lists parts the message must contain.
		wantText []string
	}{
		{"empty body", ``, []string{"invalid JSON at offset 0"}},
		{"truncated object", `{"err": "0", "id_token": "ey`,
			[]string{"invalid JSON at offset 28"}},
		{"missing value", `{"err": }`, []string{"invalid JSON at offset 9", "'}'"}},
		{"text after the object", `{"err": "0"} trailing`,
			[]string{"invalid JSON at offset 14", "after top-level value"}},
		{"HTML error page", `<html>Bad Gateway</html>`,
			[]string{"invalid JSON at offset 1", "'<'"}},
		{"id_token is a number", `{"err": "0", "id_token": 5}`,
			[]string{`field "id_token"`, "expected string", "got JSON number", "offset 26"}},
		{"userinfo is an array", `{"err": "0", "userinfo": ["a"]}`,
			[]string{`field "userinfo"`, "got JSON array", "offset 26"}},
		{"err is a boolean", `{"err": true}`,
			[]string{"err is neither a string nor a number", "true"}},
		{"err is an object", `{"err": {"code": 3}}`,
			[]string{"err is neither a string nor a number"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var answer kpsisCallbackAnswer
			err := decodeJSON("application/json", []byte(tc.body), &answer)
			require.Error(t, err)
			for _, text := range tc.wantText {
				assert.Contains(t, err.Error(), text)
			}
		})
	}
}

func TestKPSISStatus(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		want    kpsisStatus
		wantErr bool
	}{
		{"string zero", `"0"`, "0", false},
		{"number zero", `0`, "0", false},
		{"string three", `"3"`, "3", false},
		{"number three", `3`, "3", false},
		{"negative number", `-1`, "-1", false},
		{"word", `"maintenance"`, "maintenance", false},
		{"null", `null`, "", false},
		{"true", `true`, "", true},
		{"false", `false`, "", true},
		{"array", `[0]`, "", true},
		{"object", `{}`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var answer kpsisAnswer
			err := decodeJSON("application/json", []byte(`{"err": `+tc.raw+`}`), &answer)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "err is neither a string nor a number")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, answer.Err)
		})
	}
}

func TestKPSISStatusAbsent(t *testing.T) {
	var answer kpsisLoginAnswer
	require.NoError(t, decodeJSON("application/json", []byte(`{"code_verifier": "v"}`), &answer))
	assert.Equal(t, kpsisStatus(""), answer.Err)
}

func TestProtocolErrorMessage(t *testing.T) {
	cases := []struct {
		name string
		err  *ProtocolError
		want string
	}{
		{"code only", &ProtocolError{Source: "provider", Code: "access_denied"},
			`ifyul: provider returned error "access_denied"`},
		{"with description",
			&ProtocolError{Source: "provider", Code: "access_denied", Description: "cancelled"},
			`ifyul: provider returned error "access_denied": cancelled`},
		{"with HTTP status",
			&ProtocolError{Source: "КПСИС", Code: "maintenance", HTTPStatus: 503},
			`ifyul: КПСИС returned error "maintenance" (HTTP 503)`},
		{"with everything", &ProtocolError{Source: "КПСИС", Code: "3",
			Description: "no card reader", URI: "https://example.com/3", HTTPStatus: 400},
			`ifyul: КПСИС returned error "3": no card reader (HTTP 400)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, tc.err, tc.want)
		})
	}
}

// newTestClient returns a Client for the КПСИС flow that reaches nothing
// until a test points it somewhere.
func newTestClient(t testing.TB, adjust func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		ClientID:    "client",
		RedirectURL: "http://127.0.0.1:1/callback",
		KPSISURL:    "http://127.0.0.1:1",
	}
	if adjust != nil {
		adjust(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

func TestClassifyErrorCodes(t *testing.T) {
	errCustom := errors.New("custom")
	cases := []struct {
		name   string
		source string
		code   string
		status int
		want   error
	}{
		{"access denied", sourceProvider, "access_denied", 0, ErrAccessDenied},
		{"maintenance from the КПСИС", sourceKPSIS, "maintenance", 503, ErrMaintenance},
		{"access suspended", sourceProvider, "access_suspended", 403, ErrAccessSuspended},
		{"provider unavailable", sourceKPSIS, "provider_unavailable", 0, ErrProviderUnavailable},
		{"state mismatch", sourceKPSIS, "state_mismatch", 0, ErrStateMismatch},
		{"unconfirmed request", sourceProvider, "unconfirmed_request", 0,
			ErrClientProgramNotConfirmed},
		{"invalid token", sourceKPSIS, "invalid_token", 0, ErrInvalidToken},
		{"configured code", sourceKPSIS, "3", 0, errCustom},
		{"configured code wins over the default", sourceProvider, "temporarily_unavailable",
			0, ErrMaintenance},
		{"code wins over the HTTP status", sourceKPSIS, "access_denied", 500, ErrAccessDenied},
		{"unknown code from the КПСИС with HTTP 500", sourceKPSIS, "boom", 500,
			ErrKPSISUnavailable},
		{"unknown code from the provider with HTTP 502", sourceProvider, "boom", 502,
			ErrProviderUnavailable},
		{"unknown code with HTTP 400", sourceKPSIS, "boom", 400, nil},
		{"unknown code in a redirect", sourceProvider, "boom", 0, nil},
	}
	c := newTestClient(t, func(cfg *Config) {
		cfg.ErrorCodes = map[string]error{
			"3":                       errCustom,
			"temporarily_unavailable": ErrMaintenance,
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pe := c.classify(tc.source, tc.code, "description", tc.status)
			assert.Equal(t, tc.source, pe.Source)
			assert.Equal(t, tc.code, pe.Code)
			assert.Equal(t, "description", pe.Description)
			assert.Equal(t, tc.status, pe.HTTPStatus)
			if tc.want == nil {
				assert.NoError(t, pe.Unwrap())
				return
			}
			assert.ErrorIs(t, pe, tc.want)
			assert.Equal(t, tc.want, pe.Unwrap())
		})
	}
}

func TestDoErrorResponses(t *testing.T) {
	cases := []struct {
		name        string
		source      string
		status      int
		contentType string
		body        string
		want        error
		wantCode    string
		wantText    []string
	}{
		{"КПСИС HTTP 500 without a code", sourceKPSIS, 500, "", "",
			ErrKPSISUnavailable, "Internal Server Error", []string{"(HTTP 500)"}},
		{"provider HTTP 502 without a code", sourceProvider, 502, "text/html",
			"<html>Bad Gateway</html>", ErrProviderUnavailable, "Bad Gateway",
			[]string{"(HTTP 502)"}},
		{"КПСИС HTTP 503 with an OAuth error", sourceKPSIS, 503, "application/json",
			`{"error": "maintenance", "error_description": "until 06:00"}`,
			ErrMaintenance, "maintenance", []string{"until 06:00", "(HTTP 503)"}},
		{"КПСИС HTTP 500 with its err field", sourceKPSIS, 500, "application/json",
			`{"err": 3}`, ErrKPSISUnavailable, "3", []string{`"3"`}},
		{"provider HTTP 403 suspended", sourceProvider, 403, "application/json",
			`{"error": "access_suspended"}`, ErrAccessSuspended, "access_suspended", nil},
		{"provider HTTP 404 without a code", sourceProvider, 404, "", "",
			nil, "Not Found", []string{"(HTTP 404)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			respond := func(w http.ResponseWriter, _ *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(respond))
			defer srv.Close()
			c := newTestClient(t, nil)

			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/x", nil)
			require.NoError(t, err)
			var out map[string]any
			err = c.do(req, tc.source, &out)

			var pe *ProtocolError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.source, pe.Source)
			assert.Equal(t, tc.wantCode, pe.Code)
			assert.Equal(t, tc.status, pe.HTTPStatus)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			} else {
				assert.NoError(t, pe.Unwrap())
			}
			for _, text := range tc.wantText {
				assert.Contains(t, err.Error(), text)
			}
		})
	}
}

func TestDoSuccessResponses(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        string
		wantErr     []string
	}{
		{"JSON", "application/json; charset=utf-8", `{"err": "0"}`, nil},
		{"text/plain holding JSON", "text/plain", `{"err": 0}`, nil},
		{"HTML", "text/html", `<html></html>`,
			[]string{"ifyul: КПСИС: ", "/api/v2/login", `"text/html" is not JSON`}},
		{"malformed JSON", "application/json", `{"err": "0"`,
			[]string{"ifyul: КПСИС: ", "/api/v2/login", "invalid JSON at offset 11"}},
		{"too large", "application/json",
			`{"err": "0", "pad": "` + strings.Repeat("x", maxAnswerSize) + `"}`,
			[]string{"/api/v2/login exceeds 1048576 bytes"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			respond := func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				_, _ = w.Write([]byte(tc.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(respond))
			defer srv.Close()
			c := newTestClient(t, nil)

			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
				srv.URL+"/api/v2/login", nil)
			require.NoError(t, err)
			var answer kpsisAnswer
			err = c.do(req, sourceKPSIS, &answer)
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, kpsisStatus("0"), answer.Err)
				return
			}
			require.Error(t, err)
			for _, text := range tc.wantErr {
				assert.Contains(t, err.Error(), text)
			}
		})
	}
}

func TestDoUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	target := srv.URL + "/api/v2/login"
	srv.Close()

	cases := []struct {
		source string
		want   error
	}{
		{sourceKPSIS, ErrKPSISUnavailable},
		{sourceProvider, ErrProviderUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.source, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, target, nil)
			require.NoError(t, err)
			err = newTestClient(t, nil).do(req, tc.source, nil)
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), "POST /api/v2/login")
		})
	}
}

func TestKPSISCallStatus(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		want     error
		wantText []string
	}{
		{"success as a number", `{"err": 0, "code_verifier": "v"}`, nil, nil},
		{"no card reader", `{"err": "3", "error_description": "no reader"}`, nil,
			[]string{`ifyul: КПСИС login: ifyul: КПСИС returned error "3": no reader`}},
		{"maintenance", `{"err": "maintenance"}`, ErrMaintenance,
			[]string{`"maintenance"`}},
		{"err missing", `{"code_verifier": "v"}`, nil,
			[]string{"ifyul: КПСИС login: ", `has no "err"`}},
		{"err null", `{"err": null}`, nil, []string{`has no "err"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			respond := func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "/api/v2/login", r.URL.Path)
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(respond))
			defer srv.Close()
			c := newTestClient(t, func(cfg *Config) { cfg.KPSISURL = srv.URL })

			var answer kpsisLoginAnswer
			err := (&kpsisFlow{c: c}).call(t.Context(), "login", map[string]any{}, &answer)
			if tc.wantText == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
			for _, text := range tc.wantText {
				assert.Contains(t, err.Error(), text)
			}
		})
	}
}
