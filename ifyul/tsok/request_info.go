package tsok

import (
	"encoding/asn1"
	"fmt"

	"github.com/esiful/sdk-go/internal/bign"
)

// Attribute types of certificationRequestInfo that this package decodes.
var (
	oidChallengePassword   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 7}
	oidExtensionRequest    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 14}
	oidCertificateValidity = asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 34, 101, 78, 4, 1}
)

// parseInfo reads CertificationRequestInfo ::= SEQUENCE { version INTEGER,
// subject Name, subjectPKInfo SubjectPublicKeyInfo, attributes [0]
// Attributes }.
func (r *Request) parseInfo(info element) error {
	const field = "certificationRequestInfo"
	if info.tag != tagSequence {
		return parseErrorf(field, info.offset, "tag is 0x%02x, expected 0x%02x", info.tag,
			tagSequence)
	}
	r.RawInfo = info.raw
	parts, err := readChildren(info, field)
	if err != nil {
		return err
	}
	names := []string{"version", "subject", "subjectPKInfo", "attributes"}
	tags := []byte{tagInteger, tagSequence, tagSequence, tagContext0}
	if len(parts) != len(names) {
		return parseErrorf(field, info.offset,
			"has %d elements, expected 4 (version, subject, subjectPKInfo, attributes [0])",
			len(parts))
	}
	for i, p := range parts {
		if p.tag != tags[i] {
			return parseErrorf(field+"."+names[i], p.offset, "tag is 0x%02x, expected 0x%02x",
				p.tag, tags[i])
		}
	}

	if _, err := asn1.Unmarshal(parts[0].raw, &r.Version); err != nil {
		return &ParseError{Field: field + ".version", Offset: parts[0].offset, Err: err}
	}
	r.RawSubject = parts[1].raw
	if r.Subject, err = parseName(parts[1], field+".subject"); err != nil {
		return err
	}
	if err := r.parsePublicKeyInfo(parts[2]); err != nil {
		return err
	}
	return r.parseAttributes(parts[3])
}

// parseName reads Name ::= SEQUENCE OF RelativeDistinguishedName, each a
// SET OF AttributeTypeAndValue ::= SEQUENCE { type, value }.
func parseName(name element, field string) ([]NameAttribute, error) {
	rdns, err := readChildren(name, field)
	if err != nil {
		return nil, err
	}
	var attrs []NameAttribute
	for i, rdn := range rdns {
		rdnField := fmt.Sprintf("%s[%d]", field, i)
		if rdn.tag != tagSet {
			return nil, parseErrorf(rdnField, rdn.offset, "tag is 0x%02x, expected 0x%02x (SET)",
				rdn.tag, tagSet)
		}
		members, err := readChildren(rdn, rdnField)
		if err != nil {
			return nil, err
		}
		if len(members) == 0 {
			return nil, parseErrorf(rdnField, rdn.offset, "RelativeDistinguishedName is empty")
		}
		for j, m := range members {
			attr, err := parseTypeAndValue(m, fmt.Sprintf("%s[%d]", rdnField, j))
			if err != nil {
				return nil, err
			}
			attr.RDN = i
			attrs = append(attrs, attr)
		}
	}
	return attrs, nil
}

func parseTypeAndValue(seq element, field string) (NameAttribute, error) {
	if seq.tag != tagSequence {
		return NameAttribute{}, parseErrorf(field, seq.offset, "tag is 0x%02x, expected 0x%02x",
			seq.tag, tagSequence)
	}
	parts, err := readChildren(seq, field)
	if err != nil {
		return NameAttribute{}, err
	}
	if len(parts) != 2 {
		return NameAttribute{}, parseErrorf(field, seq.offset,
			"has %d elements, expected 2 (type, value)", len(parts))
	}
	oid, err := readOID(parts[0], field+".type")
	if err != nil {
		return NameAttribute{}, err
	}
	value, err := decodeString(parts[1], field+".value")
	if err != nil {
		return NameAttribute{}, err
	}
	return NameAttribute{Type: oid, StringType: int(parts[1].tag), Value: value,
		Offset: seq.offset}, nil
}

