// Package pki is the fake state PKI of the fake ЕС ИФЮЛ: a test root and a
// test РУЦ that issue X.509 certificates signed with bign-with-hbelt, as
// ГосСУОК's CAs do. The fake uses it for the КПСИС's technological
// certificate (ТСОК) and for the test persons' certificates.
//
// crypto/x509.CreateCertificate cannot sign with bign, so the certificates
// are assembled with encoding/asn1 in the layout of RFC 5280 and
// STB 34.101.19.
package pki

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
)

// Template describes a certificate to issue.
type Template struct {
	Subject   pkix.Name
	NotBefore time.Time
	NotAfter  time.Time
	// IsCA makes a CA certificate: basicConstraints cA, keyCertSign and
	// cRLSign. MaxPathLen is its pathLenConstraint; negative means none.
	IsCA       bool
	MaxPathLen int
	// KeyUsage of an end-entity certificate; default digitalSignature.
	KeyUsage x509.KeyUsage
	// ExtKeyUsage lists extended key usage OIDs (marked critical, as the
	// national PKI profile requires).
	ExtKeyUsage []asn1.ObjectIdentifier
	// ExtraExtensions are added as given.
	ExtraExtensions []pkix.Extension
}

// Authority is a CA of the fake PKI.
type Authority struct {
	// Certificate is the CA's certificate.
	Certificate *attrcert.Certificate
	// DER is its encoding.
	DER []byte

	key          *bign.PrivateKey
	subjectKeyID []byte
}

// NewRoot creates a self-signed root CA with a new bign key.
func NewRoot(name pkix.Name, notBefore, notAfter time.Time) (*Authority, error) {
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	a := &Authority{key: key, subjectKeyID: keyID(key.PublicKey())}
	subject, err := asn1.Marshal(name.ToRDNSequence())
	if err != nil {
		return nil, err
	}
	der, err := a.sign(Template{Subject: name, NotBefore: notBefore, NotAfter: notAfter,
		IsCA: true, MaxPathLen: -1}, subject, key.PublicKey())
	if err != nil {
		return nil, err
	}
	return a.withCertificate(der)
}

// NewAuthority creates a subordinate CA with a new bign key, issued by a.
func (a *Authority) NewAuthority(name pkix.Name, notBefore, notAfter time.Time) (*Authority, error) {
	key, err := bign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := a.Issue(Template{Subject: name, NotBefore: notBefore, NotAfter: notAfter,
		IsCA: true, MaxPathLen: 0}, key.PublicKey())
	if err != nil {
		return nil, err
	}
	sub := &Authority{key: key, subjectKeyID: keyID(key.PublicKey())}
	return sub.withCertificate(der)
}

func (a *Authority) withCertificate(der []byte) (*Authority, error) {
	cert, err := attrcert.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("pki: issued certificate does not parse: %w", err)
	}
	a.Certificate, a.DER = cert, der
	return a, nil
}

// Issue issues a certificate for the bign public key and returns its DER.
func (a *Authority) Issue(t Template, pub *bign.PublicKey) ([]byte, error) {
	if a.Certificate == nil {
		return nil, errors.New("pki: the authority has no certificate yet")
	}
	return a.sign(t, a.Certificate.X509.RawSubject, pub)
}

// SignHbelt signs data with the CA's key (bign over belt-hash), for
// structures other than certificates, such as attribute certificates.
func (a *Authority) SignHbelt(data []byte) ([]byte, error) {
	return bign.SignHbelt(rand.Reader, a.key, data)
}

// SubjectKeyID returns the CA's key identifier.
func (a *Authority) SubjectKeyID() []byte { return a.subjectKeyID }

// keyID is the SHA-1 of the public key bytes (RFC 5280 4.2.1.2, method 1).
func keyID(pub *bign.PublicKey) []byte {
	sum := sha1.Sum(pub.Bytes())
	return sum[:]
}
