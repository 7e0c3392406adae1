package attrcert

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
)

func TestParseGosSUOKCertificates(t *testing.T) {
	tests := []struct {
		file       string
		commonName string
	}{
		{"kuc.cer", "Корневой удостоверяющий центр ГосСУОК"},
		{"ruc.cer", "Республиканский удостоверяющий центр ГосСУОК"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cert, der := readTestCertificate(t, tt.file)

			assert.Equal(t, tt.commonName, cert.X509.Subject.CommonName)
			assert.Equal(t, der, cert.X509.Raw)
			assert.True(t, cert.SignatureAlgorithm.Equal(oidBignWithHbelt), "signature algorithm")
			assert.Equal(t, []byte{tagNull, 0}, cert.SignatureAlgorithmParameters)
			assert.True(t, cert.PublicKeyAlgorithm.Equal(oidBignPubKey), "public key algorithm")
			assert.IsType(t, &bign.PublicKey{}, cert.PublicKey)
			assert.Len(t, cert.X509.Signature, bignSignatureSize)
		})
	}
}

func TestParseECDSACertificate(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)

	cert, err := ParseCertificate(p.leaf.der)

	require.NoError(t, err)
	assert.Equal(t, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}, cert.SignatureAlgorithm)
	assert.Nil(t, cert.SignatureAlgorithmParameters)
	assert.Equal(t, asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, cert.PublicKeyAlgorithm)
	assert.Same(t, cert.X509.PublicKey, cert.PublicKey)
}

func TestParseBignCertificate(t *testing.T) {
	key := newBignSigner(t)
	issued := issue(t, certSpec{}, key, nil)

	cert, err := ParseCertificate(issued.der)

	require.NoError(t, err)
	assert.Equal(t, bign.SignatureOID, cert.SignatureAlgorithm)
	assert.Equal(t, bign.PubKeyOID, cert.PublicKeyAlgorithm)
	require.IsType(t, &bign.PublicKey{}, cert.PublicKey)
	assert.True(t, key.key.PublicKey().Equal(cert.PublicKey), "public key")
}

func TestParseCertificatePEM(t *testing.T) {
	_, der := readTestCertificate(t, "ruc.cer")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	otherPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}})

	tests := []struct {
		name    string
		input   []byte
		wantErr bool
	}{
		{"single certificate", certPEM, false},
		{"certificate after another block", bytes.Join([][]byte{otherPEM, certPEM}, nil), false},
		{"no certificate block", otherPEM, true},
		{"not PEM", der, true},
		{"empty", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := ParseCertificatePEM(tt.input)

			if tt.wantErr {
				assert.Error(t, err)
				assert.Nil(t, cert)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, der, cert.X509.Raw)
		})
	}
}

// Offsets of fields in testdata/kuc.cer, as printed by `openssl asn1parse`.
const (
	kucTBS             = 4
	kucValidityEnd     = 326 // the final Z of notBefore
	kucCurveOID        = 626
	kucCurveLastByte   = 637
	kucSigAlg          = 936
	kucSigAlgOID       = 938
	kucSigAlgOIDFirst  = 940
	kucSigAlgParams    = 949
	kucSignatureValue  = 951
	kucSignatureUnused = 953
	kucLength          = 1002
)

