package attrcert

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/esiful/sdk-go/internal/bign"
)

var (
	// ErrUnsupportedAlgorithm means that a signature or key algorithm is not one
	// that this package verifies. The error text names the OID.
	ErrUnsupportedAlgorithm = errors.New("attrcert: unsupported algorithm")

	// ErrBadSignature means that a certificate's signature does not verify under
	// the issuer's public key, or that the key cannot have made it.
	ErrBadSignature = errors.New("attrcert: invalid signature")
)

// Algorithm identifiers of STB 34.101.45 (bign).
var (
	oidBignWithHbelt  = bign.SignatureOID
	oidBignPubKey     = bign.PubKeyOID
	oidBignCurve256v1 = bign.CurveOID
)

const (
	bignPublicKeySize = bign.PublicKeySize // x‖y, each 32 bytes little-endian
	bignSignatureSize = bign.SignatureSize // s0‖s1
)

// checkSignatureParameters enforces the encoding of bign-with-hbelt: parameters
// NULL or absent (STB 34.101.45 and the national PKI profile write NULL), and a
// signature BIT STRING of whole octets.
func checkSignatureParameters(outer outerCertificate) error {
	if !outer.algorithm.Equal(oidBignWithHbelt) {
		return nil
	}
	if outer.parameters != nil && !bytes.Equal(outer.parameters, []byte{tagNull, 0}) {
		return parseErrorf("signatureAlgorithm.parameters", outer.parametersAt,
			"bign-with-hbelt parameters must be NULL or absent, got tag 0x%02x",
			outer.parameters[0])
	}
	if unused := outer.signature.content[0]; unused != 0 {
		return parseErrorf("signatureValue", outer.signature.offset,
			"bign-with-hbelt signature has %d unused bits, expected whole octets", unused)
	}
	return nil
}

// parsePublicKey reads SubjectPublicKeyInfo ::= SEQUENCE { algorithm
// AlgorithmIdentifier, subjectPublicKey BIT STRING } and fills PublicKeyAlgorithm
// and PublicKey.
func (c *Certificate) parsePublicKey(spki element) error {
	const field = "subjectPublicKeyInfo"
	algorithm, rest, err := readElement(spki.content, spki.contentOffset(),
		field+".algorithm", tagSequence)
	if err != nil {
		return err
	}
	key, _, err := readElement(rest, algorithm.end(), field+".subjectPublicKey", tagBitString)
	if err != nil {
		return err
	}

	oid, rest, err := readElement(algorithm.content, algorithm.contentOffset(),
		field+".algorithm.algorithm", tagOID)
	if err != nil {
		return err
	}
	if _, err := asn1.Unmarshal(oid.raw, &c.PublicKeyAlgorithm); err != nil {
		return &ParseError{Field: field + ".algorithm.algorithm", Offset: oid.offset, Err: err}
	}
	if !c.PublicKeyAlgorithm.Equal(oidBignPubKey) {
		c.PublicKey = c.X509.PublicKey
		return nil
	}

	if err := checkBignCurve(rest, oid.end()); err != nil {
		return err
	}
	if err := checkBitString(key, field+".subjectPublicKey"); err != nil {
		return err
	}
	raw := key.content[1:]
	if key.content[0] != 0 || len(raw) != bignPublicKeySize {
		return parseErrorf(field+".subjectPublicKey", key.offset,
			"bign public key must be %d whole octets, got %d octets and %d unused bits",
			bignPublicKeySize, len(raw), key.content[0])
	}
	if c.PublicKey, err = bign.ParsePublicKey(raw); err != nil {
		return &ParseError{Field: field + ".subjectPublicKey", Offset: key.offset, Err: err}
	}
	return nil
}

