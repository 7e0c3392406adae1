package attrcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
)

// The certificates of these tests are assembled with encoding/asn1 rather than
// x509.CreateCertificate, which cannot sign with bign and rejects many of the
// malformed or unusual certificates that the tests need.

// testSigner is a key pair that can sign a tbsCertificate.
type testSigner interface {
	subjectPublicKeyInfo(t testing.TB) []byte
	signatureAlgorithm() pkix.AlgorithmIdentifier
	sign(t testing.TB, tbs []byte) []byte
}

type ecdsaSigner struct{ key *ecdsa.PrivateKey }

func newECDSASigner(t testing.TB) *ecdsaSigner {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return &ecdsaSigner{key: key}
}

func (s *ecdsaSigner) subjectPublicKeyInfo(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	require.NoError(t, err)
	return der
}

func (s *ecdsaSigner) signatureAlgorithm() pkix.AlgorithmIdentifier {
	return pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}
}

func (s *ecdsaSigner) sign(t testing.TB, tbs []byte) []byte {
	t.Helper()
	digest := sha256.Sum256(tbs)
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	require.NoError(t, err)
	return sig
}

// bignSigner signs with bign-with-hbelt on bign-curve256v1.
type bignSigner struct {
	key *bign.PrivateKey
	// noParameters omits the NULL parameters of bign-with-hbelt.
	noParameters bool
}

func newBignSigner(t testing.TB) *bignSigner {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return &bignSigner{key: key}
}

func (s *bignSigner) subjectPublicKeyInfo(t testing.TB) []byte {
	t.Helper()
	algorithm := pkix.AlgorithmIdentifier{
		Algorithm:  bign.PubKeyOID,
		Parameters: asn1.RawValue{FullBytes: mustMarshal(t, bign.CurveOID)},
	}
	return mustMarshal(t, subjectPublicKeyInfo{
		Algorithm: algorithm,
		PublicKey: bits(s.key.PublicKey().Bytes()),
	})
}

func (s *bignSigner) signatureAlgorithm() pkix.AlgorithmIdentifier {
	if s.noParameters {
		return pkix.AlgorithmIdentifier{Algorithm: bign.SignatureOID}
	}
	return pkix.AlgorithmIdentifier{Algorithm: bign.SignatureOID, Parameters: asn1.NullRawValue}
}

func (s *bignSigner) sign(t testing.TB, tbs []byte) []byte {
	t.Helper()
	sig, err := bign.SignHbelt(rand.Reader, s.key, tbs)
	require.NoError(t, err)
	return sig
}

// certSpec describes a test certificate. Zero values give a valid end-entity
// certificate that is valid around testNow.
type certSpec struct {
	commonName string
	serial     int64
	notBefore  time.Time
	notAfter   time.Time

	// ca adds basicConstraints with cA set and keyUsage keyCertSign|cRLSign.
	ca         bool
	maxPathLen int // pathLenConstraint, written only when pathLenSet

	pathLenSet         bool
	noBasicConstraints bool
	keyUsage           x509.KeyUsage // overrides the default when non-zero
	subjectKeyID       []byte        // default: derived from the serial
	authorityKeyID     []byte        // default: the issuer's subjectKeyID
	noAuthorityKeyID   bool
	extensions         []pkix.Extension

	// signatureAlgorithm replaces the signer's algorithm in both fields.
	signatureAlgorithm *pkix.AlgorithmIdentifier
}

// testNow is the time at which test chains are valid.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testCert is a built certificate with the key that belongs to it.
type testCert struct {
	der  []byte
	cert *Certificate
	key  testSigner
	spec certSpec
}

