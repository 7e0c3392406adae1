package ifyul

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
)

// tokenResponseTransport relabels a token endpoint's JSON sent as
// "text/plain" as "application/json". x/oauth2 (v0.38) reads a text/plain
// body as a form-encoded query string, as some old providers send it, so a
// JSON body under that label loses every field, error codes included. Form
// bodies, whatever their label, pass unchanged.
type tokenResponseTransport struct{ base http.RoundTripper }

func (t tokenResponseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mediaType != "text/plain" {
		return resp, nil
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerSize+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' &&
		json.Valid(trimmed) {
		resp.Header = resp.Header.Clone()
		resp.Header.Set("Content-Type", "application/json")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// tokenHTTPClient returns the configured HTTP client with its transport
// wrapped in tokenResponseTransport, for the code exchange.
func (c *Client) tokenHTTPClient() *http.Client {
	client := *c.cfg.HTTPClient
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	client.Transport = tokenResponseTransport{base: base}
	return &client
}
