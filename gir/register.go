package gir

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// RegisterClient requests register data about a person through the ОАИС
// services that the operator offers system-to-system: personal data from the
// population register and the places of residence and stay. These services
// are a contract of their own, separate from login, and each request needs
// the person's consent.
//
// Every method checks the consent, records its use with Consents, then sends
// the request through Transport and decodes the data with Schema. A
// RegisterClient is safe for concurrent use when its Transport and Consents
// are.
type RegisterClient struct {
	// Transport delivers the requests. Required.
	Transport Transport
	// Consents records each use of a consent before the request is sent.
	// Required, because the consumer must be able to show the consent behind
	// every request.
	Consents ConsentRecorder
	// Schema names the members of the data; nil means DefaultSchema.
	Schema *Schema
	// Now returns the time for consent checks and records; nil means
	// time.Now.
	Now func() time.Time
	// Logger receives one line per request, without personal data; nil
	// means no logging.
	Logger *slog.Logger
}

// Request names the person and carries their consent.
type Request struct {
	PersonalNumber ifyul.PersonalNumber
	Consent        Consent
}

// Places holds both places of a person; a nil field means the register holds
// no place of that kind.
type Places struct {
	Residence *Place `json:"residence,omitempty"`
	Stay      *Place `json:"stay,omitempty"`
}

// PersonalData requests the person's data from the population register
// (service 3.40.01/1). When the register sends a personal number, it must be
// the one requested.
func (c *RegisterClient) PersonalData(ctx context.Context, req Request) (*PersonalData, error) {
	data, err := c.call(ctx, ServicePersonalData, req)
	if err != nil {
		return nil, err
	}
	d, err := c.schema().DecodePersonalData(data)
	if err != nil {
		return nil, err
	}
	if !d.PersonalNumber.IsZero() && d.PersonalNumber != req.PersonalNumber {
		return nil, fmt.Errorf("%w: the register sent data of another person", ErrInvalidData)
	}
	return d, nil
}

// Places requests the person's places of residence and stay (service
// 3.50.01/1). The response must be an object with at least one of the
// members that Schema.Places names. A null or absent member means no place
// of that kind.
func (c *RegisterClient) Places(ctx context.Context, req Request) (*Places, error) {
	data, err := c.call(ctx, ServicePlaces, req)
	if err != nil {
		return nil, err
	}
	return c.schema().decodePlaces(data)
}

// ResidencePlace requests the place of residence through Places. It returns
// ErrNoPlace when the person has none registered.
func (c *RegisterClient) ResidencePlace(ctx context.Context, req Request) (*Place, error) {
	places, err := c.Places(ctx, req)
	if err != nil {
		return nil, err
	}
	if places.Residence == nil {
		return nil, fmt.Errorf("%w of residence", ErrNoPlace)
	}
	return places.Residence, nil
}

// StayPlace requests the place of stay through Places. It returns
// ErrNoPlace when the person has none registered.
func (c *RegisterClient) StayPlace(ctx context.Context, req Request) (*Place, error) {
	places, err := c.Places(ctx, req)
	if err != nil {
		return nil, err
	}
	if places.Stay == nil {
		return nil, fmt.Errorf("%w of stay", ErrNoPlace)
	}
	return places.Stay, nil
}

func (c *RegisterClient) schema() *Schema {
	if c.Schema != nil {
		return c.Schema
	}
	return &DefaultSchema
}

func (c *RegisterClient) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// call checks the request, records the consent and sends the call.
func (c *RegisterClient) call(ctx context.Context, service Service, req Request) ([]byte, error) {
	if c.Transport == nil || c.Consents == nil {
		return nil, errors.New("gir: RegisterClient needs a Transport and a ConsentRecorder")
	}
	if req.PersonalNumber.IsZero() {
		return nil, errors.New("gir: request without a personal number")
	}
	now := c.now()
	if err := req.Consent.Check(now, req.PersonalNumber, service); err != nil {
		return nil, err
	}

	call := &Call{Service: service, RequestID: newRequestID(),
		PersonalNumber: req.PersonalNumber, Consent: req.Consent}
	record := ConsentRecord{RequestID: call.RequestID, Service: service,
		Consent: req.Consent, RecordedAt: now}
	if err := c.Consents.RecordConsent(ctx, record); err != nil {
		return nil, fmt.Errorf("gir: record consent %q: %w", req.Consent.ID, err)
	}

	data, err := c.Transport.Call(ctx, call)
	c.log(ctx, call, err)
	if err != nil {
		return nil, err
	}
	return data, nil
}

func (c *RegisterClient) log(ctx context.Context, call *Call, err error) {
	if c.Logger == nil {
		return
	}
	attrs := []any{"service", call.Service, "request_id", call.RequestID,
		"consent_id", call.Consent.ID}
	if err != nil {
		c.Logger.WarnContext(ctx, "gir: register request failed", append(attrs, "error", err)...)
		return
	}
	c.Logger.InfoContext(ctx, "gir: register request", attrs...)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// decodePlaces decodes the response of the places service.
func (s *Schema) decodePlaces(data []byte) (*Places, error) {
	const object = "places"
	o, err := readObject(object, data, 0)
	if err != nil {
		return nil, err
	}
	places := &Places{}
	found := false
	for _, p := range []struct {
		names  FieldNames
		target **Place
	}{{s.Places.Residence, &places.Residence}, {s.Places.Stay, &places.Stay}} {
		name, m, ok, err := o.member(p.names)
		if err != nil {
			return nil, err
		}
		found = found || name != ""
		if !ok {
			continue
		}
		place, err := s.decodePlace(name, m.raw, m.offset)
		if err != nil && !errors.Is(err, ErrNoPlace) {
			return nil, err
		}
		*p.target = place
	}
	if !found {
		return nil, &FieldError{Object: object, Offset: int64(skipSpace(data, 0)),
			Reason: "expected at least one of " +
				quoteNames(s.Places.Residence, s.Places.Stay) + ", got none"}
	}
	return places, nil
}
