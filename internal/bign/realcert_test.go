package bign

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// x509PublicKey returns the bign public key of a DER X.509 certificate,
// which crypto/x509 parses but leaves as an unknown algorithm.
func x509PublicKey(t *testing.T, cert *x509.Certificate) *PublicKey {
	t.Helper()
	var spki struct {
		Algorithm struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.ObjectIdentifier
		}
		PublicKey asn1.BitString
	}
	_, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki)
	require.NoError(t, err)
	require.True(t, spki.Algorithm.Algorithm.Equal(PubKeyOID), "algorithm %v", spki.Algorithm.Algorithm)
	require.True(t, spki.Algorithm.Parameters.Equal(CurveOID), "curve %v", spki.Algorithm.Parameters)
	pub, err := ParsePublicKey(spki.PublicKey.Bytes)
	require.NoError(t, err)
	return pub
}

func readX509(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	der, err := os.ReadFile(filepath.Join("testdata", "gossuok", name))
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

// TestGosSUOKCertificates verifies the signatures of the public root
// certificate of the Belarusian state PKI (self-signed) and of the
// republican CA certificate it issued.
func TestGosSUOKCertificates(t *testing.T) {
	root, ca := readX509(t, "kuc.cer"), readX509(t, "ruc.cer")
	rootKey := x509PublicKey(t, root)
	tests := []struct {
		name string
		cert *x509.Certificate
	}{
		{"kuc.cer by itself", root},
		{"ruc.cer by kuc.cer", ca},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var alg struct {
				TBS       asn1.RawValue
				Algorithm struct{ Algorithm asn1.ObjectIdentifier }
			}
			_, err := asn1.Unmarshal(tt.cert.Raw, &alg)
			require.NoError(t, err)
			assert.True(t, alg.Algorithm.Algorithm.Equal(SignatureOID))
			assert.NoError(t, VerifyHbelt(rootKey, tt.cert.RawTBSCertificate, tt.cert.Signature))

			tbs := append([]byte(nil), tt.cert.RawTBSCertificate...)
			tbs[len(tbs)-1] ^= 1
			assert.ErrorIs(t, VerifyHbelt(rootKey, tbs, tt.cert.Signature), ErrInvalidSignature,
				"changed certificate body")
		})
	}
	assert.ErrorIs(t, VerifyHbelt(x509PublicKey(t, ca), root.RawTBSCertificate, root.Signature),
		ErrInvalidSignature, "kuc.cer under the key of ruc.cer")
}

// cvCertificate is the part of a btok CV certificate (STB 34.101.79) that
// signature checks need: the body 7F4E as signed, the public key from 7F49
// and the signature 5F37.
type cvCertificate struct {
	body, publicKey, signature []byte
}

// readTLV splits b into one BER-TLV element with a tag of one or more bytes
// and a definite length, and the rest.
func readTLV(b []byte) (tag uint32, element, value, rest []byte, err error) {
	i := 0
	next := func() (byte, error) {
		if i >= len(b) {
			return 0, errors.New("truncated TLV")
		}
		i++
		return b[i-1], nil
	}
	c, err := next()
	if err != nil {
		return 0, nil, nil, nil, err
	}
	tag = uint32(c)
	if c&0x1F == 0x1F {
		for {
			if c, err = next(); err != nil {
				return 0, nil, nil, nil, err
			}
			tag = tag<<8 | uint32(c)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if c, err = next(); err != nil {
		return 0, nil, nil, nil, err
	}
	n := int(c)
	if c&0x80 != 0 {
		n = 0
		for range int(c & 0x7F) {
			if c, err = next(); err != nil {
				return 0, nil, nil, nil, err
			}
			n = n<<8 | int(c)
		}
	}
	if len(b)-i < n {
		return 0, nil, nil, nil, errors.New("TLV value runs past the end")
	}
	return tag, b[:i+n], b[i : i+n], b[i+n:], nil
}

func readCV(t *testing.T, name string) cvCertificate {
	t.Helper()
	der, err := os.ReadFile(filepath.Join("testdata", "btok", name))
	require.NoError(t, err)
	tag, _, value, _, err := readTLV(der)
	require.NoError(t, err)
	require.Equal(t, uint32(0x7F21), tag)

	var cv cvCertificate
	for rest := value; len(rest) > 0; {
		var element, v []byte
		tag, element, v, rest, err = readTLV(rest)
		require.NoError(t, err)
		switch tag {
		case 0x7F4E:
			cv.body = element
			for body := v; len(body) > 0; {
				var bodyTag uint32
				bodyTag, _, v, body, err = readTLV(body)
				require.NoError(t, err)
				if bodyTag == 0x7F49 {
					// An OID, then BIT STRING 03 41 00 || x || y.
					_, _, _, keyRest, err := readTLV(v)
					require.NoError(t, err)
					_, _, bits, _, err := readTLV(keyRest)
					require.NoError(t, err)
					require.Len(t, bits, 1+PublicKeySize)
					cv.publicKey = bits[1:]
				}
			}
		case 0x5F37:
			cv.signature = v
		}
	}
	require.NotNil(t, cv.body, "body 7F4E")
	require.NotNil(t, cv.signature, "signature 5F37")
	return cv
}

// TestCVCertificates verifies the sample chain of CV certificates from the
// model of STB 34.101.79: each signature is bign over belt-hash of 7F4E.
func TestCVCertificates(t *testing.T) {
	tests := []struct{ cert, issuer string }{
		{"ca0000.cert", "ca0000.cert"},
		{"ca1000.cert", "ca0000.cert"},
		{"term.cert", "ca1000.cert"},
		{"ct.cert", "ca0000.cert"},
		{"ca0001.cert", "ca0001.cert"},
		{"ca0001.link", "ca0000.cert"},
	}
	for _, tt := range tests {
		t.Run(tt.cert, func(t *testing.T) {
			cert, issuer := readCV(t, tt.cert), readCV(t, tt.issuer)
			pub, err := ParsePublicKey(issuer.publicKey)
			require.NoError(t, err)
			assert.NoError(t, VerifyHbelt(pub, cert.body, cert.signature))

			other := readCV(t, "ct.cert")
			otherKey, err := ParsePublicKey(other.publicKey)
			require.NoError(t, err)
			assert.ErrorIs(t, VerifyHbelt(otherKey, cert.body, cert.signature), ErrInvalidSignature,
				"under the key of ct.cert")
		})
	}
}
