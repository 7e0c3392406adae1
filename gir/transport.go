package gir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/esiful/sdk-go/ifyul"
)

// Service is a register service of the ОАИС, named by its code in the
// operator's list of services.
type Service string

// Services offered system-to-system («система-система») to consumers of
// ЕС ИФЮЛ, each with the person's consent.
const (
	// ServicePersonalData is 3.40.01/1, personal data from the population
	// register («Предоставление персональных данных из ГИС "Регистр
	// населения"»).
	ServicePersonalData Service = "3.40.01/1"
	// ServicePlaces is 3.50.01/1, the places of residence and stay
	// («Получение сведений о месте жительства и месте пребывания гражданина»).
	ServicePlaces Service = "3.50.01/1"
)

// Call is one request to a register service, as a Transport sends it.
type Call struct {
	Service Service `json:"service"`
	// RequestID identifies the request in the consent records and the
	// service's logs; the client makes a new one for every call.
	RequestID      string               `json:"request_id"`
	PersonalNumber ifyul.PersonalNumber `json:"personal_number"`
	Consent        Consent              `json:"consent"`
}

// Transport delivers a Call to the register service and returns the data
// member of its response, undecoded. Errors wrap ErrConsentMissing,
// ErrConsentExpired, ErrConsentMismatch, ErrPersonNotFound or
// ErrServiceUnavailable where the service reports those conditions.
//
// The real ОАИС interface is not public. HTTPTransport is this SDK's own
// convention; a consumer with access to the real services implements
// Transport over them.
type Transport interface {
	Call(ctx context.Context, call *Call) (json.RawMessage, error)
}

// TransportFunc adapts a function to Transport, for a service kept in memory
// such as the fake's.
type TransportFunc func(ctx context.Context, call *Call) (json.RawMessage, error)

// Call calls f.
func (f TransportFunc) Call(ctx context.Context, call *Call) (json.RawMessage, error) {
	return f(ctx, call)
}

// ServiceError is an error reported by a register service: its HTTP status
// and the code and message of its error body. It wraps the sentinel the code
// stands for, if any.
type ServiceError struct {
	Status  int
	Code    string
	Message string
}

// Error returns the status, code and message.
func (e *ServiceError) Error() string {
	msg := fmt.Sprintf("gir: register service responded with status %d", e.Status)
	if e.Code != "" {
		msg += ", code " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Unwrap returns the sentinel for Code, ErrServiceUnavailable for a 5xx
// status without a known code, or nil.
func (e *ServiceError) Unwrap() error {
	if err, ok := errorCodes[e.Code]; ok {
		return err
	}
	if e.Status >= 500 {
		return ErrServiceUnavailable
	}
	return nil
}

// errorCodes maps the error codes of the HTTP convention to sentinels.
var errorCodes = map[string]error{
	"consent_missing":     ErrConsentMissing,
	"consent_expired":     ErrConsentExpired,
	"consent_mismatch":    ErrConsentMismatch,
	"person_not_found":    ErrPersonNotFound,
	"service_unavailable": ErrServiceUnavailable,
	"address_not_found":   ErrAddressNotFound,
}

// errorCode returns the code and HTTP status for err, the reverse of
// errorCodes.
func errorCode(err error) (string, int) {
	switch {
	case errors.Is(err, ErrConsentMissing):
		return "consent_missing", 403
	case errors.Is(err, ErrConsentExpired):
		return "consent_expired", 403
	case errors.Is(err, ErrConsentMismatch):
		return "consent_mismatch", 403
	case errors.Is(err, ErrPersonNotFound):
		return "person_not_found", 404
	case errors.Is(err, ErrAddressNotFound):
		return "address_not_found", 404
	}
	return "service_unavailable", 503
}
