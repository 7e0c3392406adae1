package envelope

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

// testCA is a root and a РУЦ-like CA under it.
type testCA struct {
	root, ruc *pki.Authority
}

func newTestCA(t *testing.T, now time.Time) *testCA {
	t.Helper()
	root, err := pki.NewRoot(pkix.Name{CommonName: "root"}, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	require.NoError(t, err)
	ruc, err := root.NewAuthority(pkix.Name{CommonName: "ruc"}, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	require.NoError(t, err)
	return &testCA{root: root, ruc: ruc}
}

func (ca *testCA) signer(t *testing.T, cn string, notAfter time.Time) *BignSigner {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ca.ruc.Issue(pki.Template{Subject: pkix.Name{CommonName: cn},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter}, key.PublicKey())
	require.NoError(t, err)
	return NewBignSigner(key, der)
}

func (ca *testCA) verifier(cn string) *CertificateVerifier {
	return &CertificateVerifier{
		Options: attrcert.VerifyOptions{
			Roots:         attrcert.NewTrustAnchors(ca.root.Certificate),
			Intermediates: []*attrcert.Certificate{ca.ruc.Certificate},
		},
		Subject: cn,
	}
}

func TestBignEnvelopeRoundTrip(t *testing.T) {
	ca := newTestCA(t, time.Now())
	sealedText, err := Seal(ca.signer(t, "КПСИС sys", time.Now().Add(time.Hour)),
		map[string]string{"request_id": "r1"})
	require.NoError(t, err)

	var out map[string]string
	require.NoError(t, Open(ca.verifier("КПСИС sys"), sealedText, &out))
	assert.Equal(t, "r1", out["request_id"])
}

func TestBignEnvelopeRejected(t *testing.T) {
	now := time.Now()
	ca := newTestCA(t, now)
	other := newTestCA(t, now)
	payload := map[string]string{"request_id": "r1"}

	cases := []struct {
		name     string
		signer   *BignSigner
		verifier *CertificateVerifier
		want     string
	}{
		{"another subject", ca.signer(t, "КПСИС other", now.Add(time.Hour)),
			ca.verifier("КПСИС sys"), `issued to "КПСИС other"`},
		{"untrusted CA", other.signer(t, "КПСИС sys", now.Add(time.Hour)),
			ca.verifier("КПСИС sys"), "signer's certificate"},
		{"expired certificate", ca.signer(t, "КПСИС sys", now.Add(-time.Hour)),
			ca.verifier("КПСИС sys"), "expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, err := Seal(tc.signer, payload)
			require.NoError(t, err)
			var out map[string]string
			err = Open(tc.verifier, text, &out)
			assert.ErrorIs(t, err, ErrBadSignature)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestBignEnvelopeTamperedPayload(t *testing.T) {
	ca := newTestCA(t, time.Now())
	signer := ca.signer(t, "КПСИС sys", time.Now().Add(time.Hour))
	sig, err := signer.Sign([]byte(`{"request_id":"r1"}`))
	require.NoError(t, err)

	err = ca.verifier("КПСИС sys").Verify(BignAlgorithm, []byte(`{"request_id":"r2"}`), sig,
		signer.Certificate())
	assert.ErrorIs(t, err, bign.ErrInvalidSignature)
}
