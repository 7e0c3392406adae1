package terminal

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type relayFixture struct {
	relay   *BrowserRelay
	url     string
	channel *RelayChannel
}

func newRelayFixture(t *testing.T, cfg RelayConfig) *relayFixture {
	t.Helper()
	relay := NewBrowserRelay(cfg)
	srv := httptest.NewServer(http.StripPrefix("/relay", relay))
	t.Cleanup(srv.Close)
	c, err := relay.NewChannel()
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return &relayFixture{relay: relay, url: srv.URL + "/relay", channel: c}
}

func (f *relayFixture) post(t *testing.T, path string, body any,
	header map[string]string) (int, []byte) {
	t.Helper()
	encoded, ok := body.([]byte)
	if !ok {
		var err error
		encoded, err = json.Marshal(body)
		require.NoError(t, err)
	}
	req, err := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(encoded))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// pollCall polls until a call arrives and returns it.
func (f *relayFixture) pollCall(t *testing.T) (uint64, string, json.RawMessage) {
	t.Helper()
	for range 50 {
		status, body := f.post(t, "/poll", map[string]string{"session": f.channel.ID()}, nil)
		if status == http.StatusNoContent {
			continue
		}
		require.Equal(t, http.StatusOK, status, string(body))
		var call struct {
			Call    uint64          `json:"call"`
			Method  string          `json:"method"`
			Request json.RawMessage `json:"request"`
		}
		require.NoError(t, json.Unmarshal(body, &call))
		return call.Call, call.Method, call.Request
	}
	t.Fatal("no call arrived")
	return 0, "", nil
}

// callAsync starts a Call and returns a channel with its outcome.
func callAsync(ctx context.Context, c *RelayChannel, method string,
	request string) chan relayResult {
	out := make(chan relayResult, 1)
	go func() {
		body, err := c.Call(ctx, method, []byte(request))
		out <- relayResult{body, err}
	}()
	return out
}

func TestRelayCallRoundTrip(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{PollTimeout: 50 * time.Millisecond})
	done := callAsync(context.Background(), f.channel, "terminal_proxy_command",
		`{"header_cmd_to_card": "AKQEDA=="}`)

	id, method, request := f.pollCall(t)
	assert.Equal(t, "terminal_proxy_command", method)
	assert.JSONEq(t, `{"header_cmd_to_card": "AKQEDA=="}`, string(request))

	// A page that reloads gets the same call again.
	again, _, _ := f.pollCall(t)
	assert.Equal(t, id, again)

	status, _ := f.post(t, "/result", map[string]any{"session": f.channel.ID(), "call": id + 1,
		"status": 200, "body": `{"err": "0"}`}, nil)
	assert.Equal(t, http.StatusConflict, status)
	status, _ = f.post(t, "/result", map[string]any{"session": f.channel.ID(), "call": id,
		"status": 200, "body": `{"err": "0"}`}, nil)
	assert.Equal(t, http.StatusNoContent, status)
	res := <-done
	require.NoError(t, res.err)
	assert.Equal(t, `{"err": "0"}`, string(res.body))

	// The answered call cannot be answered twice.
	status, _ = f.post(t, "/result", map[string]any{"session": f.channel.ID(), "call": id,
		"status": 200, "body": `{}`}, nil)
	assert.Equal(t, http.StatusConflict, status)
}

func TestRelayPageErrors(t *testing.T) {
	tests := []struct {
		name   string
		result map[string]any
		want   string
	}{
		{"unreachable client program", map[string]any{"error": "TypeError: Failed to fetch"},
			"could not reach the client program: TypeError"},
		{"server error", map[string]any{"status": 502, "body": "<html>bad gateway</html>"},
			"returned HTTP 502"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newRelayFixture(t, RelayConfig{PollTimeout: 50 * time.Millisecond})
			done := callAsync(context.Background(), f.channel,
				"terminal_proxy_bauth_app_prefetch", `{"stb": false}`)
			id, _, _ := f.pollCall(t)
			tc.result["session"], tc.result["call"] = f.channel.ID(), id
			status, _ := f.post(t, "/result", tc.result, nil)
			require.Equal(t, http.StatusNoContent, status)
			res := <-done
			assert.ErrorContains(t, res.err, tc.want)
		})
	}
}

