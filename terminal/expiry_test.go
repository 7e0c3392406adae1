package terminal

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckTerminalCertificate(t *testing.T) {
	// term.cert is valid from 2025-07-01 through 2025-07-03.
	cert := loadCert(t, "term.cert")
	plus3 := time.FixedZone("UTC+3", 3*60*60)
	tests := []struct {
		name       string
		now        time.Time
		warnBefore time.Duration
		state      CertificateState
		daysLeft   int
		remaining  time.Duration
		err        error
	}{
		{
			name: "valid without warning", now: time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC),
			warnBefore: 24 * time.Hour, state: CertificateValid, daysLeft: 1,
			remaining: 36 * time.Hour,
		},
		{
			name: "within warning period", now: time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC),
			warnBefore: 48 * time.Hour, state: CertificateExpiring, daysLeft: 1,
			remaining: 36 * time.Hour,
		},
		{
			name: "last minute of last day", now: time.Date(2025, 7, 3, 23, 59, 0, 0, time.UTC),
			warnBefore: time.Hour, state: CertificateExpiring, daysLeft: 0,
			remaining: time.Minute,
		},
		{
			name: "first day", now: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
			warnBefore: 0, state: CertificateValid, daysLeft: 2, remaining: 72 * time.Hour,
		},
		{
			name: "day after expiry", now: time.Date(2025, 7, 4, 0, 0, 0, 0, time.UTC),
			warnBefore: 24 * time.Hour, state: CertificateExpired, daysLeft: -1,
			remaining: 0, err: ErrCVCertificateExpired,
		},
		{
			name: "long after expiry", now: time.Date(2026, 12, 4, 6, 0, 0, 0, time.UTC),
			warnBefore: 24 * time.Hour, state: CertificateExpired, daysLeft: -519,
			remaining: -(518*24 + 6) * time.Hour, err: ErrCVCertificateExpired,
		},
		{
			name: "before effective date", now: time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC),
			warnBefore: 24 * time.Hour, state: CertificateNotYetValid, daysLeft: 3,
			remaining: 73 * time.Hour, err: ErrCVCertificateNotYetValid,
		},
		{
			// 22:00 UTC on the last day is already the next day at UTC+3.
			name: "calendar date of the location", now: time.Date(2025, 7, 4, 1, 0, 0, 0, plus3),
			warnBefore: 0, state: CertificateExpired, daysLeft: -1,
			remaining: -time.Hour, err: ErrCVCertificateExpired,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, err := CheckTerminalCertificate(cert, tc.now, tc.warnBefore)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				assert.Contains(t, err.Error(), "001123456789")
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.state, status.State, "state %v", status.State)
			assert.Equal(t, tc.daysLeft, status.DaysLeft)
			assert.Equal(t, tc.remaining, status.Remaining)
			assert.Equal(t, "001123456789", status.Holder)
			assert.True(t, status.ValidUntil.Equal(
				time.Date(2025, 7, 4, 0, 0, 0, 0, tc.now.Location())))
		})
	}
}

func TestCheckValidityMessages(t *testing.T) {
	cert := loadCert(t, "term.cert")
	assert.NoError(t, cert.CheckValidity(time.Date(2025, 7, 3, 23, 59, 59, 0, time.UTC)))
	assert.EqualError(t, cert.CheckValidity(time.Date(2025, 7, 4, 0, 0, 0, 0, time.UTC)),
		"terminal: cv certificate has expired: 001123456789 expired after 2025-07-03, "+
			"checked on 2025-07-04")
	assert.EqualError(t, cert.CheckValidity(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)),
		"terminal: cv certificate is not yet valid: 001123456789 is valid from 2025-07-01, "+
			"checked on 2025-06-30")
}

func TestCertificateStateString(t *testing.T) {
	assert.Equal(t, "valid", CertificateValid.String())
	assert.Equal(t, "expiring", CertificateExpiring.String())
	assert.Equal(t, "expired", CertificateExpired.String())
	assert.Equal(t, "not yet valid", CertificateNotYetValid.String())
	assert.Equal(t, "CertificateState(9)", CertificateState(9).String())
}

func ExampleCheckTerminalCertificate() {
	der, err := os.ReadFile("testdata/term.cert")
	if err != nil {
		panic(err)
	}
	cert, err := ParseCVCertificate(der)
	if err != nil {
		panic(err)
	}

	// A service runs this at start-up and then daily, with time.Now().
	for _, now := range []time.Time{
		time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2025, 7, 3, 9, 0, 0, 0, time.UTC),
		time.Date(2025, 7, 4, 9, 0, 0, 0, time.UTC),
	} {
		status, err := CheckTerminalCertificate(cert, now, 36*time.Hour)
		fmt.Println(now.Format(time.DateOnly), status.State, status.DaysLeft, err)
	}
	// Output:
	// 2025-07-01 valid 2 <nil>
	// 2025-07-03 expiring 0 <nil>
	// 2025-07-04 expired -1 terminal: cv certificate has expired: 001123456789 expired after 2025-07-03, checked on 2025-07-04
}
