package terminal

import (
	"encoding/asn1"
	"fmt"

	"github.com/esiful/sdk-go/internal/tlv"
)

// CreateCVCertificate encodes template as a CV certificate and signs its body with
// sign, which returns the issuer's bign signature over the bytes it is given (for
// security level 128, bign with belt-hash over the 48-byte output). It uses
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