func TestParseCertificateMalformed(t *testing.T) {
	_, kuc := readTestCertificate(t, "kuc.cer")
	require.Len(t, kuc, kucLength)
	tbs := kuc[kucTBS:kucSigAlg]
	sigAlg := kuc[kucSigAlg:kucSignatureValue]
	signature := kuc[kucSignatureValue:]

	tests := []struct {
		name       string
		input      []byte
		wantField  string
		wantOffset int
		wantText   string
	}{
		{"empty input", nil, "certificate", 0, "truncated"},
		{"only a tag", []byte{0x30}, "certificate", 0, "truncated"},
		{"truncated", kuc[:500], "certificate", 0, "exceeds"},
		{"trailing data", append(clone(kuc), 0), "certificate", kucLength, "trailing"},
		{"outer tag SET", patch(kuc, 0, 0x31), "certificate", 0, "tag is 0x31"},
		{"indefinite length", []byte{0x30, 0x80, 0, 0}, "certificate", 0, "indefinite"},
		{"long form for short length", []byte{0x30, 0x81, 1, 5}, "certificate", 0, "long form"},
		{"length with zero first", []byte{0x30, 0x82, 0, 0x81}, "certificate", 0, "leading zero"},
		{"length of five bytes", []byte{0x30, 0x85, 1, 1, 1, 1, 1}, "certificate", 0, "too large"},
		{"length bytes cut", []byte{0x30, 0x83, 0x01}, "certificate", 0, "truncated"},
		{"high tag number", []byte{0x3f, 0x81, 0x00, 0x00}, "certificate", 0, "high-tag-number"},
		{"tbsCertificate tag", patch(kuc, kucTBS, 0x31), "tbsCertificate", kucTBS, "tag"},
		{
			"signatureAlgorithm missing", wrap(tagSequence, tbs),
			"signatureAlgorithm", kucSigAlg, "missing",
		},
		{
			"signatureValue missing", wrap(tagSequence, tbs, sigAlg),
			"signatureValue", kucSignatureValue, "missing",
		},
		{
			"element after signatureValue",
			wrap(tagSequence, tbs, sigAlg, signature, []byte{tagNull, 0}),
			"certificate", kucLength, "after signatureValue",
		},
		{
			"algorithm tag", patch(kuc, kucSigAlgOID, 0x04),
			"signatureAlgorithm.algorithm", kucSigAlgOID, "tag",
		},
		{
			"algorithm not minimal", patch(kuc, kucSigAlgOIDFirst, 0x80),
			"signatureAlgorithm.algorithm", kucSigAlgOID, "minimal",
		},
		{
			"bign parameters not NULL", patch(kuc, kucSigAlgParams, 0x04),
			"signatureAlgorithm.parameters", kucSigAlgParams, "NULL or absent",
		},
		{
			"element after parameters",
			wrap(tagSequence, tbs, wrap(tagSequence, sigAlg[2:], []byte{5, 0}), signature),
			"signatureAlgorithm", kucSignatureValue, "after parameters",
		},
		{
			"signatureValue tag", patch(kuc, kucSignatureValue, 0x04),
			"signatureValue", kucSignatureValue, "tag",
		},
		{
			"signatureValue unused bits 8", patch(kuc, kucSignatureUnused, 8),
			"signatureValue", kucSignatureValue, "unused-bits count 8",
		},
		{
			"signatureValue padding bits set", patch(kuc, kucSignatureUnused, 1),
			"signatureValue", kucSignatureValue, "padding",
		},
		{
			"signatureValue empty",
			wrap(tagSequence, tbs, sigAlg, []byte{tagBitString, 0}),
			"signatureValue", kucSignatureValue, "no unused-bits octet",
		},
		{
			"validity rejected by crypto/x509", patch(kuc, kucValidityEnd, '0'),
			"tbsCertificate", kucTBS, "x509",
		},
		{
			"bign curve 45.3.2", patch(kuc, kucCurveLastByte, 0x02),
			"subjectPublicKeyInfo.algorithm.parameters", kucCurveOID, "not supported",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := ParseCertificate(tt.input)

			assert.Nil(t, cert)
			var parseErr *ParseError
			require.ErrorAs(t, err, &parseErr)
			assert.Equal(t, tt.wantField, parseErr.Field)
			assert.Equal(t, tt.wantOffset, parseErr.Offset)
			assert.Contains(t, err.Error(), tt.wantText)
		})
	}
}

func TestParseCertificateUnsupportedCurve(t *testing.T) {
	_, kuc := readTestCertificate(t, "kuc.cer")

	_, err := ParseCertificate(patch(kuc, kucCurveLastByte, 0x03))

	assert.ErrorIs(t, err, ErrUnsupportedAlgorithm)
	assert.Contains(t, err.Error(), "1.2.112.0.2.0.34.101.45.3.3")
}

