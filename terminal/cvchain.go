package terminal

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/tlv"
)

// Errors of CV certificate verification, wrapped with the certificate they concern.
var (
	// ErrCVSignatureInvalid means a certificate's signature does not verify under the
	// issuer's public key.
	ErrCVSignatureInvalid = errors.New("terminal: cv certificate signature is invalid")
	// ErrCVIssuerMismatch means a certificate's certAuthorityReference is not the
	// certHolderReference of the certificate before it in the chain.
	ErrCVIssuerMismatch = errors.New("terminal: cv certificate issuer does not match")
	// ErrCVUnsupportedKey means a key of security level 192 or 256 is involved, for which
	// bign is not implemented here.
	ErrCVUnsupportedKey = errors.New("terminal: cv certificate key size is not supported")
)

// CheckSignatureFrom verifies that issuer signed c: a bign signature (bign-curve256v1)
// over the belt-hash of the whole certificateBody element, RawBody, with its tag and
// length. It checks neither the references nor the dates, which VerifyCVChain checks.
//
// Only keys of security level 128 (64-byte public keys, 48-byte signatures) are
// supported; others fail with ErrCVUnsupportedKey.
func (c *CVCertificate) CheckSignatureFrom(issuer *CVCertificate) error {
	if len(issuer.PublicKey) != 64 {
		return fmt.Errorf("%w: issuer %s has a key of %d bytes, only 64 are supported",
			ErrCVUnsupportedKey, issuer.HolderReference, len(issuer.PublicKey))
	}
	// btok forbids an issuer key weaker than the subject key.
	if len(c.PublicKey) > len(issuer.PublicKey) {
		return fmt.Errorf("%w: %s has a key of %d bytes, stronger than its issuer's, "+
			"which btok forbids",
			ErrCVUnsupportedKey, c.HolderReference, len(c.PublicKey))
	}
	if len(c.Signature) != 48 {
		return fmt.Errorf("%w: %s: signature of %d bytes, expected 48",
			ErrCVSignatureInvalid, c.HolderReference, len(c.Signature))
	}
	pub, err := bign.ParsePublicKey(issuer.PublicKey)
	if err != nil {
		return fmt.Errorf("terminal: public key of cv certificate %s: %w",
			issuer.HolderReference, err)
	}
	if err := bign.VerifyHbelt(pub, c.RawBody, c.Signature); err != nil {
		return fmt.Errorf("%w: %s signed by %s: %v", ErrCVSignatureInvalid,
			c.HolderReference, issuer.HolderReference, err)
	}
	return nil
}

// VerifiedCVChain is the result of a successful VerifyCVChain.
type VerifiedCVChain struct {
	// Certificates lists the root and then the chain, in the order they were checked.
	Certificates []*CVCertificate
	// Rights are the access rights the card grants: the AND of the words of every
	// certificate, the root included.
	Rights AccessRights
	// NotBefore and NotAfter are the latest effective date and the earliest expiration
	// date along the chain: the days on which the whole chain is valid.
	NotBefore, NotAfter time.Time
}

// VerifyCVChain checks a certification path the way the ID card does in the BAUTH
// protocol. Chain starts with the certificate issued by root and ends with the
// terminal's (or the card's) certificate. Root is the trusted certificate of a root CA,
// which the card holds and the terminal does not send. Its own signature is not
// checked, because trust in it comes from where the caller got it.
//
// For each certificate it checks that the issuer reference equals the holder reference
// of the certificate before it, that its signature verifies under that certificate's
// key, and that the date at is within its validity, the root's included. The calendar
// date of at is taken in at's location, since CV dates carry no time zone.
// The effective rights are the AND of all access words along the path.
func VerifyCVChain(chain []*CVCertificate, root *CVCertificate,
	at time.Time) (*VerifiedCVChain, error) {
	if root == nil {
		return nil, errors.New("terminal: cv chain: missing root certificate")
	}
	if len(chain) == 0 {
		return nil, errors.New("terminal: cv chain: no certificate to verify")
	}
	if err := root.CheckValidity(at); err != nil {
		return nil, fmt.Errorf("terminal: cv chain: root: %w", err)
	}

	result := &VerifiedCVChain{
		Certificates: append([]*CVCertificate{root}, chain...),
		Rights:       root.Rights,
		NotBefore:    root.EffectiveDate,
		NotAfter:     root.ExpirationDate,
	}
	parent := root
	for i, c := range chain {
		if c == nil {
			return nil, fmt.Errorf("terminal: cv chain: certificate %d is nil", i)
		}
		if c.AuthorityReference != parent.HolderReference {
			return nil, fmt.Errorf("%w: certificate %d (%s) names issuer %q, expected %q",
				ErrCVIssuerMismatch, i, c.HolderReference, c.AuthorityReference,
				parent.HolderReference)
		}
		if err := c.CheckSignatureFrom(parent); err != nil {
			return nil, fmt.Errorf("terminal: cv chain: certificate %d: %w", i, err)
		}
		if err := c.CheckValidity(at); err != nil {
			return nil, fmt.Errorf("terminal: cv chain: certificate %d: %w", i, err)
		}
		result.Rights = result.Rights.And(c.Rights)
		if c.EffectiveDate.After(result.NotBefore) {
			result.NotBefore = c.EffectiveDate
		}
		if c.ExpirationDate.Before(result.NotAfter) {
			result.NotAfter = c.ExpirationDate
		}
		parent = c
	}
	return result, nil
}

