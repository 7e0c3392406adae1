package terminal

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

var signedText = []byte("Заява аб выдачы даведкі")

// signer is a holder's key with a certificate of a fresh test root.
type signer struct {
	key  *bign.PrivateKey
	cert *attrcert.Certificate
}

func newSigner(t testing.TB) signer {
	t.Helper()
	now := time.Now()
	root, err := pki.NewRoot(pkix.Name{CommonName: "Test root"}, now.Add(-time.Hour),
		now.Add(time.Hour))
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := root.Issue(pki.Template{Subject: pkix.Name{CommonName: "Holder",
		SerialNumber: "3150385A001PB6"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour)}, key.PublicKey())
	require.NoError(t, err)
	cert, err := attrcert.ParseCertificate(der)
	require.NoError(t, err)
	return signer{key, cert}
}

func (s signer) sign(t testing.TB, message []byte) []byte {
	t.Helper()
	sig, err := bign.SignHbelt(rand.Reader, s.key, message)
	require.NoError(t, err)
	return sig
}

// cmsOptions vary the CMS that buildCMS writes.
type cmsOptions struct {
	contentType  asn1.ObjectIdentifier
	digest       asn1.ObjectIdentifier
	sigAlg       asn1.ObjectIdentifier
	keyID        bool
	signedAttrs  bool
	noDigestAttr bool
	content      []byte
	signerInfos  int
	signature    []byte
	version      int
}

type testAttribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type testSignerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        []testAttribute `asn1:"optional,set,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

func buildCMS(t testing.TB, s signer, data []byte, o cmsOptions) []byte {
	t.Helper()
	if o.contentType == nil {
		o.contentType = oidCMSSignedData
	}
	if o.digest == nil {
		o.digest = oidBeltHash
	}
	if o.sigAlg == nil {
		o.sigAlg = oidBignWithHbelt
	}
	if o.signerInfos == 0 {
		o.signerInfos = 1
	}
	if o.version == 0 {
		o.version = 1
	}
	info := testSignerInfo{Version: o.version,
		DigestAlgorithm: pkix.AlgorithmIdentifier{Algorithm: o.digest},
		SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: o.sigAlg,
			Parameters: asn1.NullRawValue}}
	if o.keyID {
		info.SID = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0,
			Bytes: s.cert.X509.SubjectKeyId}
	} else {
		sid, err := asn1.Marshal(struct {
			Issuer asn1.RawValue
			Serial *big.Int
		}{asn1.RawValue{FullBytes: s.cert.X509.RawIssuer}, s.cert.X509.SerialNumber})
		require.NoError(t, err)
		info.SID = asn1.RawValue{FullBytes: sid}
	}
	message := data
	if o.signedAttrs {
		ct, _ := asn1.Marshal(oidCMSData)
		digest := belt.Sum256(data)
		md, _ := asn1.Marshal(digest[:])
		info.SignedAttrs = []testAttribute{{oidAttrContentType, []asn1.RawValue{{FullBytes: ct}}}}
		if !o.noDigestAttr {
			info.SignedAttrs = append(info.SignedAttrs,
				testAttribute{oidAttrMessageDigest, []asn1.RawValue{{FullBytes: md}}})
		}
		set, err := asn1.MarshalWithParams(info.SignedAttrs, "set")
		require.NoError(t, err)
		message = set
	}
	info.Signature = o.signature
	if info.Signature == nil {
		info.Signature = s.sign(t, message)
	}

	type encap struct {
		EContentType asn1.ObjectIdentifier
		EContent     []byte `asn1:"optional,explicit,tag:0"`
	}
	infos := make([]testSignerInfo, o.signerInfos)
	for i := range infos {
		infos[i] = info
	}
	inner, err := asn1.Marshal(struct {
		Version          int
		DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
		EncapContentInfo encap
		Certificates     []asn1.RawValue  `asn1:"optional,set,tag:0"`
		SignerInfos      []testSignerInfo `asn1:"set"`
	}{1, []pkix.AlgorithmIdentifier{{Algorithm: o.digest}}, encap{oidCMSData, o.content},
		[]asn1.RawValue{{FullBytes: s.cert.X509.Raw}}, infos})
	require.NoError(t, err)
	der, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{o.contentType, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0,
		IsCompound: true, Bytes: inner}})
	require.NoError(t, err)
	return der
}

func TestBignSignatureVerify(t *testing.T) {
	s := newSigner(t)
	sig, err := ParseSignature(s.sign(t, signedText))
	require.NoError(t, err)
	assert.Equal(t, SignatureBign, sig.Format)
	assert.Equal(t, "bign", sig.Format.String())
	assert.NoError(t, sig.Verify(signedText, s.cert))
	assert.ErrorIs(t, sig.Verify([]byte("other"), s.cert), ErrSignatureInvalid)
	assert.ErrorIs(t, sig.Verify(signedText, newSigner(t).cert), ErrSignatureInvalid)
	assert.ErrorContains(t, sig.Verify(signedText, nil), "needs the signer's certificate")
}

func TestCMSRoundTrip(t *testing.T) {
	s := newSigner(t)
	raw, err := ParseSignature(s.sign(t, signedText))
	require.NoError(t, err)
	der, err := raw.CMS(s.cert)
	require.NoError(t, err)

	sig, err := ParseSignature(der)
	require.NoError(t, err)
	assert.Equal(t, SignatureCMS, sig.Format)
	assert.Equal(t, raw.Value, sig.Value)
	assert.Equal(t, der, sig.Raw)
	assert.NoError(t, sig.Verify(signedText, s.cert))
	found, err := sig.SignerCertificate()
	require.NoError(t, err)
	assert.True(t, found.Equal(s.cert))

	again, err := sig.CMS(nil)
	require.NoError(t, err)
	assert.Equal(t, der, again)
	_, err = raw.CMS(nil)
	assert.ErrorContains(t, err, "needs the signer's certificate")
}

func TestCMSForms(t *testing.T) {
	s := newSigner(t)
	tests := []struct {
		name string
		opts cmsOptions
		data []byte
	}{
		{"issuer and serial", cmsOptions{}, signedText},
		{"subject key identifier", cmsOptions{keyID: true, version: 3}, signedText},
		{"signed attributes", cmsOptions{signedAttrs: true}, signedText},
		{"attached content", cmsOptions{content: signedText}, nil},
		{"attached content and data", cmsOptions{content: signedText}, signedText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := ParseSignature(buildCMS(t, s, signedText, tc.opts))
			require.NoError(t, err)
			assert.NoError(t, sig.Verify(tc.data, s.cert))
			assert.ErrorIs(t, sig.Verify([]byte("other"), s.cert), ErrSignatureInvalid)
		})
	}
}

func TestCMSWrongSigner(t *testing.T) {
	s, other := newSigner(t), newSigner(t)
	sig, err := ParseSignature(buildCMS(t, s, signedText, cmsOptions{}))
	require.NoError(t, err)
	err = sig.Verify(signedText, other.cert)
	assert.ErrorIs(t, err, ErrSignatureInvalid)
	assert.ErrorContains(t, err, "signer identifier does not name")

	keyID, err := ParseSignature(buildCMS(t, s, signedText, cmsOptions{keyID: true}))
	require.NoError(t, err)
	assert.ErrorIs(t, keyID.Verify(signedText, other.cert), ErrSignatureInvalid)
}

func TestParseSignatureMalformed(t *testing.T) {
	s := newSigner(t)
	valid := buildCMS(t, s, signedText, cmsOptions{})
	tests := []struct {
		name  string
		input []byte
		want  string
	}{
		{"empty", nil, "signature of 0 bytes"},
		{"47 bytes", make([]byte, 47), "signature of 47 bytes"},
		{"trailing bytes", append(append([]byte{}, valid...), 0), "bytes after the element"},
		{"enveloped data", buildCMS(t, s, signedText,
			cmsOptions{contentType: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 3}}),
			"contentType: object identifier 1.2.840.113549.1.7.3"},
		{"sha-256 digest", buildCMS(t, s, signedText,
			cmsOptions{digest: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}}),
			"digestAlgorithms"},
		{"ecdsa", buildCMS(t, s, signedText,
			cmsOptions{sigAlg: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}}),
			"signatureAlgorithm"},
		{"two signers", buildCMS(t, s, signedText, cmsOptions{signerInfos: 2}),
			"more than one SignerInfo"},
		{"short signature", buildCMS(t, s, signedText, cmsOptions{signature: make([]byte, 40)}),
			"SignerInfo.signature: 40 bytes, expected 48"},
		{"version 9", buildCMS(t, s, signedText, cmsOptions{version: 9}),
			"SignerInfo.version: value 09"},
		{"no message digest", buildCMS(t, s, signedText,
			cmsOptions{signedAttrs: true, noDigestAttr: true}), "messageDigest is missing"},
		{"cut short", valid[:len(valid)-10], "exceeds remaining"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSignature(tc.input)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			var pe *ParseError
			if len(tc.input) > 0 && tc.input[0] == 0x30 {
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "CMS signature", pe.Object)
				assert.GreaterOrEqual(t, pe.Offset, 0)
				assert.LessOrEqual(t, pe.Offset, len(tc.input))
			}
		})
	}
}

func TestCMSMessageDigestMismatch(t *testing.T) {
	s := newSigner(t)
	sig, err := ParseSignature(buildCMS(t, s, []byte("signed"), cmsOptions{signedAttrs: true}))
	require.NoError(t, err)
	err = sig.Verify([]byte("other"), s.cert)
	assert.ErrorIs(t, err, ErrSignatureInvalid)
	assert.ErrorContains(t, err, "messageDigest")

	attached, err := ParseSignature(buildCMS(t, s, signedText, cmsOptions{content: signedText}))
	require.NoError(t, err)
	assert.ErrorContains(t, attached.Verify([]byte("other"), s.cert), "differs from the content")
}

func FuzzParseSignature(f *testing.F) {
	s := newSigner(f)
	f.Add(s.sign(f, signedText))
	f.Add(buildCMS(f, s, signedText, cmsOptions{}))
	f.Add(buildCMS(f, s, signedText, cmsOptions{keyID: true, signedAttrs: true}))
	f.Add(buildCMS(f, s, signedText, cmsOptions{content: signedText}))
	f.Add([]byte{0x30, 0x03, 0x06, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		sig, err := ParseSignature(in)
		if err != nil {
			var pe *ParseError
			if len(in) > 0 && in[0] == 0x30 && !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(sig.Value) != bign.SignatureSize {
			t.Fatalf("accepted a signature of %d bytes", len(sig.Value))
		}
		// Verification must not panic on anything the parser accepts.
		_ = sig.Verify(signedText, s.cert)
		_, _ = sig.SignerCertificate()
	})
}
