package tsok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/esiful/sdk-go/ifyul"
)

// ProviderState is the provider's state as a health check sees it.
type ProviderState string

// The provider states a health check reports.
const (
	// ProviderReachable: the discovery document came back and names the
	// expected issuer.
	ProviderReachable ProviderState = "reachable"
	// ProviderMaintenance: the provider responded that it is under
	// maintenance (ifyul.ErrMaintenance).
	ProviderMaintenance ProviderState = "maintenance"
	// ProviderSuspended: the operator suspended this system's access
	// (ifyul.ErrAccessSuspended).
	ProviderSuspended ProviderState = "suspended"
	// ProviderUnreachable: no connection, a timeout, a server error, or an
	// response that is not the expected discovery document.
	ProviderUnreachable ProviderState = "unreachable"
)

// ProviderHealth is the result of one provider check.
type ProviderHealth struct {
	State ProviderState `json:"state"`
	// URL is the discovery document's address.
	URL string `json:"url"`
	// HTTPStatus is the response's status, 0 when none came.
	HTTPStatus int `json:"http_status,omitempty"`
	// Error describes the failure; empty when reachable.
	Error string `json:"error,omitempty"`

	err error
}

// Err returns the check's error, which wraps ifyul's sentinels
// (ifyul.ErrMaintenance, ifyul.ErrAccessSuspended,
// ifyul.ErrProviderUnavailable), or nil when reachable.
func (p ProviderHealth) Err() error { return p.err }

// maxDiscoverySize bounds the discovery document read.
const maxDiscoverySize = 1 << 20

// checkProvider fetches the discovery document with GET and classifies
// the outcome with ifyul's error codes, as ifyul.Client does at login.
func checkProvider(ctx context.Context, client *http.Client, authority string,
	codes map[string]error) ProviderHealth {
	h := ProviderHealth{
		URL: strings.TrimSuffix(authority, "/") + "/.well-known/openid-configuration",
	}
	h.err = fetchDiscovery(ctx, client, authority, codes, &h)
	switch {
	case h.err == nil:
		h.State = ProviderReachable
	case errors.Is(h.err, ifyul.ErrMaintenance):
		h.State = ProviderMaintenance
	case errors.Is(h.err, ifyul.ErrAccessSuspended):
		h.State = ProviderSuspended
	default:
		h.State = ProviderUnreachable
	}
	if h.err != nil {
		h.Error = h.err.Error()
	}
	return h
}

func fetchDiscovery(ctx context.Context, client *http.Client, authority string,
	codes map[string]error, h *ProviderHealth) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ifyul.ErrProviderUnavailable, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", ifyul.ErrProviderUnavailable, h.URL, err)
	}
	defer resp.Body.Close()
	h.HTTPStatus = resp.StatusCode

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDiscoverySize+1))
	if err != nil {
		return fmt.Errorf("%w: reading %s: %w", ifyul.ErrProviderUnavailable, h.URL, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return providerError(resp.StatusCode, body, codes)
	}
	if len(body) > maxDiscoverySize {
		return fmt.Errorf("%w: discovery document exceeds %d bytes", ifyul.ErrProviderUnavailable,
			maxDiscoverySize)
	}

	var doc struct {
		Issuer string `json:"issuer"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("%w: discovery document is not JSON: %w", ifyul.ErrProviderUnavailable,
			err)
	}
	if doc.Issuer != authority {
		return fmt.Errorf("%w: discovery document names issuer %q, expected %q",
			ifyul.ErrProviderUnavailable, doc.Issuer, authority)
	}
	return nil
}

// providerError reads an error response: an OAuth "error" or the КПСИС-style
// "err", mapped to a sentinel by codes, then ifyul.DefaultErrorCodes, then
// the status (5xx means unavailable).
func providerError(status int, body []byte, codes map[string]error) error {
	var response struct {
		Error       string          `json:"error"`
		Err         json.RawMessage `json:"err"`
		Description string          `json:"error_description"`
	}
	_ = json.Unmarshal(body, &response)
	code := response.Error
	if code == "" && len(response.Err) > 0 {
		code = strings.Trim(string(response.Err), `"`)
	}

	kind := ifyul.ErrProviderUnavailable
	if k, ok := codes[code]; ok {
		kind = k
	} else if k, ok := ifyul.DefaultErrorCodes[code]; ok {
		kind = k
	}
	text := fmt.Sprintf("provider returned HTTP %d", status)
	if code != "" {
		text += fmt.Sprintf(" with error %q", code)
	}
	if response.Description != "" {
		text += ": " + response.Description
	}
	return fmt.Errorf("%w: %s", kind, text)
}
