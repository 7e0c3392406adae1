package ifyul

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned by the login flows. Callers test for them with
// errors.Is; the returned errors wrap them with details.
var (
	// ErrStateMismatch means the callback carried a state other than the one
	// stored for the browser's login attempt: the response belongs to another
	// attempt, possibly an attacker's.
	ErrStateMismatch = errors.New("ifyul: state does not match the login attempt")

	// ErrAttemptNotFound means the callback came without a known login
	// attempt: the browser has no attempt cookie, or the store does not hold it.
	ErrAttemptNotFound = errors.New("ifyul: login attempt not found")

	// ErrAttemptExpired means the login attempt existed but its time ran out
	// before the callback arrived.
	ErrAttemptExpired = errors.New("ifyul: login attempt expired")

	// ErrReplayedCallback means the login attempt was already completed once;
	// a second callback for it is refused.
	ErrReplayedCallback = errors.New("ifyul: login attempt already used")

	// ErrProviderUnavailable means ЕС ИФЮЛ could not be reached or responded
	// with a server error.
	ErrProviderUnavailable = errors.New("ifyul: provider unavailable")

	// ErrKPSISUnavailable means the КПСИС could not be reached or responded
	// with a server error.
	ErrKPSISUnavailable = errors.New("ifyul: КПСИС unavailable")

	// ErrMaintenance means the operator has suspended the service for
	// maintenance. Such a pause is announced and temporary.
	ErrMaintenance = errors.New("ifyul: service under maintenance")

	// ErrAccessSuspended means the operator has suspended this information
	// system's access, for example for unpaid bills or a security threat.
	ErrAccessSuspended = errors.New("ifyul: access suspended by the operator")

	// ErrClientProgramNotConfirmed means the client program (КП) did not
	// confirm the signed login request, so the provider refused it.
	ErrClientProgramNotConfirmed = errors.New(
		"ifyul: client program did not confirm the login request")

	// ErrAccessDenied means the person or the provider declined the login.
	ErrAccessDenied = errors.New("ifyul: access denied")

	// ErrInvalidToken means an ID token failed verification. The more
	// specific errors below wrap it.
	ErrInvalidToken = errors.New("ifyul: invalid ID token")

	// ErrStoreUnavailable means the attempt or session store failed, for
	// example an unreachable Redis. No login completes without it.
	ErrStoreUnavailable = errors.New("ifyul: attempt or session store unavailable")

	// ErrInvalidIdentity means the verified claims do not describe a person
	// the SDK can accept, for example a malformed personal number.
	ErrInvalidIdentity = errors.New("ifyul: invalid identity claims")
)

// Specific token errors. Each wraps ErrInvalidToken.
var (
	ErrWrongIssuer    = fmt.Errorf("%w: issuer does not match", ErrInvalidToken)
	ErrWrongAudience  = fmt.Errorf("%w: audience does not contain the client ID", ErrInvalidToken)
	ErrTokenExpired   = fmt.Errorf("%w: token expired", ErrInvalidToken)
	ErrBadSignature   = fmt.Errorf("%w: signature not valid", ErrInvalidToken)
	ErrNonceMismatch  = fmt.Errorf("%w: nonce does not match the login attempt", ErrInvalidToken)
	ErrSubjectChanged = fmt.Errorf("%w: userinfo subject differs from the ID token", ErrInvalidToken)
)

// ProtocolError is an error response of ЕС ИФЮЛ, the КПСИС or the client
// program. It carries the code and text the component sent, and unwraps to
// the sentinel error the code maps to, if any.
type ProtocolError struct {
	// Source names the component that responded: "provider", "КПСИС" or
	// "client program".
	Source string
	// Code is the error code as sent: the OAuth "error" parameter of the
	// provider, or the "err" field of the КПСИС.
	Code string
	// Description is the human-readable text, if the component sent one.
	Description string
	// URI is the OAuth "error_uri", if sent.
	URI string
	// HTTPStatus is the HTTP status of the response, or 0 for a redirect.
	HTTPStatus int

	kind error
}

func (e *ProtocolError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ifyul: %s returned error %q", e.Source, e.Code)
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// Unwrap returns the sentinel error the code maps to, or nil.
func (e *ProtocolError) Unwrap() error { return e.kind }
