package envelope

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
)

// BignAlgorithm names bign-with-hbelt (STB 34.101.45) in envelopes.
const BignAlgorithm = "bign-with-hbelt"

// BignSigner signs with a bign key and puts its certificate (for the КПСИС,
// its ТСОК) into every envelope.
type BignSigner struct {
	key  *bign.PrivateKey
	cert []byte
}

// NewBignSigner returns a signer for the key and its certificate (DER).
func NewBignSigner(key *bign.PrivateKey, certificate []byte) *BignSigner {
	return &BignSigner{key: key, cert: certificate}
}

// Algorithm implements Signer.
func (s *BignSigner) Algorithm() string { return BignAlgorithm }

// Sign implements Signer: bign over the belt-hash of the message.
func (s *BignSigner) Sign(message []byte) ([]byte, error) {
	return bign.SignHbelt(rand.Reader, s.key, message)
}

// Certificate implements Signer.
func (s *BignSigner) Certificate() []byte { return s.cert }

// CertificateVerifier accepts bign signatures made with the key of the
// certificate an envelope carries, when that certificate chains to the
// trust anchors of Options and names Subject as its common name.
type CertificateVerifier struct {
	Options attrcert.VerifyOptions
	// Subject is the common name the signer's certificate must have.
	Subject string
	// Now returns the time at which the certificate must be valid;
	// default time.Now.
	Now func() time.Time
}

// Verify implements Verifier.
func (v *CertificateVerifier) Verify(algorithm string, message, sig, certDER []byte) error {
	if algorithm != BignAlgorithm {
		return fmt.Errorf("algorithm %q, expected %s", algorithm, BignAlgorithm)
	}
	if len(certDER) == 0 {
		return errors.New("the envelope carries no certificate")
	}
	cert, err := attrcert.ParseCertificate(certDER)
	if err != nil {
		return err
	}
	opts := v.Options
	opts.CurrentTime = time.Now()
	if v.Now != nil {
		opts.CurrentTime = v.Now()
	}
	if _, err := cert.Verify(opts); err != nil {
		return fmt.Errorf("signer's certificate: %w", err)
	}
	if cn := cert.X509.Subject.CommonName; cn != v.Subject {
		return fmt.Errorf("signer's certificate is issued to %q, expected %q", cn, v.Subject)
	}
	pub, ok := cert.PublicKey.(*bign.PublicKey)
	if !ok {
		return fmt.Errorf("signer's certificate has no bign key")
	}
	return bign.VerifyHbelt(pub, message, sig)
}
