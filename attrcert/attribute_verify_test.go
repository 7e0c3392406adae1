package attrcert

import (
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/belt"
)

func TestVerifyAttributeCertificate(t *testing.T) {
	for _, alg := range testAlgorithms {
		t.Run(alg.name, func(t *testing.T) {
			f := newACFixture(t, alg.newKey)

			chain, err := f.ac.Verify(f.options())

			require.NoError(t, err)
			require.Len(t, chain, 2)
			assert.True(t, chain[0].Equal(f.pki.intermediate.cert), "issuer first")
			assert.True(t, chain[1].Equal(f.pki.root.cert), "root last")
			unp, _ := f.ac.AttributeString(OIDUNP)
			assert.Equal(t, "190000001", unp)
			assert.Equal(t, []Permission{{Operation: "read", Object: "registry"}}, f.ac.Permissions())
		})
	}
}

// objectDigestHolder is a Holder field of objectDigestInfo alone.
func objectDigestHolder(t *testing.T, kind DigestedObjectType, algorithm asn1.ObjectIdentifier,
	digest []byte) []byte {
	return wrap(tagSequence, wrap(0xa2, []byte{tagEnumerated, 1, byte(kind)},
		wrap(tagSequence, mustMarshal(t, algorithm)), wrap(tagBitString, []byte{0}, digest)))
}

