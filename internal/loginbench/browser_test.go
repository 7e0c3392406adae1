package loginbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// httpTimeout is the timeout of every client in this package, the SDK's
// default.
const httpTimeout = 30 * time.Second

// newHTTPClient returns a client with a transport of its own, so that the
// SDK, the baseline and the browser each keep their own connections.
func newHTTPClient() *http.Client {
	return &http.Client{
		Timeout:   httpTimeout,
		Transport: http.DefaultTransport.(*http.Transport).Clone(),
	}
}

// browser does the person's part of a login: in the КПСИС flow it hands the
// signed request to the client program, and in both flows it opens the
// authorization URL and stops at the provider's redirect to the callback.
type browser struct {
	http             *http.Client
	clientProgramURL string
}

func newBrowser(clientProgramURL string) *browser {
	client := newHTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return &browser{http: client, clientProgramURL: clientProgramURL}
}

// authorize runs the browser's part and returns the callback's query.
// clientProgramData is empty in the direct flow.
func (br *browser) authorize(ctx context.Context, clientProgramData,
	authURL string) (url.Values, error) {

	if clientProgramData != "" {
		if err := br.confirm(ctx, clientProgramData); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, fmt.Errorf("loginbench: authorization request: %w", err)
	}
	resp, err := br.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("loginbench: authorization request: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)

	location := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(location, redirectURL+"?") {
		return nil, fmt.Errorf("loginbench: provider responded %s with Location %q, "+
			"expected a redirect to %s: %.200s", resp.Status, location, redirectURL, body)
	}
	target, err := url.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("loginbench: provider's redirect: %w", err)
	}
	return target.Query(), nil
}

// confirm posts {"data": ...} to the client program's select_auth, as the
// КПСИС flow page's script does, and expects {"step 0": "OK"}.
func (br *browser) confirm(ctx context.Context, data string) error {
	body, err := json.Marshal(map[string]string{"data": data})
	if err != nil {
		return fmt.Errorf("loginbench: select_auth request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		br.clientProgramURL+"/select_auth", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("loginbench: select_auth request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := br.http.Do(req)
	if err != nil {
		return fmt.Errorf("loginbench: select_auth: %w", err)
	}
	defer resp.Body.Close()

	raw, _ := io.ReadAll(resp.Body)
	var answer map[string]any
	if json.Unmarshal(raw, &answer) != nil || answer["step 0"] != "OK" {
		return fmt.Errorf("loginbench: client program responded %s: %.200s", resp.Status, raw)
	}
	return nil
}