// issue builds the certificate of spec for key, signed by issuer, or self-signed
// when issuer is nil.
func issue(t testing.TB, spec certSpec, key testSigner, issuer *testCert) *testCert {
	t.Helper()
	spec = withDefaults(spec)

	name := pkix.Name{CommonName: spec.commonName, Country: []string{"BY"}}
	subject := mustMarshal(t, name.ToRDNSequence())
	issuerName, signer, issuerKeyID := subject, key, spec.subjectKeyID
	if issuer != nil {
		issuerName = issuer.cert.X509.RawSubject
		signer = issuer.key
		issuerKeyID = issuer.spec.subjectKeyID
	}
	if spec.authorityKeyID == nil && !spec.noAuthorityKeyID {
		spec.authorityKeyID = issuerKeyID
	}

	algorithm := signer.signatureAlgorithm()
	if spec.signatureAlgorithm != nil {
		algorithm = *spec.signatureAlgorithm
	}
	tbs := mustMarshal(t, tbsCertificate{
		Version:            2,
		SerialNumber:       big.NewInt(spec.serial),
		SignatureAlgorithm: algorithm,
		Issuer:             asn1.RawValue{FullBytes: issuerName},
		Validity:           validity{spec.notBefore.UTC(), spec.notAfter.UTC()},
		Subject:            asn1.RawValue{FullBytes: subject},
		PublicKey:          asn1.RawValue{FullBytes: key.subjectPublicKeyInfo(t)},
		Extensions:         buildExtensions(t, spec),
	})
	signature := signer.sign(t, tbs)
	der := mustMarshal(t, certificateDER{
		TBS:                asn1.RawValue{FullBytes: tbs},
		SignatureAlgorithm: algorithm,
		Signature:          asn1.BitString{Bytes: signature, BitLength: 8 * len(signature)},
	})

	cert, err := ParseCertificate(der)
	require.NoError(t, err, "test certificate %q", spec.commonName)
	return &testCert{der: der, cert: cert, key: key, spec: spec}
}

var serialCounter int64

func withDefaults(spec certSpec) certSpec {
	if spec.serial == 0 {
		serialCounter++
		spec.serial = serialCounter
	}
	if spec.commonName == "" {
		spec.commonName = "Тестовый сертификат"
	}
	if spec.notBefore.IsZero() {
		spec.notBefore = testNow.AddDate(-1, 0, 0)
	}
	if spec.notAfter.IsZero() {
		spec.notAfter = testNow.AddDate(1, 0, 0)
	}
	if spec.subjectKeyID == nil {
		spec.subjectKeyID = big.NewInt(spec.serial*7919 + 1).Bytes()
	}
	if !spec.pathLenSet {
		spec.maxPathLen = -1
	}
	return spec
}

func buildExtensions(t testing.TB, spec certSpec) []pkix.Extension {
	t.Helper()
	keyUsage := spec.keyUsage
	if keyUsage == 0 {
		keyUsage = x509.KeyUsageDigitalSignature
		if spec.ca {
			keyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		}
	}

	exts := []pkix.Extension{
		{Id: oidKeyUsage, Critical: true, Value: mustMarshal(t, keyUsageBits(keyUsage))},
		{Id: asn1.ObjectIdentifier{2, 5, 29, 14}, Value: mustMarshal(t, spec.subjectKeyID)},
	}
	if !spec.noBasicConstraints {
		exts = append(exts, pkix.Extension{
			Id:       asn1.ObjectIdentifier{2, 5, 29, 19},
			Critical: true,
			Value:    mustMarshal(t, basicConstraints{IsCA: spec.ca, MaxPathLen: spec.maxPathLen}),
		})
	}
	if spec.authorityKeyID != nil {
		exts = append(exts, pkix.Extension{
			Id:    asn1.ObjectIdentifier{2, 5, 29, 35},
			Value: mustMarshal(t, authorityKeyIdentifier{ID: spec.authorityKeyID}),
		})
	}
	return append(exts, spec.extensions...)
}

// keyUsageBits encodes KeyUsage as DER: bit 0 (digitalSignature) is the most
// significant bit of the first octet and trailing zero bits are dropped.
func keyUsageBits(usage x509.KeyUsage) asn1.BitString {
	var bits asn1.BitString
	bits.Bytes = make([]byte, 2)
	for i := range 9 {
		if usage&(1<<i) != 0 {
			bits.Bytes[i/8] |= 0x80 >> (i % 8)
			bits.BitLength = i + 1
		}
	}
	bits.Bytes = bits.Bytes[:(bits.BitLength+7)/8]
	return bits
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	der, err := asn1.Marshal(v)
	require.NoError(t, err)
	return der
}

type tbsCertificate struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           validity
	Subject            asn1.RawValue
	PublicKey          asn1.RawValue
	Extensions         []pkix.Extension `asn1:"optional,explicit,tag:3"`
}

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type validity struct {
	NotBefore, NotAfter time.Time
}

type certificateDER struct {
	TBS                asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
}

type basicConstraints struct {
	IsCA       bool `asn1:"optional"`
	MaxPathLen int  `asn1:"optional,default:-1"`
}

type authorityKeyIdentifier struct {
	ID []byte `asn1:"optional,tag:0"`
}
