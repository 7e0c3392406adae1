package tsok_test

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

// testNow is the moment the expiry tests look from, whole seconds because
// certificates carry no fractions.
var testNow = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

// testCA is a fake РУЦ issuing ТСОК certificates.
func testCA(t *testing.T) *pki.Authority {
	t.Helper()
	root, err := pki.NewRoot(pkix.Name{CommonName: "Тестовый корневой УЦ", Country: []string{"BY"}},
		testNow.AddDate(-5, 0, 0), testNow.AddDate(10, 0, 0))
	require.NoError(t, err)
	ruc, err := root.NewAuthority(pkix.Name{CommonName: "Тестовый РУЦ", Country: []string{"BY"}},
		testNow.AddDate(-5, 0, 0), testNow.AddDate(10, 0, 0))
	require.NoError(t, err)
	return ruc
}

// issueTSOK issues a ТСОК valid from notBefore to notAfter and returns its
// DER.
func issueTSOK(t *testing.T, ca *pki.Authority, notBefore, notAfter time.Time) []byte {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ca.Issue(pki.Template{
		Subject: pkix.Name{CommonName: "kpsis.vector.by", Organization: []string{"ОАО «Вектор»"},
			Country: []string{"BY"}},
		NotBefore: notBefore,
		NotAfter:  notAfter,
	}, key.PublicKey())
	require.NoError(t, err)
	return der
}

func parseTSOK(t *testing.T, der []byte) *attrcert.Certificate {
	t.Helper()
	cert, err := tsok.ReadCertificate(der)
	require.NoError(t, err)
	return cert
}

func TestStatus(t *testing.T) {
	ca := testCA(t)
	day := 24 * time.Hour
	tests := []struct {
		name       string
		notBefore  time.Time
		notAfter   time.Time
		warnBefore time.Duration
		state      tsok.State
		daysLeft   int
	}{
		{"200 days left", testNow.Add(-300 * day), testNow.Add(200 * day), 0, tsok.StateValid, 200},
		{"31 days left", testNow.Add(-300 * day), testNow.Add(31 * day), 0, tsok.StateValid, 31},
		{"30 days and an hour left", testNow.Add(-300 * day), testNow.Add(30*day + time.Hour), 0,
			tsok.StateValid, 30},
		{"30 days left", testNow.Add(-300 * day), testNow.Add(30 * day), 0,
			tsok.StateRenewalDue, 30},
		{"12 hours left", testNow.Add(-300 * day), testNow.Add(12 * time.Hour), 0,
			tsok.StateRenewalDue, 0},
		{"at notAfter", testNow.Add(-300 * day), testNow, 0, tsok.StateRenewalDue, 0},
		{"a second past notAfter", testNow.Add(-300 * day), testNow.Add(-time.Second), 0,
			tsok.StateExpired, -1},
		{"40 days past", testNow.Add(-300 * day), testNow.Add(-40 * day), 0,
			tsok.StateExpired, -40},
		{"starts tomorrow", testNow.Add(day), testNow.Add(400 * day), 0,
			tsok.StateNotYetValid, 400},
		{"90-day warning", testNow.Add(-300 * day), testNow.Add(60 * day), 90 * day,
			tsok.StateRenewalDue, 60},
		{"7-day warning", testNow.Add(-300 * day), testNow.Add(20 * day), 7 * day,
			tsok.StateValid, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert := parseTSOK(t, issueTSOK(t, ca, tt.notBefore, tt.notAfter))
			s := tsok.Status(cert, testNow, tt.warnBefore)
			assert.Equal(t, tt.state, s.State)
			assert.Equal(t, tt.daysLeft, s.DaysLeft)
			assert.True(t, tt.notAfter.Equal(s.NotAfter))
			assert.Equal(t, "kpsis.vector.by", s.Subject)
			assert.NotEmpty(t, s.SerialNumber)
			assert.Contains(t, s.Message().Ru, "ТСОК")
			assert.Contains(t, s.Message().En, "ТСОК")
		})
	}
}

func TestReadCertificate(t *testing.T) {
	der := issueTSOK(t, testCA(t), testNow, testNow.AddDate(1, 0, 0))
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"DER", der, ""},
		{"PEM", pemData, ""},
		{"PEM with leading space", append([]byte("\n  "), pemData...), ""},
		{"PEM of another type", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST",
			Bytes: der}), "no PEM block of type CERTIFICATE"},
		{"truncated DER", der[:100], "attrcert: certificate at offset 0"},
		{"empty", nil, "attrcert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := tsok.ReadCertificate(tt.data)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, der, cert.X509.Raw)
		})
	}
}

func TestCertificateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tsok.pem")
	der := issueTSOK(t, testCA(t), testNow, testNow.AddDate(1, 0, 0))
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: der}), 0o600))

	cert, err := tsok.CertificateFile(path)(context.Background())
	require.NoError(t, err)
	assert.Equal(t, der, cert.X509.Raw)

	_, err = tsok.CertificateFile(filepath.Join(dir, "missing.pem"))(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.pem")

	require.NoError(t, os.WriteFile(path, []byte("not a certificate"), 0o600))
	_, err = tsok.CertificateFile(path)(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tsok.pem")
}
