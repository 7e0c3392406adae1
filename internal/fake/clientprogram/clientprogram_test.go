package clientprogram_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/clientprogram"
	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
)

// confirmations records the request IDs the client program confirms, as
// the provider would.
type confirmations struct {
	mu  sync.Mutex
	ids []string
}

func (c *confirmations) Confirm(requestID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, requestID)
}

func (c *confirmations) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

type fixture struct {
	cp        *clientprogram.ClientProgram
	sw        *fault.Switch
	url       string
	key       *envelope.ECDSAKey
	confirmed *confirmations
	now       time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	key, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	f := &fixture{
		key: key, confirmed: &confirmations{}, sw: &fault.Switch{},
		now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
	f.cp = clientprogram.New(clientprogram.Config{
		KPSISVerifier: key.Verifier(),
		Provider:      f.confirmed,
		Switch:        f.sw,
		Now:           func() time.Time { return f.now },
	})
	srv := httptest.NewServer(f.cp)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// signed returns signed_data_to_check_in_cp as the КПСИС makes it.
func (f *fixture) signed(t *testing.T, signer envelope.Signer, id string, exp time.Time) string {
	t.Helper()
	text, err := envelope.Seal(signer, kpsis.ClientProgramRequest{
		RequestID: id, ClientID: "system", ExpiresAt: exp.Unix(),
	})
	require.NoError(t, err)
	return text
}

func (f *fixture) selectAuth(t *testing.T, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.url+"/select_auth", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://system.example")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var answer map[string]any
	require.NoError(t, json.Unmarshal(raw, &answer), string(raw))
	return resp, answer
}

func dataBody(t *testing.T, data string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"data": data})
	require.NoError(t, err)
	return string(b)
}

func assertCORS(t *testing.T, h http.Header) {
	t.Helper()
	assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, h.Get("Access-Control-Allow-Methods"), "POST")
	assert.Contains(t, h.Get("Access-Control-Allow-Headers"), "Content-Type")
	assert.Equal(t, "true", h.Get("Access-Control-Allow-Private-Network"))
}

func TestPreflight(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/select_auth", "/", "/api/v1/terminal_proxy_bauth"} {
		t.Run(path, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodOptions, f.url+path, nil)
			require.NoError(t, err)
			req.Header.Set("Origin", "https://system.example")
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			req.Header.Set("Access-Control-Request-Private-Network", "true")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, http.StatusNoContent, resp.StatusCode)
			assertCORS(t, resp.Header)
			assert.NotEmpty(t, resp.Header.Get("Access-Control-Max-Age"))
			assert.Empty(t, f.confirmed.list())
		})
	}
}

func TestPreflightWhenDown(t *testing.T) {
	f := newFixture(t)
	f.sw.Set(fault.Down)

	req, err := http.NewRequest(http.MethodOptions, f.url+"/select_auth", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	assert.Error(t, err, "a client program that is down answers nothing, not even CORS")
}

func TestSelectAuth(t *testing.T) {
	f := newFixture(t)
	data := f.signed(t, f.key, "req-1", f.now.Add(time.Minute))

	resp, answer := f.selectAuth(t, dataBody(t, data))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, map[string]any{"step 0": "OK"}, answer)
	assertCORS(t, resp.Header)
	assert.Equal(t, []string{"req-1"}, f.confirmed.list())
}

