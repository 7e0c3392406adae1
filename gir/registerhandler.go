package gir

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// RegisterHandler serves a Transport through the HTTP convention that
// HTTPTransport speaks, at POST /requests relative to where it is mounted.
// It is the server half for the fake ЕС ИФЮЛ and for a consumer's adapter to
// the real services. Before calling Backend it checks that the request is
// complete and that its consent covers it, as the real services must.
type RegisterHandler struct {
	// Backend handles the calls that pass the checks.
	Backend Transport
	// Now returns the time for consent checks; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per rejected or failed request, with the
	// status, error code, request identifier and error message; nil means no
	// logging. The messages of the checks carry no personal number.
	Logger *slog.Logger
}

// ServeHTTP handles one request.
func (h *RegisterHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/requests" {
		writeError(w, http.StatusNotFound, "", "not_found", "no such endpoint: "+r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "", "bad_request", "use POST")
		return
	}

	var call Call
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&call); err != nil {
		h.reject(w, r, http.StatusBadRequest, "", "bad_request", "invalid request: "+err.Error())
		return
	}
	if msg := checkCall(&call); msg != "" {
		h.reject(w, r, http.StatusBadRequest, call.RequestID, "bad_request", msg)
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	if err := call.Consent.Check(now(), call.PersonalNumber, call.Service); err != nil {
		code, status := errorCode(err)
		h.reject(w, r, status, call.RequestID, code, err.Error())
		return
	}

	data, err := h.Backend.Call(r.Context(), &call)
	if err != nil {
		code, status := errorCode(err)
		h.reject(w, r, status, call.RequestID, code, err.Error())
		return
	}
	if !json.Valid(data) {
		h.reject(w, r, http.StatusInternalServerError, call.RequestID, "service_unavailable",
			"the service produced invalid JSON")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		RequestID string          `json:"request_id"`
		Data      json.RawMessage `json:"data"`
	}{call.RequestID, data})
}

// reject writes an error response and logs it.
func (h *RegisterHandler) reject(w http.ResponseWriter, r *http.Request, status int,
	requestID, code, message string) {

	if h.Logger != nil {
		h.Logger.WarnContext(r.Context(), "gir: register request rejected",
			"status", status, "code", code, "request_id", requestID, "error", message)
	}
	writeError(w, status, requestID, code, message)
}

// checkCall returns what is wrong with a decoded call, or "".
func checkCall(call *Call) string {
	switch {
	case call.Service != ServicePersonalData && call.Service != ServicePlaces:
		return "unknown service " + string(call.Service)
	case call.RequestID == "":
		return "request_id missing"
	case call.PersonalNumber.IsZero():
		return "personal_number missing"
	}
	return ""
}