// CreateCVCertificate encodes template as a CV certificate and signs its body with
// sign. Sign returns the issuer's signature over the bytes it is given: for an issuer
// key of security level 128, the 48 bytes that bign.SignHbelt returns. It uses
// AuthorityReference, HolderReference, PublicKey, Rights, EffectiveDate and
// ExpirationDate of template; the dates are taken as calendar dates in their own
// location. An access word that is zero is left out, as the card reads a missing
// template as no rights. The result is parsed back before it is returned.
func CreateCVCertificate(template *CVCertificate,
	sign func(body []byte) ([]byte, error)) ([]byte, error) {
	body, err := encodeCVBody(template)
	if err != nil {
		return nil, err
	}
	sig, err := sign(body)
	if err != nil {
		return nil, fmt.Errorf("terminal: signing cv certificate %s: %w",
			template.HolderReference, err)
	}
	der := tlv.EncodeConstructed(tagCVCertificate, body, tlv.Encode(tagSignature, sig))
	if _, err := ParseCVCertificate(der); err != nil {
		return nil, err
	}
	return der, nil
}

// encodeCVBody returns the certificateBody element of c.
func encodeCVBody(c *CVCertificate) ([]byte, error) {
	if err := checkCharString(c.AuthorityReference); err != nil {
		return nil, fmt.Errorf("terminal: certAuthorityReference %q: %v", c.AuthorityReference, err)
	}
	if err := checkCharString(c.HolderReference); err != nil {
		return nil, fmt.Errorf("terminal: certHolderReference %q: %v", c.HolderReference, err)
	}
	if n := len(c.PublicKey); n != 64 && n != 96 && n != 128 {
		return nil, fmt.Errorf("terminal: public key of %d bytes, expected 64, 96 or 128", n)
	}
	from, err := encodeCVDate(c.EffectiveDate)
	if err != nil {
		return nil, fmt.Errorf("terminal: certEffectiveDate: %v", err)
	}
	until, err := encodeCVDate(c.ExpirationDate)
	if err != nil {
		return nil, fmt.Errorf("terminal: certExpirationDate: %v", err)
	}

	fields := [][]byte{
		tlv.Encode(tagProfileIdentifier, cvProfileV1),
		tlv.Encode(tagAuthorityReference, []byte(c.AuthorityReference)),
		encodePublicKey(c.PublicKey),
		tlv.Encode(tagHolderReference, []byte(c.HolderReference)),
	}
	if c.Rights.EID != 0 {
		hat, err := encodeCertHAT(oidEIDAccess, c.Rights.EID.Bytes())
		if err != nil {
			return nil, err
		}
		fields = append(fields, hat)
	}
	fields = append(fields,
		tlv.Encode(tagEffectiveDate, from),
		tlv.Encode(tagExpirationDate, until))
	if c.Rights.ESign != 0 {
		ext, err := encodeESignExtension(c.Rights.ESign)
		if err != nil {
			return nil, err
		}
		fields = append(fields, ext)
	}
	return tlv.EncodeConstructed(tagCertificateBody, fields...), nil
}

func encodePublicKey(key []byte) []byte {
	oid, _ := asn1.Marshal(oidBignPubKey)
	bits := append([]byte{0}, key...)
	return tlv.EncodeConstructed(tagPublicKey, oid, tlv.Encode(tagBitString, bits))
}

func encodeCertHAT(oid asn1.ObjectIdentifier, word []byte) ([]byte, error) {
	encoded, err := asn1.Marshal(oid)
	if err != nil {
		return nil, fmt.Errorf("terminal: object identifier %v: %w", oid, err)
	}
	return tlv.EncodeConstructed(tagCertHAT, encoded, tlv.Encode(tagOctetString, word)), nil
}

func encodeESignExtension(word ESignRights) ([]byte, error) {
	hat, err := encodeCertHAT(oidESignAccess, word.Bytes())
	if err != nil {
		return nil, err
	}
	oid, _ := asn1.Marshal(oidSignAuthExt)
	return tlv.EncodeConstructed(tagExtensions,
		tlv.EncodeConstructed(tagDiscretionaryData, oid, hat)), nil
}
