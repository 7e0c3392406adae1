package attrcert

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGosSUOKSignatures(t *testing.T) {
	kuc, _ := readTestCertificate(t, "kuc.cer")
	ruc, rucDER := readTestCertificate(t, "ruc.cer")
	flipped := flipLastBit(t, rucDER)
	firstSignatureByte := len(rucDER) - bignSignatureSize
	flippedS0, err := ParseCertificate(
		patch(rucDER, firstSignatureByte, rucDER[firstSignatureByte]^0x80))
	require.NoError(t, err)

	tests := []struct {
		name          string
		child, parent *Certificate
		want          error
	}{
		{"root under itself", kuc, kuc, nil},
		{"РУЦ under the root", ruc, kuc, nil},
		{"root under РУЦ", kuc, ruc, ErrBadSignature},
		{"РУЦ under itself", ruc, ruc, ErrBadSignature},
		{"flipped bit of s1", flipped, kuc, ErrBadSignature},
		{"flipped bit of s0", flippedS0, kuc, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.child.CheckSignatureFrom(tt.parent)

			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestVerifyGosSUOKChain(t *testing.T) {
	ruc, _ := readTestCertificate(t, "ruc.cer")
	kuc, _ := readTestCertificate(t, "kuc.cer")

	chain, err := ruc.Verify(VerifyOptions{CurrentTime: gosSUOKTime})

	require.NoError(t, err)
	require.Len(t, chain, 2)
	assert.True(t, chain[0].Equal(ruc), "РУЦ first")
	assert.True(t, chain[1].Equal(kuc), "root last")
}

func TestVerifyGosSUOKValidity(t *testing.T) {
	ruc, _ := readTestCertificate(t, "ruc.cer")
	tests := []struct {
		name string
		at   time.Time
		want error
	}{
		{"before the root was issued", date(2014, 1, 1), ErrNotYetValid},
		{"after РУЦ expired", date(2029, 7, 1), ErrExpired},
		{"after the root expired", date(2035, 1, 1), ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ruc.Verify(VerifyOptions{CurrentTime: tt.at})

			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestIdentificationRejectsCACertificates(t *testing.T) {
	opts := IdentificationOptions()
	opts.CurrentTime = gosSUOKTime

	for _, cert := range []*Certificate{RUC(), GosSUOKRoot()} {
		_, err := cert.Verify(opts)

		assert.ErrorIs(t, err, ErrWrongIssuer, cert.X509.Subject.CommonName)
	}
}

func TestCheckSignatureFromBign(t *testing.T) {
	bignCA := issue(t, certSpec{commonName: "УЦ bign", ca: true}, bignKey(t), nil)
	ecdsaCA := issue(t, certSpec{commonName: "УЦ ECDSA", ca: true}, ecdsaKey(t), nil)
	bignAlgorithm := newBignSigner(t).signatureAlgorithm()
	ecdsaAlgorithm := newECDSASigner(t).signatureAlgorithm()
	withoutParameters := &testCert{
		cert: bignCA.cert,
		key:  &bignSigner{key: bignCA.key.(*bignSigner).key, noParameters: true},
		spec: bignCA.spec,
	}
	noParameters := issue(t, certSpec{}, ecdsaKey(t), withoutParameters).cert
	require.Nil(t, noParameters.SignatureAlgorithmParameters)

	tests := []struct {
		name     string
		child    *Certificate
		parent   *Certificate
		want     error
		wantText string
	}{
		{
			name:   "parameters absent",
			child:  noParameters,
			parent: bignCA.cert,
		},
		{
			name:     "bign-with-hbelt signed by an ECDSA key",
			child:    issue(t, claiming(&bignAlgorithm), bignKey(t), ecdsaCA).cert,
			parent:   ecdsaCA.cert,
			want:     ErrBadSignature,
			wantText: "is signed with bign-with-hbelt",
		},
		{
			name:     "ECDSA signed by a bign key",
			child:    issue(t, claiming(&ecdsaAlgorithm), ecdsaKey(t), bignCA).cert,
			parent:   bignCA.cert,
			want:     ErrBadSignature,
			wantText: "is signed with ECDSA-SHA256",
		},
		{
			name:     "signature of 47 octets",
			child:    truncateSignature(t, issue(t, certSpec{}, bignKey(t), bignCA).der),
			parent:   bignCA.cert,
			want:     ErrBadSignature,
			wantText: "is 47 octets",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.child.CheckSignatureFrom(tt.parent)

			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), tt.wantText)
		})
	}
}

// claiming returns a spec whose signature algorithm is algorithm, whatever key
// signs it.
func claiming(algorithm *pkix.AlgorithmIdentifier) certSpec {
	return certSpec{signatureAlgorithm: algorithm}
}

func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// truncateSignature re-encodes a certificate with the last octet of its signature
// value removed.
func truncateSignature(t *testing.T, der []byte) *Certificate {
	t.Helper()
	var outer certificateDER
	_, err := asn1.Unmarshal(der, &outer)
	require.NoError(t, err)
	outer.Signature = bits(outer.Signature.Bytes[:len(outer.Signature.Bytes)-1])
	cert, err := ParseCertificate(mustMarshal(t, outer))
	require.NoError(t, err)
	return cert
}