func TestVerifyAttributeHolderForms(t *testing.T) {
	f := newACFixture(t, bignKey)
	leaf := f.pki.leaf.cert
	certDigest := belt.Sum256(leaf.X509.Raw)
	keyDigest := sha256.Sum256(leaf.X509.RawSubjectPublicKeyInfo)
	other := issue(t, certSpec{commonName: "Другой"}, bignKey(t), f.pki.intermediate).cert
	subject := wrap(0xa1, NewDirectoryName(leaf.X509.RawSubject).Raw)
	issuerNames := wrap(tagSequence, NewDirectoryName(leaf.X509.RawIssuer).Raw)

	tests := []struct {
		name   string
		holder []byte
		want   error
	}{
		{"entityName subject", wrap(tagSequence, subject), nil},
		{"entityName of another", wrap(tagSequence,
			wrap(0xa1, NewDirectoryName(other.X509.RawSubject).Raw)), ErrHolderMismatch},
		{"entityName DNS name only", wrap(tagSequence, wrap(0xa1, NewDNSName("a.by").Raw)),
			ErrHolderMismatch},
		{"baseCertificateID wins over entityName", wrap(tagSequence,
			wrap(0xa0, issuerNames, mustMarshal(t, other.X509.SerialNumber)), subject),
			ErrHolderMismatch},
		{"baseCertificateID of another issuer", wrap(tagSequence, wrap(0xa0,
			wrap(tagSequence, NewDirectoryName(leaf.X509.RawSubject).Raw),
			mustMarshal(t, leaf.X509.SerialNumber))), ErrHolderMismatch},
		{"issuerUID the certificate lacks", wrap(tagSequence, wrap(0xa0, issuerNames,
			mustMarshal(t, leaf.X509.SerialNumber), []byte{tagBitString, 2, 0, 1})),
			ErrHolderMismatch},
		{"digest of the certificate", objectDigestHolder(t, DigestedPublicKeyCert,
			belt.HashOID, certDigest[:]), nil},
		{"digest of the public key", objectDigestHolder(t, DigestedPublicKey,
			oidSHA256, keyDigest[:]), nil},
		{"digest of another object", objectDigestHolder(t, DigestedOtherObject,
			oidSHA256, keyDigest[:]), ErrHolderMismatch},
		{"digest differs", objectDigestHolder(t, DigestedPublicKey,
			belt.HashOID, keyDigest[:]), ErrHolderMismatch},
		{"digest algorithm unknown", objectDigestHolder(t, DigestedPublicKey,
			asn1OID(1, 2, 3), keyDigest[:]), ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac, err := ParseAttributeCertificate(f.parts.with("holder", tt.holder).build(t))
			require.NoError(t, err)

			_, err = ac.Verify(f.options())

			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestVerifyAttributeIssuerForms(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	ca := f.pki.intermediate.cert
	caDigest := sha256.Sum256(ca.X509.Raw)
	baseID := wrap(0xa0, wrap(tagSequence, NewDirectoryName(ca.X509.RawIssuer).Raw),
		mustMarshal(t, ca.X509.SerialNumber))
	digest := wrap(0xa1, []byte{tagEnumerated, 1, 1},
		wrap(tagSequence, mustMarshal(t, oidSHA256)), wrap(tagBitString, []byte{0}, caDigest[:]))
	name := wrap(tagSequence, NewDirectoryName(ca.X509.RawSubject).Raw)
	otherName := wrap(tagSequence, NewDirectoryName(f.pki.root.cert.X509.RawSubject).Raw)

	tests := []struct {
		name   string
		issuer []byte
		want   error
	}{
		{"baseCertificateID alone", wrap(0xa0, baseID), nil},
		{"objectDigestInfo alone", wrap(0xa0, digest), nil},
		{"all three", wrap(0xa0, name, baseID, digest), nil},
		{"name of another authority", wrap(0xa0, otherName), ErrUnknownIssuer},
		{"name right, serial wrong", wrap(0xa0, name, wrap(0xa0,
			wrap(tagSequence, NewDirectoryName(ca.X509.RawIssuer).Raw), []byte{tagInteger, 1, 9})),
			ErrUnknownIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac, err := ParseAttributeCertificate(f.parts.with("issuer", tt.issuer).build(t))
			require.NoError(t, err)

			_, err = ac.Verify(f.options())

			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestVerifyAttributeSignatureErrors(t *testing.T) {
	bignFixture := newACFixture(t, bignKey)
	ecdsaFixture := newACFixture(t, ecdsaKey)
	sha1WithRSA := mustMarshal(t, pkix.AlgorithmIdentifier{
		Algorithm: asn1OID(1, 2, 840, 113549, 1, 1, 5), Parameters: asn1.NullRawValue})

	t.Run("bign certificate, ECDSA issuer", func(t *testing.T) {
		err := bignFixture.ac.CheckSignatureFrom(ecdsaFixture.pki.intermediate.cert)
		assert.ErrorIs(t, err, ErrBadSignature)
	})
	t.Run("ECDSA certificate, bign issuer", func(t *testing.T) {
		err := ecdsaFixture.ac.CheckSignatureFrom(bignFixture.pki.intermediate.cert)
		assert.ErrorIs(t, err, ErrBadSignature)
	})
	t.Run("ECDSA certificate, another ECDSA issuer", func(t *testing.T) {
		other := newTestPKI(t, ecdsaKey)
		err := ecdsaFixture.ac.CheckSignatureFrom(other.intermediate.cert)
		assert.ErrorIs(t, err, ErrBadSignature)
	})
	t.Run("bign signature too short", func(t *testing.T) {
		p := bignFixture.parts
		p.signature = wrap(tagBitString, []byte{0}, make([]byte, 40))
		ac, err := ParseAttributeCertificate(p.build(t))
		require.NoError(t, err)
		assert.ErrorIs(t, ac.CheckSignatureFrom(bignFixture.pki.intermediate.cert), ErrBadSignature)
	})
	t.Run("SHA-1 with RSA", func(t *testing.T) {
		p := ecdsaFixture.parts.with("signature", sha1WithRSA)
		p.algorithm = sha1WithRSA
		p.signature = wrap(tagBitString, []byte{0}, make([]byte, 64))
		ac, err := ParseAttributeCertificate(p.build(t))
		require.NoError(t, err)

		_, err = ac.Verify(ecdsaFixture.options())

		assert.ErrorIs(t, err, ErrUnsupportedAlgorithm)
	})
}

func TestVerifyAttributePrefersMatchingKeyIdentifier(t *testing.T) {
	f := newACFixture(t, bignKey)
	ca := f.pki.intermediate
	impostor := issue(t, certSpec{commonName: ca.spec.commonName, ca: true}, bignKey(t), f.pki.root)
	opts := f.options()
	opts.Issuers = []*Certificate{impostor.cert, ca.cert}

	chain, err := f.ac.Verify(opts)

	require.NoError(t, err)
	assert.True(t, chain[0].Equal(ca.cert))
}

func TestVerifyAttributeTargets(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	targeting := func(targets ...[]byte) []byte {
		return wrap(tagSequence, extensionDER(t, oidTargetInformation, true,
			wrap(tagSequence, wrap(tagSequence, targets...))))
	}
	ac := func(t *testing.T, extensions []byte) *AttributeCertificate {
		parsed, err := ParseAttributeCertificate(f.parts.with("extensions", extensions).build(t))
		require.NoError(t, err)
		return parsed
	}
	issuerSerial := wrap(tagSequence,
		wrap(tagSequence, NewDirectoryName(f.pki.root.cert.X509.RawSubject).Raw),
		[]byte{tagInteger, 1, 5})

	tests := []struct {
		name       string
		extensions []byte
		mine       []GeneralName
		want       error
	}{
		{"no targeting", wrap(tagSequence, extensionDER(t, oidNoRevAvail, false,
			[]byte{tagNull, 0})), nil, nil},
		{"DNS name in other case", targeting(wrap(0xa0, NewDNSName("KPSIS.by").Raw)),
			[]GeneralName{NewDNSName("kpsis.BY")}, nil},
		{"group", targeting(wrap(0xa1, NewURIName("urn:g").Raw)),
			[]GeneralName{NewURIName("urn:g")}, nil},
		{"no names of the verifier", targeting(wrap(0xa0, NewDNSName("kpsis.by").Raw)),
			nil, ErrNotTargeted},
		{"targetCert only", targeting(wrap(0xa2, issuerSerial)),
			[]GeneralName{NewDNSName("kpsis.by")}, ErrNotTargeted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := f.options()
			opts.Targets = tt.mine

			_, err := ac(t, tt.extensions).Verify(opts)

			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

// The other test root has the name of the fixture's root but another key, so
// the issuer's chain must fail on its signature.
func TestVerifyAttributeIssuerChainChecked(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	opts := f.options()
	opts.Roots = NewTrustAnchors(newTestPKI(t, ecdsaKey).root.cert)

	_, err := f.ac.Verify(opts)

	assert.ErrorIs(t, err, ErrBadSignature)
	assert.Contains(t, err.Error(), "verifying the issuer")
}

func TestVerifyAttributeDefaultsToRUC(t *testing.T) {
	f := newACFixture(t, bignKey)

	_, err := f.ac.Verify(AttributeVerifyOptions{Holder: f.pki.leaf.cert, CurrentTime: testNow})

	assert.ErrorIs(t, err, ErrUnknownIssuer)
	assert.Contains(t, err.Error(), "Тестовый РУЦ")
}

func TestVerifyAttributeValidityBounds(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	opts := f.options()

	opts.CurrentTime = f.ac.NotAfter
	_, err := f.ac.Verify(opts)
	assert.NoError(t, err, "valid at notAfterTime itself")

	opts.CurrentTime = f.ac.NotAfter.Add(time.Second)
	_, err = f.ac.Verify(opts)
	assert.ErrorIs(t, err, ErrExpired)
}
