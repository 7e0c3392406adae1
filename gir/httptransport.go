package gir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// HTTPTransport is a Transport that speaks this SDK's own JSON convention
// for register services, which RegisterHandler serves:
//
//	POST {BaseURL}/requests
//	{"service": "3.40.01/1", "request_id": "...", "personal_number": "...",
//	 "consent": {"id": "...", "personal_number": "...", "given_at": "...",
//	             "expires_at": "...", "purpose": "...", "services": [...]}}
//
//	200 {"request_id": "...", "data": {...}}
//	4xx or 5xx {"request_id": "...", "error": {"code": "consent_expired", "message": "..."}}
//
// Error codes are "consent_missing", "consent_expired", "consent_mismatch"
// (403), "person_not_found" (404), "bad_request" (400) and
// "service_unavailable" (503).
//
// NOTE: how the real ОАИС services are called is not public. This is a
// guess at a plain shape, so that a consumer can put an adapter to the real
// services, or the fake ЕС ИФЮЛ, behind one URL. Authentication of the
// consumer's system (for example TLS client certificates) is configured in
// Client.
type HTTPTransport struct {
	// BaseURL is the service's address without a trailing slash.
	BaseURL string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// Call posts the call and returns the data member of the response. An error
// status becomes a *ServiceError, and a failed connection wraps
// ErrServiceUnavailable. A 200 response of the wrong shape, or for another
// request identifier, is a *FieldError.
func (t *HTTPTransport) Call(ctx context.Context, call *Call) (json.RawMessage, error) {
	if t.BaseURL == "" {
		return nil, errors.New("gir: HTTPTransport.BaseURL is empty")
	}
	payload, err := json.Marshal(call)
	if err != nil {
		return nil, fmt.Errorf("gir: encode request: %w", err)
	}
	target := strings.TrimRight(t.BaseURL, "/") + "/requests"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("gir: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")

	status, body, err := send(t.Client, req)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		var e errorBody
		_ = json.Unmarshal(body, &e)
		return nil, &ServiceError{Status: status, Code: e.Error.Code, Message: e.Error.Message}
	}
	return decodeEnvelope(body, call.RequestID)
}

// decodeEnvelope returns the data member of a 200 response.
func decodeEnvelope(body []byte, requestID string) (json.RawMessage, error) {
	const object = "register response"
	o, err := readObject(object, body, 0)
	if err != nil {
		return nil, err
	}
	id, err := o.string(FieldNames{"request_id"})
	if err != nil {
		return nil, err
	}
	if id != requestID {
		m := o.members["request_id"]
		return nil, o.fail("request_id", m.offset,
			fmt.Sprintf("expected %q, got %q", requestID, id))
	}
	_, data, ok, err := o.member(FieldNames{"data"})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, o.fail("data", int64(skipSpace(body, 0)), "member missing")
	}
	return data.raw, nil
}
