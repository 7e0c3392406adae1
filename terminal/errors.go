package terminal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/esiful/sdk-go/ifyul"
)

// Sentinel errors of terminal sessions. Callers test for them with
// errors.Is; the returned errors wrap them with the step and component.
var (
	// ErrNoCard means the client program found no card reader or no card in
	// it (err "3"). Ask the person to insert the ID card and try again.
	ErrNoCard = errors.New("terminal: no card reader or card")

	// ErrAccessDenied means the card refused access that the terminal
	// certificate does not grant (status 6982), such as a data group the
	// certificate does not allow, or that the certificate itself lacks.
	ErrAccessDenied = errors.New("terminal: access denied by the card")

	// ErrWrongPIN means the card rejected the PIN entered in the client
	// program (status 63CX). Error.AttemptsLeft returns how many remain.
	ErrWrongPIN = errors.New("terminal: wrong PIN")

	// ErrPINBlocked means the PIN is blocked, deactivated or suspended
	// (status 6983, 6984 or 6985), so the person must unblock it with the PUK
	// or resume it with the CAN first.
	ErrPINBlocked = errors.New("terminal: PIN blocked")

	// ErrCardRejected means the card returned an error status that no other
	// sentinel covers. Error.StatusWord returns it.
	ErrCardRejected = errors.New("terminal: card rejected the command")

	// ErrTerminalCertificateExpired means the terminal certificate «СОКобл»
	// that the КПСИС presented has expired. It also matches
	// ErrCVCertificateExpired. The session refuses it before sending the
	// card any command: renew the certificate in the КПСИС.
	ErrTerminalCertificateExpired = fmt.Errorf("terminal: terminal certificate: %w",
		ErrCVCertificateExpired)

	// ErrUnavailable means the КПСИС or the client program could not be
	// reached or responded with a server error or an unreadable body.
	ErrUnavailable = errors.New("terminal: component unavailable")

	// ErrTooManySteps means a relay loop did not finish within
	// Config.MaxSteps exchanges with the card.
	ErrTooManySteps = errors.New("terminal: relay did not finish")

	// ErrSessionClosed means the session is not open: Open has not
	// succeeded, or Close has ended it.
	ErrSessionClosed = errors.New("terminal: session is not open")

	// ErrSignatureInvalid means a signature does not verify under the
	// signer's certificate.
	ErrSignatureInvalid = errors.New("terminal: signature is invalid")

	// ErrMaintenance and ErrAccessSuspended are the sentinels of package
	// ifyul, so that one check covers login and terminal mode alike.
	ErrMaintenance     = ifyul.ErrMaintenance
	ErrAccessSuspended = ifyul.ErrAccessSuspended
)

// Components named in errors.
const (
	ComponentKPSIS         = "КПСИС"
	ComponentClientProgram = "client program"
	// ComponentTerminalCertificate names the terminal certificate's own
	// rights, checked before the КПСИС is asked for a data group.
	ComponentTerminalCertificate = "terminal certificate"
)

// Error is a failed step of a terminal session: an error code returned by
// the КПСИС or the client program, or a transport or format failure on the
// way. It unwraps to the sentinel that the code maps to and to the
// underlying error, if any.
type Error struct {
	// Step is the api/v1 method, such as "read_dg" or "terminal_proxy_command".
	Step string
	// Component is ComponentKPSIS, ComponentClientProgram or
	// ComponentTerminalCertificate.
	Component string
	// Code is the "err" field as sent, empty for transport failures.
	Code string
	// Description is the "error_description" field, if the component sent one.
	Description string
	// DataGroup is the data group being read when the step failed, 0 if
	// none or unknown.
	DataGroup int
	// Err is the underlying failure, nil when the component returned a code.
	Err error

	kind error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "terminal: %s %s", e.Component, e.Step)
	if e.Code != "" {
		fmt.Fprintf(&b, ": err %q", e.Code)
		if e.kind != nil && e.kind != ErrCardRejected {
			fmt.Fprintf(&b, " (%s)", strings.TrimPrefix(e.kind.Error(), "terminal: "))
		}
	}
	if e.DataGroup != 0 {
		fmt.Fprintf(&b, " while reading DG%d", e.DataGroup)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the sentinel of the code and the underlying error.
func (e *Error) Unwrap() []error {
	var list []error
	if e.kind != nil {
		list = append(list, e.kind)
	}
	if e.Err != nil {
		list = append(list, e.Err)
	}
	return list
}

// StatusWord returns the card's status word when Code is one (four hex
// digits, as this SDK's fake stack reports card refusals), and false
// otherwise.
func (e *Error) StatusWord() (uint16, bool) { return parseStatusWord(e.Code) }

// AttemptsLeft returns the PIN attempts left after a wrong PIN (status
// 63CX), and false for other errors.
func (e *Error) AttemptsLeft() (int, bool) {
	sw, ok := e.StatusWord()
	if !ok || sw&0xFFF0 != 0x63C0 {
		return 0, false
	}
	return int(sw & 0x0F), true
}

func parseStatusWord(code string) (uint16, bool) {
	if len(code) != 4 {
		return 0, false
	}
	var sw uint16
	for i := 0; i < 4; i++ {
		c := code[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		sw = sw<<4 | uint16(d)
	}
	return sw, true
}

// DefaultErrorCodes maps the "err" codes of the КПСИС and the client
// program to sentinel errors. Codes of four hex digits are card status
// words and need no entry: 6982 means ErrAccessDenied, 63CX ErrWrongPIN,
// 6983 to 6985 ErrPINBlocked, and any other ErrCardRejected.
//
// NOTE: only "0" (success) and "3" (no reader or card) are seen in the real
// components. The other codes are those of this SDK's fake stack; add real
// ones here or through Config.ErrorCodes, which is consulted first.
var DefaultErrorCodes = map[string]error{
	"3":                ErrNoCard,
	"maintenance":      ErrMaintenance,
	"access_suspended": ErrAccessSuspended,
	"server_error":     ErrUnavailable,
}

// classify returns the sentinel for a code: from the overrides, the default
// table, then the card status words.
func classify(code string, overrides map[string]error) error {
	if kind, ok := overrides[code]; ok {
		return kind
	}
	if kind, ok := DefaultErrorCodes[code]; ok {
		return kind
	}
	sw, ok := parseStatusWord(code)
	switch {
	case !ok:
		return nil
	case sw == 0x6982:
		return ErrAccessDenied
	case sw&0xFFF0 == 0x63C0:
		return ErrWrongPIN
	case sw == 0x6983 || sw == 0x6984 || sw == 0x6985:
		return ErrPINBlocked
	}
	return ErrCardRejected
}