// parsePublicKeyInfo reads SubjectPublicKeyInfo ::= SEQUENCE { algorithm
// AlgorithmIdentifier, subjectPublicKey BIT STRING }. A key of
// bign-pubkey on bign-curve256v1 is decoded for CheckSignature; any other
// key is kept as bytes for the profile to judge.
func (r *Request) parsePublicKeyInfo(spki element) error {
	const field = "certificationRequestInfo.subjectPKInfo"
	parts, err := readChildren(spki, field)
	if err != nil {
		return err
	}
	if len(parts) != 2 {
		return parseErrorf(field, spki.offset,
			"has %d elements, expected 2 (algorithm, subjectPublicKey)", len(parts))
	}
	r.PublicKeyAlgorithm, r.PublicKeyParameters, err = parseAlgorithm(parts[0], field+".algorithm")
	if err != nil {
		return err
	}
	if parts[1].tag != tagBitString {
		return parseErrorf(field+".subjectPublicKey", parts[1].offset,
			"tag is 0x%02x, expected 0x%02x", parts[1].tag, tagBitString)
	}
	r.PublicKey, r.PublicKeyUnusedBits, err = bitStringBytes(parts[1], field+".subjectPublicKey")
	if err != nil {
		return err
	}

	wholeOctets := r.PublicKeyUnusedBits == 0 && len(r.PublicKey) == bign.PublicKeySize
	if r.isBignCurve256Key() && wholeOctets {
		// An invalid point is left for the profile's key rule to report,
		// with the reason, instead of failing the parse.
		r.bignKey, _ = bign.ParsePublicKey(r.PublicKey)
	}
	return nil
}

// isBignCurve256Key reports whether the key is declared as bign-pubkey
// with the named curve bign-curve256v1.
func (r *Request) isBignCurve256Key() bool {
	if !r.PublicKeyAlgorithm.Equal(bign.PubKeyOID) || r.PublicKeyParameters == nil {
		return false
	}
	var curve asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(r.PublicKeyParameters, &curve)
	return err == nil && len(rest) == 0 && curve.Equal(bign.CurveOID)
}

// parseAttributes reads attributes [0] IMPLICIT SET OF Attribute, each
// Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }, and
// decodes the first challengePassword, certificateValidity and
// extensionRequest.
func (r *Request) parseAttributes(set element) error {
	const field = "certificationRequestInfo.attributes"
	items, err := readChildren(set, field)
	if err != nil {
		return err
	}
	for i, item := range items {
		itemField := fmt.Sprintf("%s[%d]", field, i)
		attr, values, err := parseAttribute(item, itemField)
		if err != nil {
			return err
		}
		r.Attributes = append(r.Attributes, attr)
		if len(values) == 0 {
			continue
		}
		if err := r.decodeAttribute(attr.Type, values[0], itemField+".values[0]"); err != nil {
			return err
		}
	}
	return nil
}

func parseAttribute(seq element, field string) (Attribute, []element, error) {
	if seq.tag != tagSequence {
		return Attribute{}, nil, parseErrorf(field, seq.offset, "tag is 0x%02x, expected 0x%02x",
			seq.tag, tagSequence)
	}
	parts, err := readChildren(seq, field)
	if err != nil {
		return Attribute{}, nil, err
	}
	if len(parts) != 2 {
		return Attribute{}, nil, parseErrorf(field, seq.offset,
			"has %d elements, expected 2 (type, values)", len(parts))
	}
	oid, err := readOID(parts[0], field+".type")
	if err != nil {
		return Attribute{}, nil, err
	}
	if parts[1].tag != tagSet {
		return Attribute{}, nil, parseErrorf(field+".values", parts[1].offset,
			"tag is 0x%02x, expected 0x%02x (SET)", parts[1].tag, tagSet)
	}
	values, err := readChildren(parts[1], field+".values")
	if err != nil {
		return Attribute{}, nil, err
	}
	attr := Attribute{Type: oid, Offset: seq.offset}
	for _, v := range values {
		attr.Values = append(attr.Values, v.raw)
	}
	return attr, values, nil
}

// decodeAttribute decodes the first occurrence of each attribute this
// package reads. The profile's attribute rule reports repeated ones.
func (r *Request) decodeAttribute(typ asn1.ObjectIdentifier, value element, field string) error {
	switch {
	case typ.Equal(oidChallengePassword) && r.ChallengePassword == nil:
		s, err := decodeString(value, field)
		if err != nil {
			return err
		}
		r.ChallengePassword = &NameAttribute{Type: typ, StringType: int(value.tag), Value: s,
			Offset: value.offset}

	case typ.Equal(oidCertificateValidity) && r.CertificateValidity == nil:
		var v Validity
		rest, err := asn1.Unmarshal(value.raw, &v)
		if err == nil && len(rest) != 0 {
			err = fmt.Errorf("trailing bytes after Validity")
		}
		if err != nil {
			return &ParseError{Field: field, Offset: value.offset, Err: err}
		}
		r.CertificateValidity = &v

	case typ.Equal(oidExtensionRequest) && r.Extensions == nil:
		return r.parseExtensions(value, field)
	}
	return nil
}
