package gir

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// errorBody is the error response of this SDK's HTTP conventions, both the
// address API and the register transport.
type errorBody struct {
	RequestID string      `json:"request_id,omitempty"`
	Error     errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

func readLimited(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the response: %w", ErrServiceUnavailable, err)
	}
	if len(body) > maxBodyBytes {
		return nil, fmt.Errorf("gir: response body exceeds %d bytes", maxBodyBytes)
	}
	return body, nil
}

// errorMessage returns the code and message of an error body, or a short
// note when the body is not one.
func errorMessage(body []byte) string {
	var e errorBody
	if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		return "no error body"
	}
	if e.Error.Message == "" {
		return e.Error.Code
	}
	return e.Error.Code + ": " + e.Error.Message
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	body, err := json.Marshal(value)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, requestID, code, message string) {
	writeJSON(w, status, errorBody{RequestID: requestID,
		Error: errorDetail{Code: code, Message: message}})
}