// TestParseBignPublicKeyMalformed checks bign keys in certificates that an ECDSA
// test CA signs, so that only the key is wrong.
func TestParseBignPublicKeyMalformed(t *testing.T) {
	curve := mustMarshal(t, oidBignCurve256v1)
	goodKey := bytes.Repeat([]byte{0x11}, bignPublicKeySize)

	tests := []struct {
		name      string
		params    []byte
		key       asn1.BitString
		wantField string
		wantText  string
	}{
		{
			"NULL curve parameters", []byte{tagNull, 0}, bits(goodKey),
			"subjectPublicKeyInfo.algorithm.parameters", "named curve",
		},
		{
			"explicit curve parameters", wrap(tagSequence, []byte{2, 1, 1}), bits(goodKey),
			"subjectPublicKeyInfo.algorithm.parameters", "named curve",
		},
		{
			"curve parameters missing", nil, bits(goodKey),
			"subjectPublicKeyInfo.algorithm.parameters", "missing",
		},
		{
			"key of 63 octets", curve, bits(goodKey[:63]),
			"subjectPublicKeyInfo.subjectPublicKey", "got 63 octets",
		},
		{
			"key of 65 octets", curve, bits(append(clone(goodKey), 0)),
			"subjectPublicKeyInfo.subjectPublicKey", "got 65 octets",
		},
		{
			"point not on the curve", curve, bits(goodKey),
			"subjectPublicKeyInfo.subjectPublicKey", "invalid public key",
		},
		{
			"key with unused bits", curve,
			asn1.BitString{Bytes: patch(goodKey, 63, 0x10), BitLength: 511},
			"subjectPublicKeyInfo.subjectPublicKey", "unused bits",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			algorithm := append(mustMarshal(t, oidBignPubKey), tt.params...)
			spki := wrap(tagSequence, wrap(tagSequence, algorithm), mustMarshal(t, tt.key))
			der := issueRaw(t, spki)

			cert, err := ParseCertificate(der)

			assert.Nil(t, cert)
			var parseErr *ParseError
			require.ErrorAs(t, err, &parseErr)
			assert.Equal(t, tt.wantField, parseErr.Field)
			assert.Contains(t, err.Error(), tt.wantText)
			assert.Equal(t, bytes.Index(der, spki), spkiOffset(parseErr, der, spki))
		})
	}
}

// spkiOffset maps the offset of an error inside subjectPublicKeyInfo back to the
// start of subjectPublicKeyInfo, so that the test can check it against the DER.
func spkiOffset(err *ParseError, der, spki []byte) int {
	start := bytes.Index(der, spki)
	if err.Offset < start || err.Offset >= start+len(spki) {
		return -1
	}
	return start
}

// issueRaw builds an ECDSA-signed certificate whose SubjectPublicKeyInfo is spki.
// ParseCertificate would reject it, so the DER is built without parsing.
func issueRaw(t *testing.T, spki []byte) []byte {
	t.Helper()
	signer := newECDSASigner(t)
	name := mustMarshal(t, pkix.Name{CommonName: "Ключ bign"}.ToRDNSequence())
	spec := withDefaults(certSpec{})
	tbs := mustMarshal(t, tbsCertificate{
		Version:            2,
		SerialNumber:       big.NewInt(1),
		SignatureAlgorithm: signer.signatureAlgorithm(),
		Issuer:             asn1.RawValue{FullBytes: name},
		Validity:           validity{spec.notBefore, spec.notAfter},
		Subject:            asn1.RawValue{FullBytes: name},
		PublicKey:          asn1.RawValue{FullBytes: spki},
	})
	sig := signer.sign(t, tbs)
	return mustMarshal(t, certificateDER{
		TBS:                asn1.RawValue{FullBytes: tbs},
		SignatureAlgorithm: signer.signatureAlgorithm(),
		Signature:          bits(sig),
	})
}

func TestParseErrorMessage(t *testing.T) {
	err := &ParseError{Field: "signatureValue", Offset: 951, Err: errors.New("tag is 0x04")}

	assert.Equal(t, "attrcert: signatureValue at offset 951: tag is 0x04", err.Error())
}

func TestCertificateEqual(t *testing.T) {
	kuc, _ := readTestCertificate(t, "kuc.cer")
	ruc, _ := readTestCertificate(t, "ruc.cer")
	var none *Certificate

	assert.True(t, kuc.Equal(GosSUOKRoot()))
	assert.False(t, kuc.Equal(ruc))
	assert.False(t, kuc.Equal(none))
	assert.True(t, none.Equal(nil))
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func patch(b []byte, offset int, value byte) []byte {
	out := clone(b)
	out[offset] = value
	return out
}

// wrap encodes a DER element of tag around the concatenated parts. Lengths up to
// 65535 are enough for these tests.
func wrap(tag byte, parts ...[]byte) []byte {
	content := bytes.Join(parts, nil)
	n := len(content)
	var header []byte
	switch {
	case n < 0x80:
		header = []byte{tag, byte(n)}
	case n < 0x100:
		header = []byte{tag, 0x81, byte(n)}
	default:
		header = []byte{tag, 0x82, byte(n >> 8), byte(n)}
	}
	return append(header, content...)
}

func bits(b []byte) asn1.BitString { return asn1.BitString{Bytes: b, BitLength: 8 * len(b)} }