func TestSelectAuthBadBody(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"empty", ``},
		{"not JSON", `data=abc`},
		{"truncated", `{"data": "abc`},
		{"list", `["abc"]`},
		{"null", `null`},
		{"data missing", `{}`},
		{"data empty", `{"data": ""}`},
		{"data a number", `{"data": 5}`},
		{"data an object", `{"data": {"payload": "x"}}`},
		{"trailing data", `{"data": "abc"} x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			resp, answer := f.selectAuth(t, tt.body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, "invalid_request", answer["err"])
			assert.NotEmpty(t, answer["error_description"])
			assertCORS(t, resp.Header)
			assert.Empty(t, f.confirmed.list())
		})
	}
}

func TestSelectAuthTamperedData(t *testing.T) {
	f := newFixture(t)
	rogue, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	valid := f.signed(t, f.key, "req-1", f.now.Add(time.Minute))

	// Swap the payload for another request's while keeping the signature.
	raw, err := base64.RawURLEncoding.DecodeString(valid)
	require.NoError(t, err)
	var sealed map[string]any
	require.NoError(t, json.Unmarshal(raw, &sealed))
	other, err := json.Marshal(kpsis.ClientProgramRequest{
		RequestID: "req-evil", ClientID: "system", ExpiresAt: f.now.Add(time.Hour).Unix(),
	})
	require.NoError(t, err)
	sealed["payload"] = other
	swapped, err := json.Marshal(sealed)
	require.NoError(t, err)

	tests := []struct {
		name string
		data string
	}{
		{"signed by another key", f.signed(t, rogue, "req-1", f.now.Add(time.Minute))},
		{"payload swapped", base64.RawURLEncoding.EncodeToString(swapped)},
		{"not base64", "***"},
		{"not an envelope", base64.RawURLEncoding.EncodeToString([]byte(`{"a":1}`))},
		{"truncated", valid[:len(valid)/2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, answer := f.selectAuth(t, dataBody(t, tt.data))
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, "bad_signature", answer["err"])
			assert.NotEmpty(t, answer["error_description"])
			assert.NotContains(t, answer, "step 0")
		})
	}
	assert.Empty(t, f.confirmed.list())
}

func TestSelectAuthExpired(t *testing.T) {
	tests := []struct {
		name string
		exp  time.Duration
	}{
		{"a second ago", -time.Second},
		{"an hour ago", -time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			data := f.signed(t, f.key, "req-1", f.now.Add(tt.exp))

			resp, answer := f.selectAuth(t, dataBody(t, data))
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, "expired", answer["err"])
			assert.Empty(t, f.confirmed.list())
		})
	}
}

func TestSelectAuthExpiryMissing(t *testing.T) {
	f := newFixture(t)
	data, err := envelope.Seal(f.key, map[string]string{"request_id": "req-1"})
	require.NoError(t, err)

	resp, answer := f.selectAuth(t, dataBody(t, data))
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "expired", answer["err"])
	assert.Empty(t, f.confirmed.list())
}

func TestSelectAuthExpiresAtBoundary(t *testing.T) {
	f := newFixture(t)
	data := f.signed(t, f.key, "req-1", f.now)

	resp, _ := f.selectAuth(t, dataBody(t, data))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a request is valid through its exp second")
}

func TestSelectAuthRejecting(t *testing.T) {
	f := newFixture(t)
	f.cp.SetRejecting(true)
	data := f.signed(t, f.key, "req-1", f.now.Add(time.Minute))

	resp, answer := f.selectAuth(t, dataBody(t, data))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "3", answer["err"], "the code the real client program sends without a card")
	assert.Empty(t, f.confirmed.list())

	f.cp.SetRejecting(false)
	_, answer = f.selectAuth(t, dataBody(t, data))
	assert.Equal(t, "OK", answer["step 0"])
	assert.Equal(t, []string{"req-1"}, f.confirmed.list())
}

func TestSelectAuthModes(t *testing.T) {
	tests := []struct {
		mode   fault.Mode
		status int
		code   string
	}{
		{fault.Maintenance, http.StatusServiceUnavailable, "maintenance"},
		{fault.Suspended, http.StatusForbidden, "access_suspended"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			f := newFixture(t)
			f.sw.Set(tt.mode)
			data := f.signed(t, f.key, "req-1", f.now.Add(time.Minute))

			resp, answer := f.selectAuth(t, dataBody(t, data))
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.code, answer["err"])
			assertCORS(t, resp.Header)
			assert.Empty(t, f.confirmed.list())
		})
	}
}

func TestSelectAuthMethodGet(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.url + "/select_auth")
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Empty(t, f.confirmed.list())
}
