package gir

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
)

var testNow = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func mustPersonalNumber(t testing.TB, s string) ifyul.PersonalNumber {
	t.Helper()
	pn, err := ifyul.ParsePersonalNumber(s)
	require.NoError(t, err)
	return pn
}

func testConsent(t testing.TB) Consent {
	return Consent{
		ID:             "consent-17",
		PersonalNumber: mustPersonalNumber(t, "3150385A001PB6"),
		GivenAt:        testNow.Add(-time.Hour),
		ExpiresAt:      testNow.Add(24 * time.Hour),
		Purpose:        "оформление кредита",
	}
}

func TestConsentCheck(t *testing.T) {
	person := mustPersonalNumber(t, "3150385A001PB6")
	other := mustPersonalNumber(t, "4150385A001PB3")
	tests := []struct {
		name   string
		change func(c *Consent)
		person ifyul.PersonalNumber
		want   error
		msg    string
	}{
		{name: "valid", change: func(c *Consent) {}, person: person},
		{name: "no expiry", change: func(c *Consent) { c.ExpiresAt = time.Time{} }, person: person},
		{name: "listed service", person: person,
			change: func(c *Consent) {
				c.Services = []Service{ServicePlaces, ServicePersonalData}
			}},
		{name: "slightly ahead clock", person: person,
			change: func(c *Consent) { c.GivenAt = testNow.Add(30 * time.Second) }},
		{name: "zero consent", change: func(c *Consent) { *c = Consent{} }, person: person,
			want: ErrConsentMissing, msg: "gir: consent missing: identifier missing"},
		{name: "no person", change: func(c *Consent) { c.PersonalNumber = ifyul.PersonalNumber{} },
			person: person, want: ErrConsentMissing, msg: "gir: consent missing: personal number " +
				"missing"},
		{name: "no time", change: func(c *Consent) { c.GivenAt = time.Time{} }, person: person,
			want: ErrConsentMissing, msg: "gir: consent missing: time of consent missing"},
		{name: "no purpose", change: func(c *Consent) { c.Purpose = "" }, person: person,
			want: ErrConsentMissing, msg: "gir: consent missing: purpose missing"},
		{name: "another person", change: func(c *Consent) {}, person: other,
			want: ErrConsentMismatch,
			msg: `gir: consent does not cover the request: consent "consent-17" was given by ` +
				`another person`},
		{name: "in the future", change: func(c *Consent) { c.GivenAt = testNow.Add(time.Hour) },
			person: person, want: ErrConsentMismatch,
			msg: `gir: consent does not cover the request: consent "consent-17" is dated ` +
				`2026-05-04T13:00:00Z, in the future`},
		{name: "expired", change: func(c *Consent) { c.ExpiresAt = testNow }, person: person,
			want: ErrConsentExpired, msg: `gir: consent expired: consent "consent-17" ended at ` +
				`2026-05-04T12:00:00Z`},
		{name: "other service", change: func(c *Consent) { c.Services = []Service{ServicePlaces} },
			person: person, want: ErrConsentMismatch,
			msg: `gir: consent does not cover the request: consent "consent-17" does not cover ` +
				`service 3.40.01/1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConsent(t)
			tt.change(&c)
			err := c.Check(testNow, tt.person, ServicePersonalData)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.EqualError(t, err, tt.msg)
		})
	}
}

func TestMemoryConsentRecorder(t *testing.T) {
	var recorder MemoryConsentRecorder
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			record := ConsentRecord{RequestID: string(rune('a' + i)), Service: ServicePlaces,
				Consent: testConsent(t), RecordedAt: testNow}
			assert.NoError(t, recorder.RecordConsent(context.Background(), record))
		}()
	}
	wg.Wait()
	records := recorder.Records()
	assert.Len(t, records, 8)

	records[0].RequestID = "changed"
	assert.NotEqual(t, "changed", recorder.Records()[0].RequestID, "Records returns a copy")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, recorder.RecordConsent(ctx, ConsentRecord{}), context.Canceled)
	assert.Len(t, recorder.Records(), 8)
}
