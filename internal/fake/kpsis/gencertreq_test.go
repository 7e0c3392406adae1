package kpsis

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/fake/fault"
)

// gencertreqBody is a valid gencertreq call as a map, for cases to change.
func gencertreqBody() map[string]any {
	return map[string]any{
		"key_param": map[string]any{
			"security_level": 128, "iteration_count": 10000, "users_num": 5,
			"treshold_num": 3, "passwords": []string{"a1", "b2", "c3", "d4", "e5"},
		},
		"cert_req_param": map[string]any{
			"type": "service_and_tls",
			"cert_info": map[string]any{
				"common_name": "kpsis.vector.by", "description": "КПСИС «Вектор-Онлайн»",
				"organization": "ОАО «Вектор»", "state": "Брестская обл.",
				"locality": "г. Брест", "street": "ул. Советская, д. 1",
				"email": "admin@vector.by", "subject_alt_name": []string{"kpsis.vector.by",
					"10.0.0.5"},
			},
		},
		"save_to_file": false,
	}
}

func postGencertreq(t *testing.T, g *Keygen, body []byte) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, KeygenPath, bytes.NewReader(body)))
	var response map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &response), rec.Body.String())
	return rec.Code, response
}

func TestGencertreqGeneratesRequest(t *testing.T) {
	g := NewKeygen(KeygenConfig{})
	body, err := json.Marshal(gencertreqBody())
	require.NoError(t, err)

	code, response := postGencertreq(t, g, body)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "0", response["err"])
	encoded, ok := response["cert_req"].(string)
	require.True(t, ok, "cert_req is a string: %v", response)
	der, err := base64.StdEncoding.DecodeString(encoded)
	require.NoError(t, err)

	r, err := tsok.ParseRequest(der)
	require.NoError(t, err)
	assert.NoError(t, r.CheckSignature())
	violations, err := tsok.CheckProfile(r, nil)
	assert.NoError(t, err)
	assert.Empty(t, violations)
	require.Len(t, r.SubjectAltNames, 2)
	assert.Equal(t, "10.0.0.5", r.SubjectAltNames[1].Value)

	key := g.Key(r.PublicKey)
	require.NotNil(t, key, "the fake keeps the key it generated")
	assert.Equal(t, r.PublicKey, key.PublicKey().Bytes())
}

func TestGencertreqPEMResponse(t *testing.T) {
	g := NewKeygen(KeygenConfig{})
	g.SetResponse(KeygenResponse{Field: "request", PEM: true})
	body, err := json.Marshal(gencertreqBody())
	require.NoError(t, err)

	_, response := postGencertreq(t, g, body)
	text, ok := response["request"].(string)
	require.True(t, ok, "request is a string: %v", response)
	assert.True(t, strings.HasPrefix(text, "-----BEGIN CERTIFICATE REQUEST-----"))
	_, err = tsok.ParseRequest([]byte(text))
	assert.NoError(t, err)
}

func TestGencertreqRejectsInvalidInput(t *testing.T) {
	keyParam := func(b map[string]any) map[string]any { return b["key_param"].(map[string]any) }
	certInfo := func(b map[string]any) map[string]any {
		return b["cert_req_param"].(map[string]any)["cert_info"].(map[string]any)
	}
	tests := []struct {
		name   string
		change func(b map[string]any)
		raw    string
		want   string
	}{
		{name: "not JSON", raw: "{", want: "request body"},
		{name: "passwords not a list", raw: `{"key_param":{"passwords":"abc"}}`,
			want: "request body"},
		{name: "security level 256", change: func(b map[string]any) {
			keyParam(b)["security_level"] = 256
		}, want: "key_param.security_level 256"},
		{name: "few iterations", change: func(b map[string]any) {
			keyParam(b)["iteration_count"] = 100
		}, want: "key_param.iteration_count 100"},
		{name: "threshold zero", change: func(b map[string]any) {
			keyParam(b)["treshold_num"] = 0
		}, want: "key_param.treshold_num 0"},
		{name: "threshold above users", change: func(b map[string]any) {
			keyParam(b)["treshold_num"] = 6
		}, want: "key_param.treshold_num 6"},
		{name: "three passwords", change: func(b map[string]any) {
			keyParam(b)["passwords"] = []string{"a", "b", "c"}
		}, want: "key_param.passwords has 3 entries"},
		{name: "empty password", change: func(b map[string]any) {
			keyParam(b)["passwords"] = []string{"a", "b", "", "d", "e"}
		}, want: "key_param.passwords[2] is empty"},
		{name: "other type", change: func(b map[string]any) {
			b["cert_req_param"].(map[string]any)["type"] = "person"
		}, want: `cert_req_param.type "person"`},
		{name: "no common name", change: func(b map[string]any) {
			delete(certInfo(b), "common_name")
		}, want: "cert_req_param.cert_info.common_name is empty"},
		{name: "no email", change: func(b map[string]any) {
			certInfo(b)["email"] = ""
		}, want: "cert_req_param.cert_info.email is empty"},
		{name: "Cyrillic email", change: func(b map[string]any) {
			certInfo(b)["email"] = "админ@vector.by"
		}, want: "cert_req_param.cert_info.email has a non-ASCII character at position 0"},
		{name: "Cyrillic domain", change: func(b map[string]any) {
			certInfo(b)["subject_alt_name"] = []string{"kpsis.vector.by", "вектор.бел"}
		}, want: "cert_req_param.cert_info.subject_alt_name[1]"},
		{name: "empty SAN entry", change: func(b map[string]any) {
			certInfo(b)["subject_alt_name"] = []string{""}
		}, want: "cert_req_param.cert_info.subject_alt_name[0] is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.raw)
			if tt.change != nil {
				b := gencertreqBody()
				tt.change(b)
				var err error
				body, err = json.Marshal(b)
				require.NoError(t, err)
			}
			_, response := postGencertreq(t, NewKeygen(KeygenConfig{}), body)
			assert.Equal(t, "invalid_request", response["err"])
			assert.Contains(t, response["error_description"], tt.want)
			assert.NotContains(t, response, "cert_req")
		})
	}
}

func TestGencertreqFollowsSwitch(t *testing.T) {
	sw := &fault.Switch{}
	g := NewKeygen(KeygenConfig{Switch: sw})
	sw.Set(fault.Maintenance)
	code, response := postGencertreq(t, g, []byte("{}"))
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "maintenance", response["err"])
}

func FuzzGencertreq(f *testing.F) {
	valid, err := json.Marshal(gencertreqBody())
	require.NoError(f, err)
	f.Add(valid)
	f.Add([]byte(`{"key_param":{"users_num":-1,"treshold_num":-5,"passwords":[]}}`))
	f.Add([]byte(`{"cert_req_param":{"cert_info":{"subject_alt_name":[""]}}}`))
	f.Add([]byte(`null`))

	g := NewKeygen(KeygenConfig{})
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, KeygenPath, bytes.NewReader(body)))
		var response map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &response); err != nil {
			t.Fatalf("response is not JSON: %q", rec.Body.String())
		}
		if response["err"] == "0" {
			text, _ := response["cert_req"].(string)
			der, err := base64.StdEncoding.DecodeString(text)
			if err != nil {
				t.Fatalf("cert_req is not base64: %v", err)
			}
			if _, err := tsok.ParseRequest(der); err != nil {
				t.Fatalf("the generated request does not parse: %v", err)
			}
		}
	})
}