// checkBignCurve accepts only the named curve bign-curve256v1. STB 34.101.45 also
// allows explicit parameters and other curves, but the verifier implements only
// this one, which is the curve of ГосСУОК.
func checkBignCurve(params []byte, offset int) error {
	const field = "subjectPublicKeyInfo.algorithm.parameters"
	curve, rest, err := readElement(params, offset, field, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return parseErrorf("subjectPublicKeyInfo.algorithm", curve.end(),
			"unexpected element after parameters")
	}
	if curve.tag != tagOID {
		return parseErrorf(field, offset,
			"bign domain parameters must be the named curve %s, got tag 0x%02x",
			oidBignCurve256v1, curve.tag)
	}

	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(curve.raw, &oid); err != nil {
		return &ParseError{Field: field, Offset: offset, Err: err}
	}
	if !oid.Equal(oidBignCurve256v1) {
		return parseErrorf(field, offset,
			"bign curve %s is not supported, only bign-curve256v1 (%s): %w",
			oid, oidBignCurve256v1, ErrUnsupportedAlgorithm)
	}
	return nil
}

// CheckSignatureFrom verifies that parent signed c: parent must be allowed to
// sign certificates (basicConstraints cA, and keyCertSign when keyUsage is
// present), and the signature must verify under parent's public key.
//
// bign-with-hbelt signatures are verified over the belt-hash of tbsCertificate;
// ECDSA, RSA and Ed25519 signatures through crypto/x509, which rejects MD5 and
// SHA-1. Other algorithms give ErrUnsupportedAlgorithm. Names, validity and key
// identifiers are not checked here: Verify checks them.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if err := checkIssuer(parent, c); err != nil {
		return err
	}
	return c.checkSignature(parent)
}

func (c *Certificate) checkSignature(parent *Certificate) error {
	switch {
	case c.SignatureAlgorithm.Equal(oidBignWithHbelt):
		return c.checkBignSignature(parent)

	case c.X509.SignatureAlgorithm != x509.UnknownSignatureAlgorithm:
		if parent.X509.PublicKey == nil {
			return fmt.Errorf("%w: %s is signed with %v, but the key of issuer %s is %s",
				ErrBadSignature, describe(c), c.X509.SignatureAlgorithm, describe(parent),
				parent.PublicKeyAlgorithm)
		}
		err := parent.X509.CheckSignature(c.X509.SignatureAlgorithm,
			c.X509.RawTBSCertificate, c.X509.Signature)
		var insecure x509.InsecureAlgorithmError
		switch {
		case err == nil:
			return nil
		case errors.Is(err, x509.ErrUnsupportedAlgorithm), errors.As(err, &insecure):
			return fmt.Errorf("%w: signatureAlgorithm %s of %s: %v",
				ErrUnsupportedAlgorithm, c.SignatureAlgorithm, describe(c), err)
		default:
			return fmt.Errorf("%w: %s under the key of %s: %v",
				ErrBadSignature, describe(c), describe(parent), err)
		}

	default:
		return fmt.Errorf("%w: signatureAlgorithm %s of %s",
			ErrUnsupportedAlgorithm, c.SignatureAlgorithm, describe(c))
	}
}

func (c *Certificate) checkBignSignature(parent *Certificate) error {
	key, ok := parent.PublicKey.(*bign.PublicKey)
	if !ok {
		return fmt.Errorf("%w: %s is signed with bign-with-hbelt, but the key of issuer %s is %s",
			ErrBadSignature, describe(c), describe(parent), parent.PublicKeyAlgorithm)
	}
	if n := len(c.X509.Signature); n != bignSignatureSize {
		return fmt.Errorf("%w: signatureValue of %s is %d octets, bign-with-hbelt needs %d",
			ErrBadSignature, describe(c), n, bignSignatureSize)
	}
	if err := bign.VerifyHbelt(key, c.X509.RawTBSCertificate, c.X509.Signature); err != nil {
		return fmt.Errorf("%w: %s under the key of %s: %v",
			ErrBadSignature, describe(c), describe(parent), err)
	}
	return nil
}
