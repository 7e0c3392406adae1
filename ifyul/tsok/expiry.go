package tsok

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/esiful/sdk-go/attrcert"
)

// DefaultWarnBefore is how long before expiry Status reports
// StateRenewalDue when no other period is given.
//
// The operator's procedure for consumers («Порядок оказания электронных
// услуг ЕС ИФЮЛ») makes the consumer track the ТСОК's expiry itself, and
// has the new request file formed when the old certificate's validity
// ends, then sent through the operator's support system. Thirty days
// leave time to gather three of the five password holders, check that the
// certificate's data are unchanged, and reach the support system.
const DefaultWarnBefore = 30 * 24 * time.Hour

// State is the validity state of a ТСОК at a moment.
type State string

// The states Status reports.
const (
	// StateValid: within the validity period, expiry farther than the
	// warning period.
	StateValid State = "valid"
	// StateRenewalDue: valid, but expiring within the warning period.
	StateRenewalDue State = "renewal_due"
	// StateExpired: past notAfter.
	StateExpired State = "expired"
	// StateNotYetValid: before notBefore.
	StateNotYetValid State = "not_yet_valid"
)

// ExpiryStatus is a ТСОК's validity at a moment.
type ExpiryStatus struct {
	State     State     `json:"state"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// DaysLeft is the whole days from the moment to NotAfter, rounded
	// down: 0 in the last day, negative once expired.
	DaysLeft int `json:"days_left"`
	// Subject is the certificate's commonName and SerialNumber its serial
	// number in hex, to tell certificates apart in logs.
	Subject      string `json:"subject"`
	SerialNumber string `json:"serial_number"`
	// CheckedAt is the moment the status describes.
	CheckedAt time.Time `json:"checked_at"`
}

// Status returns the state of cert at now. warnBefore is the period
// before notAfter in which the state is StateRenewalDue; zero or negative
// means DefaultWarnBefore. notAfter itself still counts as valid, as in
// X.509. cert must not be nil.
func Status(cert *attrcert.Certificate, now time.Time, warnBefore time.Duration) ExpiryStatus {
	if warnBefore <= 0 {
		warnBefore = DefaultWarnBefore
	}
	x := cert.X509
	s := ExpiryStatus{
		NotBefore:    x.NotBefore,
		NotAfter:     x.NotAfter,
		DaysLeft:     int(math.Floor(x.NotAfter.Sub(now).Hours() / 24)),
		Subject:      x.Subject.CommonName,
		SerialNumber: fmt.Sprintf("%x", x.SerialNumber),
		CheckedAt:    now,
	}
	switch {
	case now.Before(x.NotBefore):
		s.State = StateNotYetValid
	case now.After(x.NotAfter):
		s.State = StateExpired
	case x.NotAfter.Sub(now) <= warnBefore:
		s.State = StateRenewalDue
	default:
		s.State = StateValid
	}
	return s
}

// Message describes the status in Russian and English.
func (s ExpiryStatus) Message() Message {
	until := s.NotAfter.UTC().Format("2006-01-02 15:04 UTC")
	switch s.State {
	case StateValid:
		return Message{
			Ru: fmt.Sprintf("ТСОК действителен до %s (дней: %d).", until, s.DaysLeft),
			En: fmt.Sprintf("The ТСОК is valid until %s (%d days left).", until, s.DaysLeft)}
	case StateRenewalDue:
		return Message{
			Ru: fmt.Sprintf("ТСОК истекает %s (дней: %d): подготовьте новый запрос на "+
				"издание ТСОК.", until, s.DaysLeft),
			En: fmt.Sprintf("The ТСОК expires on %s (%d days left): prepare the request for "+
				"a new one.", until, s.DaysLeft)}
	case StateExpired:
		return Message{
			Ru: fmt.Sprintf("Срок действия ТСОК истёк %s: сформируйте запрос на издание "+
				"нового ТСОК и направьте его оператору.", until),
			En: fmt.Sprintf("The ТСОК expired on %s: form the request for a new one and send "+
				"it to the operator.", until)}
	case StateNotYetValid:
		from := s.NotBefore.UTC().Format("2006-01-02 15:04 UTC")
		return Message{
			Ru: fmt.Sprintf("ТСОК начнёт действовать %s.", from),
			En: fmt.Sprintf("The ТСОК becomes valid on %s.", from)}
	}
	return Message{Ru: "Состояние ТСОК неизвестно.", En: "The ТСОК's state is unknown."}
}

// ReadCertificate parses an issued ТСОК given as PEM (a CERTIFICATE block)
// or DER, with attrcert, which reads bign keys and signatures.
func ReadCertificate(data []byte) (*attrcert.Certificate, error) {
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		return attrcert.ParseCertificatePEM(trimmed)
	}
	return attrcert.ParseCertificate(data)
}

// CertificateSource returns the current ТСОК. The watcher and the health
// handler call it at every check, so a renewed certificate is picked up.
type CertificateSource func(ctx context.Context) (*attrcert.Certificate, error)

// load calls the source and turns a nil certificate into an error.
func (source CertificateSource) load(ctx context.Context) (*attrcert.Certificate, error) {
	cert, err := source(ctx)
	if err == nil && (cert == nil || cert.X509 == nil) {
		err = errors.New("tsok: the certificate source returned no certificate")
	}
	return cert, err
}

// CertificateFile reads the ТСОК from a PEM or DER file at every call.
func CertificateFile(path string) CertificateSource {
	return func(context.Context) (*attrcert.Certificate, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("tsok: reading the ТСОК: %w", err)
		}
		cert, err := ReadCertificate(data)
		if err != nil {
			return nil, fmt.Errorf("tsok: ТСОК file %s: %w", path, err)
		}
		return cert, nil
	}
}

// StaticCertificate returns cert at every call.
func StaticCertificate(cert *attrcert.Certificate) CertificateSource {
	return func(context.Context) (*attrcert.Certificate, error) { return cert, nil }
}
