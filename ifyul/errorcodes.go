package ifyul

import "net/http"

// DefaultErrorCodes maps the error codes of the provider and the КПСИС to
// the sentinel errors they mean.
//
// NOTE: the real codes are not public. "access_denied",
// "temporarily_unavailable" and "invalid_grant" are standard OAuth codes;
// the others are the codes of this SDK's fake stack, chosen to be readable.
// When the real codes become known, add them here or through
// Config.ErrorCodes, which is consulted first.
var DefaultErrorCodes = map[string]error{
	"access_denied":           ErrAccessDenied,
	"temporarily_unavailable": ErrProviderUnavailable,
	"maintenance":             ErrMaintenance,
	"access_suspended":        ErrAccessSuspended,
	"provider_unavailable":    ErrProviderUnavailable,
	"state_mismatch":          ErrStateMismatch,
	"unconfirmed_request":     ErrClientProgramNotConfirmed,
	"invalid_token":           ErrInvalidToken,
}

// classify builds the ProtocolError for an error answer, choosing the
// sentinel from the code, then from the HTTP status.
func (c *Client) classify(source, code, description string, status int) *ProtocolError {
	pe := &ProtocolError{Source: source, Code: code, Description: description, HTTPStatus: status}
	if kind, ok := c.cfg.ErrorCodes[code]; ok {
		pe.kind = kind
	} else if kind, ok := DefaultErrorCodes[code]; ok {
		pe.kind = kind
	} else if status >= http.StatusInternalServerError {
		pe.kind = ErrProviderUnavailable
		if source == sourceKPSIS {
			pe.kind = ErrKPSISUnavailable
		}
	}
	return pe
}

const (
	sourceProvider      = "provider"
	sourceKPSIS         = "КПСИС"
	sourceClientProgram = "client program"
)
