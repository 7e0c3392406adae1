package ifyul

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cannedTransport returns the same response to every request.
type cannedTransport struct {
	contentType string
	body        []byte
	err         error
}

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	header := http.Header{}
	if c.contentType != "" {
		header.Set("Content-Type", c.contentType)
	}
	return &http.Response{StatusCode: http.StatusOK, Header: header, Request: req,
		Body: io.NopCloser(bytes.NewReader(c.body))}, nil
}

func relabel(t testing.TB, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	transport := tokenResponseTransport{base: cannedTransport{contentType: contentType,
		body: body}}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/token", nil)
	require.NoError(t, err)
	resp, err := transport.RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, got
}

func TestTokenResponseTransport(t *testing.T) {
	const tokenJSON = `{"access_token": "a", "token_type": "Bearer"}`
	cases := []struct {
		name        string
		contentType string
		body        string
		want        string
	}{
		{"text/plain holding JSON", "text/plain", tokenJSON, "application/json"},
		{"text/plain with charset holding JSON", "text/plain; charset=utf-8", tokenJSON,
			"application/json"},
		{"text/plain holding JSON after spaces", "Text/Plain", "\n  " + tokenJSON + "\n",
			"application/json"},
		{"text/plain holding an error", "text/plain", `{"error": "invalid_grant"}`,
			"application/json"},
		{"text/plain holding a form", "text/plain", "access_token=a&token_type=Bearer",
			"text/plain"},
		{"text/plain holding broken JSON", "text/plain", `{"access_token": "a"`, "text/plain"},
		{"text/plain holding a JSON array", "text/plain", `[1]`, "text/plain"},
		{"text/plain empty", "text/plain", "", "text/plain"},
		{"JSON", "application/json", tokenJSON, "application/json"},
		{"form", "application/x-www-form-urlencoded", "access_token=a",
			"application/x-www-form-urlencoded"},
		{"no content type", "", tokenJSON, ""},
		// mime.ParseMediaType, which x/oauth2 uses too, still returns the
		// media type when only a parameter is invalid.
		{"invalid parameter", "text/plain; charset=\"", tokenJSON, "application/json"},
		{"invalid media type", "text/", tokenJSON, "text/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := relabel(t, tc.contentType, []byte(tc.body))
			assert.Equal(t, tc.want, resp.Header.Get("Content-Type"))
			assert.Equal(t, tc.body, string(body), "the body passes unchanged")
		})
	}
}

func TestTokenResponseTransportError(t *testing.T) {
	failure := errors.New("connection refused")
	transport := tokenResponseTransport{base: cannedTransport{err: failure}}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/token", nil)
	require.NoError(t, err)

	resp, err := transport.RoundTrip(req)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, failure)
}

func TestTokenHTTPClientKeepsSettings(t *testing.T) {
	base := &http.Client{Timeout: 1234, Transport: cannedTransport{}}
	c := newTestClient(t, func(cfg *Config) { cfg.HTTPClient = base })

	client := c.tokenHTTPClient()
	assert.Equal(t, base.Timeout, client.Timeout)
	wrapped, ok := client.Transport.(tokenResponseTransport)
	require.True(t, ok)
	assert.Equal(t, base.Transport, wrapped.base)
	assert.Equal(t, cannedTransport{}, base.Transport, "the configured client is not changed")

	c = newTestClient(t, func(cfg *Config) { cfg.HTTPClient = &http.Client{} })
	wrapped, ok = c.tokenHTTPClient().Transport.(tokenResponseTransport)
	require.True(t, ok)
	assert.Equal(t, http.DefaultTransport, wrapped.base)
}

func FuzzTokenResponseTransport(f *testing.F) {
	f.Add("text/plain", []byte(`{"access_token": "a"}`))
	f.Add("text/plain; charset=utf-8", []byte(`access_token=a&x=%zz`))
	f.Add("application/json", []byte(`{`))
	f.Add("text/plain", []byte(" {\"a\": [1, {\"b\": null}]} "))

	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if strings.ContainsAny(contentType, "\r\n") {
			return
		}
		resp, got := relabel(t, contentType, body)
		require.Equal(t, body, got, "the body passes unchanged")
		label := resp.Header.Get("Content-Type")
		if label != strings.TrimSpace(contentType) && label != contentType {
			require.Equal(t, "application/json", label)
			trimmed := bytes.TrimSpace(body)
			require.True(t, len(trimmed) > 0 && trimmed[0] == '{')
		}
	})
}