func TestRelayRejectsRequests(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{PollTimeout: 50 * time.Millisecond,
		MaxMessageSize: 1024})
	session := map[string]string{"session": f.channel.ID()}
	tests := []struct {
		name   string
		path   string
		body   any
		header map[string]string
		want   int
	}{
		{"unknown session", "/poll", map[string]string{"session": "guess"}, nil,
			http.StatusNotFound},
		{"cross-site", "/poll", session, map[string]string{"Sec-Fetch-Site": "cross-site"},
			http.StatusForbidden},
		{"form post", "/poll", session,
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			http.StatusUnsupportedMediaType},
		{"not JSON", "/poll", []byte("session=x"), nil, http.StatusBadRequest},
		{"too large", "/result", []byte(`{"body": "` + strings.Repeat("a", 8000) + `"}`), nil,
			http.StatusRequestEntityTooLarge},
		{"result without body", "/result", map[string]any{"session": f.channel.ID(), "call": 1},
			nil, http.StatusBadRequest},
		{"result for no call", "/result", map[string]any{"session": f.channel.ID(), "call": 1,
			"body": "{}"}, nil, http.StatusConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _ := f.post(t, tc.path, tc.body, tc.header)
			assert.Equal(t, tc.want, status)
		})
	}
}

func TestRelayCallChecks(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{MaxMessageSize: 64})
	ctx := context.Background()
	_, err := f.channel.Call(ctx, "select_auth", []byte(`{}`))
	assert.ErrorContains(t, err, `method "select_auth" is not a terminal proxy call`)
	_, err = f.channel.Call(ctx, "terminal_proxy_command", bytes.Repeat([]byte("a"), 65))
	assert.ErrorContains(t, err, "exceeds 64")
	_, err = f.channel.Call(ctx, "terminal_proxy_command", []byte(`{`))
	assert.ErrorContains(t, err, "not JSON")

	first := callAsync(ctx, f.channel, "terminal_proxy_command", `{}`)
	require.Eventually(t, func() bool {
		f.channel.mu.Lock()
		defer f.channel.mu.Unlock()
		return f.channel.busy
	}, time.Second, time.Millisecond)
	_, err = f.channel.Call(ctx, "terminal_proxy_command", []byte(`{}`))
	assert.ErrorContains(t, err, "another card call is in progress")
	f.channel.Close()
	assert.ErrorIs(t, (<-first).err, ErrRelayClosed)
}

func TestRelayCancelledCallWithdrawn(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{PollTimeout: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := callAsync(ctx, f.channel, "terminal_proxy_command", `{}`)
	id, _, _ := f.pollCall(t)
	cancel()
	assert.ErrorIs(t, (<-done).err, context.Canceled)

	status, _ := f.post(t, "/result", map[string]any{"session": f.channel.ID(), "call": id,
		"body": "{}"}, nil)
	assert.Equal(t, http.StatusConflict, status)
	status, _ = f.post(t, "/poll", map[string]string{"session": f.channel.ID()}, nil)
	assert.Equal(t, http.StatusNoContent, status)
}

func TestRelaySessionExpires(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{SessionTTL: 50 * time.Millisecond})
	_, err := f.channel.Call(context.Background(), "terminal_proxy_command", []byte(`{}`))
	assert.ErrorIs(t, err, ErrRelayClosed)
	status, _ := f.post(t, "/poll", map[string]string{"session": f.channel.ID()}, nil)
	assert.Equal(t, http.StatusNotFound, status)
	_, err = f.channel.Call(context.Background(), "terminal_proxy_command", []byte(`{}`))
	assert.ErrorIs(t, err, ErrRelayClosed)
}

func TestRelayMaxSessions(t *testing.T) {
	relay := NewBrowserRelay(RelayConfig{MaxSessions: 2})
	a, err := relay.NewChannel()
	require.NoError(t, err)
	b, err := relay.NewChannel()
	require.NoError(t, err)
	assert.NotEqual(t, a.ID(), b.ID())
	assert.Len(t, a.ID(), 43)
	_, err = relay.NewChannel()
	assert.ErrorContains(t, err, "2 sessions are open")
	a.Close()
	c, err := relay.NewChannel()
	require.NoError(t, err)
	c.Close()
	b.Close()
}

func TestRelayServesScript(t *testing.T) {
	f := newRelayFixture(t, RelayConfig{})
	resp, err := http.Get(f.url + "/relay.js")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, relayScript, body)
	assert.Contains(t, string(body), "ESIFULTerminalRelay")
}

func FuzzRelayResult(f *testing.F) {
	f.Add([]byte(`{"session": "x", "call": 1, "status": 200, "body": "{}"}`))
	f.Add([]byte(`{"session": "x", "call": 1, "error": "failed"}`))
	f.Add([]byte(`{"session": 5}`))
	relay := NewBrowserRelay(RelayConfig{PollTimeout: time.Millisecond, MaxMessageSize: 512})
	channel, err := relay.NewChannel()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte) {
		body = bytes.ReplaceAll(body, []byte(`"x"`), []byte(`"`+channel.ID()+`"`))
		for _, path := range []string{"/result", "/poll"} {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			relay.ServeHTTP(rec, req)
			if rec.Code == http.StatusOK && path == "/result" {
				t.Fatalf("result answered 200 to %q", body)
			}
		}
	})
}
