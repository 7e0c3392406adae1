package tsok

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/esiful/sdk-go/ifyul"
)

// maxResponseSize bounds the gencertreq response read.
const maxResponseSize = 1 << 20

// ResponseFormat describes the response of gencertreq.
//
// NOTE: the fields of the real response are not public. DefaultResponseFormat
// is this SDK's guess, the form its fake КПСИС responds in. When the real
// field is known, set KeygenClient.Format or change the default here.
type ResponseFormat struct {
	// RequestFields are the fields tried in order. The first present one
	// must hold the request as a string: PEM text, or base64 of the DER.
	RequestFields []string
	// StatusField holds the КПСИС's status code, "0" (string or number)
	// meaning success, as in the КПСИС's other APIs; "" ignores it.
	StatusField string
	// DescriptionField holds the error text of a failed call; optional.
	DescriptionField string
}

// DefaultResponseFormat reads {"err": "0", "cert_req": "<base64 DER>"}.
var DefaultResponseFormat = ResponseFormat{
	RequestFields:    []string{"cert_req"},
	StatusField:      "err",
	DescriptionField: "error_description",
}

// KPSISError is an error response of the КПСИС. It unwraps to the sentinel
// its code maps to: KeygenClient.ErrorCodes first, then
// ifyul.DefaultErrorCodes, then ifyul.ErrKPSISUnavailable for HTTP 5xx.
type KPSISError struct {
	Code        string
	Description string
	HTTPStatus  int

	kind error
}

// Error returns the code, description and HTTP status.
func (e *KPSISError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tsok: КПСИС returned error %q to gencertreq", e.Code)
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	return b.String()
}

// Unwrap returns the sentinel the code maps to, or nil.
func (e *KPSISError) Unwrap() error { return e.kind }

func (f ResponseFormat) read(raw []byte, status int, codes map[string]error) (*GeneratedRequest,
	error) {
	var response map[string]json.RawMessage
	if err := json.Unmarshal(raw, &response); err != nil || response == nil {
		if status < 200 || status > 299 {
			return nil, newKPSISError(http.StatusText(status), "", status, codes)
		}
		return nil, fmt.Errorf("%w: expected a JSON object, got %q", ErrUnexpectedResponse,
			truncate(string(raw), 80))
	}

	code := f.status(response)
	if status < 200 || status > 299 || (code != "" && code != "0") {
		if code == "" {
			code = http.StatusText(status)
		}
		return nil, newKPSISError(code, f.description(response), status, codes)
	}

	for _, field := range f.RequestFields {
		value, ok := response[field]
		if !ok {
			continue
		}
		var text string
		if err := json.Unmarshal(value, &text); err != nil {
			return nil, fmt.Errorf("%w: field %q is JSON %s, expected a string with the request "+
				"as PEM or base64 DER", ErrUnexpectedResponse, field, jsonKind(value))
		}
		r, err := ParseRequest([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("%w: field %q: %w", ErrUnexpectedResponse, field, err)
		}
		if err := r.CheckSignature(); err != nil && !errors.Is(err, ErrUnsupportedAlgorithm) {
			return nil, fmt.Errorf("tsok: request in field %q: %w", field, err)
		}
		return &GeneratedRequest{Request: r, Field: field, Response: response}, nil
	}
	return nil, fmt.Errorf("%w: expected the certificate request as PEM or base64 DER in "+
		"field %s, but the response has fields %s; set KeygenClient.Format to read another field",
		ErrUnexpectedResponse, quoteAll(f.RequestFields),
		quoteAll(slices.Sorted(maps.Keys(response))))
}

// status returns the status code, accepting a JSON string or number.
func (f ResponseFormat) status(response map[string]json.RawMessage) string {
	value, ok := response[f.StatusField]
	if f.StatusField == "" || !ok {
		return ""
	}
	var text string
	if json.Unmarshal(value, &text) == nil {
		return text
	}
	var number json.Number
	if json.Unmarshal(value, &number) == nil {
		return number.String()
	}
	return string(value)
}

func (f ResponseFormat) description(response map[string]json.RawMessage) string {
	var text string
	if value, ok := response[f.DescriptionField]; ok && f.DescriptionField != "" {
		_ = json.Unmarshal(value, &text)
	}
	return text
}

func newKPSISError(code, description string, status int, codes map[string]error) *KPSISError {
	e := &KPSISError{Code: code, Description: description, HTTPStatus: status}
	if kind, ok := codes[code]; ok {
		e.kind = kind
	} else if kind, ok := ifyul.DefaultErrorCodes[code]; ok {
		e.kind = kind
	} else if status >= http.StatusInternalServerError {
		e.kind = ifyul.ErrKPSISUnavailable
	}
	return e
}

func jsonKind(value json.RawMessage) string {
	var v any
	_ = json.Unmarshal(value, &v)
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "value"
}

func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	if len(quoted) == 0 {
		return "(none)"
	}
	return strings.Join(quoted, ", ")
}

// truncate shortens s to n runes for an error message.
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	return string(runes[:n]) + "…"
}
