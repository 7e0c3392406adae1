package tsok

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"unicode/utf16"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
)

// requestSpec is a certificate request before encoding: CreateRequest
// fills it from a RequestTemplate, and tests fill it by hand to build
// requests that break the profile.
type requestSpec struct {
	version            int
	subject            []specAttribute
	attributes         []specRequestAttribute
	signatureAlgorithm pkix.AlgorithmIdentifier
	// keyParameters replaces the named curve in subjectPKInfo when set.
	keyParameters []byte
}

// specAttribute is one subject attribute in its own RDN, with the
// universal tag of its string type.
type specAttribute struct {
	oid   asn1.ObjectIdentifier
	tag   int
	value string
}

type specRequestAttribute struct {
	oid    asn1.ObjectIdentifier
	values [][]byte // DER of each value
}

// bignWithHbelt is the signature algorithm of the request, with NULL
// parameters as ГосСУОК's certificates carry it.
var bignWithHbelt = pkix.AlgorithmIdentifier{
	Algorithm:  bign.SignatureOID,
	Parameters: asn1.NullRawValue,
}

// buildRequest encodes the request for the signer's bign key and signs it
// with bign-with-hbelt through the signer.
func buildRequest(spec requestSpec, signer crypto.Signer) ([]byte, error) {
	pub, err := bignPublicKey(signer)
	if err != nil {
		return nil, err
	}
	info, err := encodeInfo(spec, pub)
	if err != nil {
		return nil, err
	}

	digest := belt.Sum256(info)
	sig, err := signer.Sign(rand.Reader, digest[:], crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("tsok: signing the request: %w", err)
	}
	// A signer that is not bign over belt-hash would yield a request that
	// every CA rejects; catch it here instead.
	if err := bign.VerifyHbelt(pub, info, sig); err != nil {
		return nil, fmt.Errorf("tsok: the signer's signature does not verify as bign-with-hbelt "+
			"under its own public key: %w", err)
	}

	return asn1.Marshal(struct {
		Info      asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}{
		Info:      asn1.RawValue{FullBytes: info},
		Algorithm: spec.signatureAlgorithm,
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}

// bignPublicKey returns the signer's public key as a bign key. The key
// must have a Bytes method returning x‖y, as bign keys of this module do.
func bignPublicKey(signer crypto.Signer) (*bign.PublicKey, error) {
	if signer == nil {
		return nil, errors.New("tsok: signer is nil")
	}
	if pub, ok := signer.Public().(*bign.PublicKey); ok {
		return pub, nil
	}
	encoded, ok := signer.Public().(interface{ Bytes() []byte })
	if !ok {
		return nil, fmt.Errorf("tsok: signer's public key %T is not a bign key", signer.Public())
	}
	pub, err := bign.ParsePublicKey(encoded.Bytes())
	if err != nil {
		return nil, fmt.Errorf("tsok: signer's public key %T is not a bign key: %w",
			signer.Public(), err)
	}
	return pub, nil
}

func encodeInfo(spec requestSpec, pub *bign.PublicKey) ([]byte, error) {
	subject, err := encodeName(spec.subject)
	if err != nil {
		return nil, err
	}
	curve, err := asn1.Marshal(bign.CurveOID)
	if err != nil {
		return nil, err
	}
	if spec.keyParameters != nil {
		curve = spec.keyParameters
	}
	attributes, err := encodeAttributes(spec.attributes)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Version    int
		Subject    asn1.RawValue
		PublicKey  subjectPublicKeyInfo
		Attributes asn1.RawValue
	}{
		Version: spec.version,
		Subject: asn1.RawValue{FullBytes: subject},
		PublicKey: subjectPublicKeyInfo{
			Algorithm: pkix.AlgorithmIdentifier{
				Algorithm:  bign.PubKeyOID,
				Parameters: asn1.RawValue{FullBytes: curve},
			},
			PublicKey: asn1.BitString{Bytes: pub.Bytes(), BitLength: 8 * bign.PublicKeySize},
		},
		Attributes: attributes,
	})
}

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// encodeName encodes the attributes as a Name with one attribute per RDN,
// in the order given: encoding/asn1 and pkix.Name would reorder them.
func encodeName(attrs []specAttribute) ([]byte, error) {
	var rdns []byte
	for _, a := range attrs {
		value, err := encodeString(a.tag, a.value)
		if err != nil {
			return nil, fmt.Errorf("tsok: subject attribute %s: %w", attributeName(a.oid), err)
		}
		atv, err := asn1.Marshal(struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue
		}{a.oid, value})
		if err != nil {
			return nil, err
		}
		rdn, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: atv})
		if err != nil {
			return nil, err
		}
		rdns = append(rdns, rdn...)
	}
	return asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: rdns})
}

// encodeString encodes value as the ASN.1 string type with the tag.
func encodeString(tag int, value string) (asn1.RawValue, error) {
	raw := asn1.RawValue{Tag: tag}
	switch tag {
	case asn1.TagUTF8String:
		raw.Bytes = []byte(value)
	case asn1.TagPrintableString:
		for i := range len(value) {
			if !isPrintableStringChar(value[i]) {
				return raw, fmt.Errorf("%q has character %q at position %d, "+
					"which PrintableString cannot hold", value, value[i], i)
			}
		}
		raw.Bytes = []byte(value)
	case asn1.TagIA5String:
		for i, r := range value {
			if r >= 0x80 {
				return raw, fmt.Errorf("%q has non-ASCII character %q at position %d, "+
					"which IA5String cannot hold", value, r, i)
			}
		}
		raw.Bytes = []byte(value)
	case asn1.TagBMPString:
		for _, u := range utf16.Encode([]rune(value)) {
			raw.Bytes = append(raw.Bytes, byte(u>>8), byte(u))
		}
	default:
		return raw, fmt.Errorf("string tag %d is not supported", tag)
	}
	return raw, nil
}

// encodeAttributes encodes attributes [0] IMPLICIT SET OF Attribute. DER
// sorts the elements of a SET OF by their encodings.
func encodeAttributes(attrs []specRequestAttribute) (asn1.RawValue, error) {
	var encoded [][]byte
	for _, a := range attrs {
		values := slices.Clone(a.values)
		slices.SortFunc(values, bytes.Compare)
		set, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true,
			Bytes: bytes.Join(values, nil)})
		if err != nil {
			return asn1.RawValue{}, err
		}
		der, err := asn1.Marshal(struct {
			Type   asn1.ObjectIdentifier
			Values asn1.RawValue
		}{a.oid, asn1.RawValue{FullBytes: set}})
		if err != nil {
			return asn1.RawValue{}, err
		}
		encoded = append(encoded, der)
	}
	slices.SortFunc(encoded, bytes.Compare)
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
		Bytes: bytes.Join(encoded, nil)}, nil
}
