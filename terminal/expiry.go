package terminal

import (
	"errors"
	"fmt"
	"time"
)

// ErrCVCertificateExpired means the date checked is after a certificate's expiration date.
var ErrCVCertificateExpired = errors.New("terminal: cv certificate has expired")

// ErrCVCertificateNotYetValid means the date checked is before a certificate's
// effective date.
var ErrCVCertificateNotYetValid = errors.New("terminal: cv certificate is not yet valid")

// calendarDay returns the date of t in t's location, as 00:00 UTC of that date, the
// form of EffectiveDate and ExpirationDate.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CheckValidity returns nil if the calendar date of at, in at's location, lies between
// the effective and the expiration date inclusive. Otherwise it returns an error
// wrapping ErrCVCertificateExpired or ErrCVCertificateNotYetValid.
func (c *CVCertificate) CheckValidity(at time.Time) error {
	day := calendarDay(at)
	switch {
	case day.Before(c.EffectiveDate):
		return fmt.Errorf("%w: %s is valid from %s, checked on %s", ErrCVCertificateNotYetValid,
			c.HolderReference, c.EffectiveDate.Format(time.DateOnly), day.Format(time.DateOnly))
	case day.After(c.ExpirationDate):
		return fmt.Errorf("%w: %s expired after %s, checked on %s", ErrCVCertificateExpired,
			c.HolderReference, c.ExpirationDate.Format(time.DateOnly), day.Format(time.DateOnly))
	}
	return nil
}

// CertificateState is the outcome of CheckTerminalCertificate.
type CertificateState int

// The states of a terminal certificate, from the point of view of its renewal.
const (
	// CertificateValid means valid and not yet due for renewal.
	CertificateValid CertificateState = iota
	// CertificateExpiring means valid, but ending within the warning period.
	CertificateExpiring
	// CertificateExpired means the expiration date has passed.
	CertificateExpired
	// CertificateNotYetValid means the effective date has not come.
	CertificateNotYetValid
)

// String returns the state in lower case words, for logs.
func (s CertificateState) String() string {
	switch s {
	case CertificateValid:
		return "valid"
	case CertificateExpiring:
		return "expiring"
	case CertificateExpired:
		return "expired"
	case CertificateNotYetValid:
		return "not yet valid"
	default:
		return fmt.Sprintf("CertificateState(%d)", int(s))
	}
}

// TerminalCertificateStatus describes how long a terminal certificate remains valid.
type TerminalCertificateStatus struct {
	// Holder is the certHolderReference, the certificate's serial number.
	Holder string
	State  CertificateState
	// ValidUntil is the moment validity ends: 00:00 of the day after the expiration
	// date, in the location of the time passed to CheckTerminalCertificate.
	ValidUntil time.Time
	// Remaining is the time from the check to ValidUntil, negative after expiry.
	Remaining time.Duration
	// DaysLeft counts the calendar days from the day of the check to the expiration date:
	// 0 on the last valid day, negative after expiry.
	DaysLeft int
}

// CheckTerminalCertificate reports whether the terminal certificate «СОКобл» of the
// terminal module is valid at now and whether it is due for renewal. The operator
// re-issues it monthly, and the card rejects an expired one, so run this at start-up and
// on a schedule, and alert when State is CertificateExpiring. The state is
// CertificateExpiring once Remaining is at most warnBefore.
//
// An expired or not yet valid certificate also returns an error wrapping
// ErrCVCertificateExpired or ErrCVCertificateNotYetValid, together with the filled-in
// status. CV dates carry no time zone, so they are compared with the calendar date of
// now in now's location. To count days in Belarusian time, pass now in Europe/Minsk.
func CheckTerminalCertificate(cert *CVCertificate, now time.Time,
	warnBefore time.Duration) (TerminalCertificateStatus, error) {
	exp := cert.ExpirationDate
	status := TerminalCertificateStatus{
		Holder:     cert.HolderReference,
		ValidUntil: time.Date(exp.Year(), exp.Month(), exp.Day()+1, 0, 0, 0, 0, now.Location()),
		DaysLeft:   int(exp.Sub(calendarDay(now)) / (24 * time.Hour)),
	}
	status.Remaining = status.ValidUntil.Sub(now)

	err := cert.CheckValidity(now)
	switch {
	case errors.Is(err, ErrCVCertificateExpired):
		status.State = CertificateExpired
	case errors.Is(err, ErrCVCertificateNotYetValid):
		status.State = CertificateNotYetValid
	case status.Remaining <= warnBefore:
		status.State = CertificateExpiring
	default:
		status.State = CertificateValid
	}
	return status, err
}
