package gir

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors of the package. Returned errors wrap them with details, so
// callers test for them with errors.Is.
var (
	// ErrNoPlace means the register holds no place of the requested kind for
	// the person: the value was null, absent, an empty object or an empty
	// string. It is a result, not a failure, and comes with a nil *Place.
	ErrNoPlace = errors.New("gir: no registered place")

	// ErrInvalidData means register data did not have the expected shape or
	// types. *FieldError wraps it and names the field and byte offset.
	ErrInvalidData = errors.New("gir: invalid register data")

	// ErrInvalidAddress means an address text could not be read at all, for
	// example because it is empty or not UTF-8.
	ErrInvalidAddress = errors.New("gir: invalid address")

	// ErrInvalidAddressID means a value is not an address identifier.
	ErrInvalidAddressID = errors.New("gir: invalid address identifier")

	// ErrAddressNotFound means the address register holds no address with the
	// identifier.
	ErrAddressNotFound = errors.New("gir: address not found")

	// ErrConsentMissing means a register request came without the person's
	// consent, or with a consent that lacks its identifier, person, time or
	// purpose.
	ErrConsentMissing = errors.New("gir: consent missing")

	// ErrConsentExpired means the person's consent was valid once but its
	// term has ended.
	ErrConsentExpired = errors.New("gir: consent expired")

	// ErrConsentMismatch means the consent does not cover the request: it was
	// given by another person, for other services, or has a time in the future.
	ErrConsentMismatch = errors.New("gir: consent does not cover the request")

	// ErrPersonNotFound means the register holds no person with the personal
	// number.
	ErrPersonNotFound = errors.New("gir: person not found in the register")

	// ErrServiceUnavailable means a register service or the address register
	// could not be reached or responded with a server error. Retrying later
	// may succeed.
	ErrServiceUnavailable = errors.New("gir: register service unavailable")
)

// FieldError describes register data that does not have the expected shape.
// It wraps ErrInvalidData.
type FieldError struct {
	// Object names the decoded value, such as "residence_place" or
	// "personal data".
	Object string
	// Field is the JSON member at fault, or "" when the value as a whole is.
	Field string
	// Offset is the byte offset of the offending value within the JSON text
	// given to the decoder, counted from 0.
	Offset int64
	// Reason is a lowercase phrase such as "expected a string, got number".
	Reason string
}

// Error returns the object, field, offset and reason, prefixed by "gir: ".
func (e *FieldError) Error() string {
	at := " at offset " + strconv.FormatInt(e.Offset, 10)
	if e.Field == "" {
		return "gir: " + e.Object + at + ": " + e.Reason
	}
	return fmt.Sprintf("gir: %s: field %q%s: %s", e.Object, e.Field, at, e.Reason)
}

// Unwrap returns ErrInvalidData.
func (e *FieldError) Unwrap() error { return ErrInvalidData }
