package gir

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// Consent is a person's consent («согласие физического лица») to the
// processing of their data, which the ОАИС register services require for
// every request. The consumer obtains it, stores it and passes it with each
// request; this package checks it, records its use and sends it along.
type Consent struct {
	// ID is the consumer's identifier of the consent record.
	ID string `json:"id"`
	// PersonalNumber identifies the person who consented.
	PersonalNumber ifyul.PersonalNumber `json:"personal_number"`
	// GivenAt is when the person consented.
	GivenAt time.Time `json:"given_at"`
	// ExpiresAt is when the consent ends; zero means it lasts until revoked.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Purpose is the purpose of processing that the person agreed to, as
	// shown to them.
	Purpose string `json:"purpose"`
	// Services limits the consent to these services; empty means every
	// register service of this package.
	Services []Service `json:"services,omitempty"`
}

// consentClockSkew is how far GivenAt may lie ahead of the checking clock,
// because the consent may be recorded on another server.
const consentClockSkew = time.Minute

// Check reports whether the consent covers a request for service about
// person at time now. The error wraps ErrConsentMissing when the identifier,
// person, time or purpose is missing, and ErrConsentExpired when ExpiresAt
// has passed. It wraps ErrConsentMismatch when another person gave the
// consent, when GivenAt lies more than a minute ahead, or when Services does
// not list the service.
func (c *Consent) Check(now time.Time, person ifyul.PersonalNumber, service Service) error {
	switch {
	case c.ID == "":
		return fmt.Errorf("%w: identifier missing", ErrConsentMissing)
	case c.PersonalNumber.IsZero():
		return fmt.Errorf("%w: personal number missing", ErrConsentMissing)
	case c.GivenAt.IsZero():
		return fmt.Errorf("%w: time of consent missing", ErrConsentMissing)
	case c.Purpose == "":
		return fmt.Errorf("%w: purpose missing", ErrConsentMissing)
	case c.PersonalNumber != person:
		return fmt.Errorf("%w: consent %q was given by another person", ErrConsentMismatch, c.ID)
	case c.GivenAt.After(now.Add(consentClockSkew)):
		return fmt.Errorf("%w: consent %q is dated %s, in the future",
			ErrConsentMismatch, c.ID, c.GivenAt.Format(time.RFC3339))
	case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
		return fmt.Errorf("%w: consent %q ended at %s",
			ErrConsentExpired, c.ID, c.ExpiresAt.Format(time.RFC3339))
	case len(c.Services) > 0 && !slices.Contains(c.Services, service):
		return fmt.Errorf("%w: consent %q does not cover service %s",
			ErrConsentMismatch, c.ID, service)
	}
	return nil
}

// ConsentRecord is one use of a consent: the request it was sent with.
type ConsentRecord struct {
	RequestID  string    `json:"request_id"`
	Service    Service   `json:"service"`
	Consent    Consent   `json:"consent"`
	RecordedAt time.Time `json:"recorded_at"`
}

// ConsentRecorder stores the use of each consent before the request leaves,
// so that the consumer can show which consent every register request relied
// on. An error from RecordConsent stops the request.
type ConsentRecorder interface {
	RecordConsent(ctx context.Context, record ConsentRecord) error
}

// MemoryConsentRecorder is a ConsentRecorder that keeps records in memory,
// for tests and the demo. It is safe for concurrent use. The zero value is
// ready to use.
type MemoryConsentRecorder struct {
	mu      sync.Mutex
	records []ConsentRecord
}

// RecordConsent appends the record.
func (m *MemoryConsentRecorder) RecordConsent(ctx context.Context, record ConsentRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	record.Consent.Services = slices.Clone(record.Consent.Services)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records = append(m.records, record)
	return nil
}

// Records returns a copy of the records in the order they were made.
func (m *MemoryConsentRecorder) Records() []ConsentRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.records)
}
