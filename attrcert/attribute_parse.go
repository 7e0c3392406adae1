package attrcert

import (
	"bytes"
	"errors"
)

var (
	// ErrNotAttributeCertificate means that ParseAttributeCertificate was given
	// an X.509 public-key certificate.
	ErrNotAttributeCertificate = errors.New(
		"attrcert: input is a public-key certificate, not an attribute certificate")

	// ErrNotPublicKeyCertificate means that ParseCertificate was given an
	// attribute certificate.
	ErrNotPublicKeyCertificate = errors.New(
		"attrcert: input is an attribute certificate, not a public-key certificate")
)

// acParser carries the arenas that the slices of one certificate come from.
type acParser struct {
	arcs   arena[int]
	names  arena[GeneralName]
	values arena[AttributeValue]

	// signature is the signature field of attrCertInfo, which must equal
	// signatureAlgorithm.
	signature element
	// signatureOID and signatureParameters are its parsed content.
	signatureOID        []int
	signatureParameters []byte
}

// ParseAttributeCertificate parses one DER-encoded attribute certificate of
// STB 34.101.67 (RFC 5755).
//
// The envelope (the outer SEQUENCE, the header of attrCertInfo, signatureAlgorithm
// and signatureValue) must be DER, and no data may follow it, so that
// RawAttrCertInfo is exactly what the signature covers. Inside attrCertInfo the
// parser accepts what issuers are known to write: long-form lengths that DER
// forbids, negative or non-minimal serial numbers, validity times without
// seconds or as UTCTime, and PrintableString with characters outside its
// alphabet. Unknown attributes and extensions are kept as DER.
//
// An X.509 public-key certificate gives an error wrapping
// ErrNotAttributeCertificate. A version 1 attribute certificate (RFC 3281's
// AttributeCertificateV1) and the v1Form of the issuer field are rejected,
// because STB 34.101.67 defines neither. Every error is a *ParseError naming the
// field and its byte offset.
func ParseAttributeCertificate(der []byte) (*AttributeCertificate, error) {
	ac := &AttributeCertificate{Raw: bytes.Clone(der)}
	der = ac.Raw

	outer, rest, err := readElement(der, 0, "attributeCertificate", tagSequence)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, parseErrorf("attributeCertificate", outer.end(),
			"%d bytes of trailing data after the certificate", len(rest))
	}

	var p acParser
	tbs, err := p.parseEnvelope(ac, outer)
	if err != nil {
		return nil, err
	}
	if err := checkTBSKind(tbs); err != nil {
		return nil, err
	}
	if err := p.parseAttrCertInfo(ac, tbs); err != nil {
		return nil, fieldError(err, "attrCertInfo")
	}
	if err := p.checkSignatureAlgorithm(ac); err != nil {
		return nil, err
	}
	return ac, nil
}

// parseEnvelope reads AttributeCertificate ::= SEQUENCE { attrCertInfo,
// signatureAlgorithm, signatureValue } with strict DER lengths.
func (p *acParser) parseEnvelope(ac *AttributeCertificate, outer element) (element, error) {
	body, base := outer.content, outer.contentOffset()
	tbs, body, err := readElement(body, base, "attrCertInfo", tagSequence)
	if err != nil {
		return tbs, err
	}
	ac.RawAttrCertInfo = tbs.raw

	algorithm, body, err := readElement(body, tbs.end(), "signatureAlgorithm", tagSequence)
	if err != nil {
		return tbs, err
	}
	ac.SignatureAlgorithm, ac.SignatureAlgorithmParameters, err = p.parseAlgorithm(algorithm)
	if err != nil {
		return tbs, fieldError(err, "signatureAlgorithm")
	}

	signature, body, err := readElement(body, algorithm.end(), "signatureValue", tagBitString)
	if err != nil {
		return tbs, err
	}
	if err := checkBitString(signature, "signatureValue"); err != nil {
		return tbs, err
	}
	ac.Signature = signature.content[1:]
	if ac.SignatureAlgorithm.Equal(oidBignWithHbelt) && signature.content[0] != 0 {
		return tbs, parseErrorf("signatureValue", signature.offset,
			"bign-with-hbelt signature has %d unused bits, expected whole octets",
			signature.content[0])
	}
	if len(body) != 0 {
		return tbs, parseErrorf("attributeCertificate", signature.end(),
			"unexpected element after signatureValue")
	}
	return tbs, nil
}

// parseAttrCertInfo reads the fields of AttributeCertificateInfo.
func (p *acParser) parseAttrCertInfo(ac *AttributeCertificate, tbs element) error {
	body, offset := tbs.content, tbs.contentOffset()

	version, body, err := expectTLV(body, offset, tagInteger)
	if err == nil {
		ac.Version, err = parseSmallInt(version)
	}
	if err == nil && ac.Version != 1 {
		err = errorAt(version.offset, "version %d is not v2 (encoded as 1)", ac.Version)
	}
	if err != nil {
		return fieldError(err, "version")
	}
	ac.Version = 2

	holder, body, err := expectTLV(body, version.end(), tagSequence)
	if err == nil {
		ac.Holder, err = p.parseHolder(holder)
	}
	if err != nil {
		return fieldError(err, "holder")
	}

	issuer, body, err := readTLV(body, holder.end(), true)
	if err == nil {
		ac.Issuer, err = p.parseIssuer(issuer)
	}
	if err != nil {
		return fieldError(err, "issuer")
	}

	signature, body, err := expectTLV(body, issuer.end(), tagSequence)
	if err == nil {
		p.signature = signature
		p.signatureOID, p.signatureParameters, err = p.parseAlgorithm(signature)
	}
	if err != nil {
		return fieldError(err, "signature")
	}

	serial, body, err := expectTLV(body, signature.end(), tagInteger)
	if err == nil {
		ac.SerialNumber, err = parseInteger(serial)
	}
	if err != nil {
		return fieldError(err, "serialNumber")
	}

	validity, body, err := expectTLV(body, serial.end(), tagSequence)
	if err == nil {
		err = p.parseValidity(ac, validity)
	}
	if err != nil {
		return fieldError(err, "attrCertValidityPeriod")
	}

	attributes, body, err := expectTLV(body, validity.end(), tagSequence)
	if err == nil {
		ac.Attributes, err = p.parseAttributes(attributes)
	}
	if err != nil {
		return fieldError(err, "attributes")
	}

	return p.parseOptionalFields(ac, body, attributes.end())
}

// parseOptionalFields reads issuerUniqueID and extensions, both optional.
func (p *acParser) parseOptionalFields(ac *AttributeCertificate, body []byte, offset int) error {
	if len(body) > 0 && body[0] == tagBitString {
		uid, rest, err := readTLV(body, offset, true)
		if err == nil {
			ac.IssuerUniqueID, err = parseBitString(uid)
		}
		if err != nil {
			return fieldError(err, "issuerUniqueID")
		}
		body, offset = rest, uid.end()
	}

	if len(body) > 0 && body[0] == tagSequence {
		extensions, rest, err := readTLV(body, offset, true)
		if err == nil {
			err = p.parseExtensions(ac, extensions)
		}
		if err != nil {
			return fieldError(err, "extensions")
		}
		body, offset = rest, extensions.end()
	}
	return checkEnd(body, offset, "extensions")
}

// parseValidity reads AttCertValidityPeriod ::= SEQUENCE { notBeforeTime
// GeneralizedTime, notAfterTime GeneralizedTime }.
func (p *acParser) parseValidity(ac *AttributeCertificate, seq element) error {
	notBefore, rest, err := readTLV(seq.content, seq.contentOffset(), true)
	if err == nil {
		ac.NotBefore, err = parseTime(notBefore)
	}
	if err != nil {
		return fieldError(err, "notBeforeTime")
	}
	notAfter, rest, err := readTLV(rest, notBefore.end(), true)
	if err == nil {
		ac.NotAfter, err = parseTime(notAfter)
	}
	if err != nil {
		return fieldError(err, "notAfterTime")
	}
	if ac.NotAfter.Before(ac.NotBefore) {
		return errorAt(notAfter.offset, "notAfterTime %s is before notBeforeTime %s",
			formatTime(ac.NotAfter), formatTime(ac.NotBefore))
	}
	return checkEnd(rest, notAfter.end(), "notAfterTime")
}

// parseAttributes reads SEQUENCE OF Attribute, where Attribute ::= SEQUENCE {
// type AttributeType, values SET OF AttributeValue }. RFC 5755 (4.2.7) forbids
// two attributes of one type, so a duplicate is rejected rather than letting the
// first or the last one win.
func (p *acParser) parseAttributes(seq element) ([]Attribute, error) {
	attrs := make([]Attribute, countElements(seq.content))
	content, offset := seq.content, seq.contentOffset()
	for i := range attrs {
		e, rest, err := expectTLV(content, offset, tagSequence)
		if err == nil {
			err = p.parseAttribute(&attrs[i], e)
		}
		if err == nil {
			err = checkDuplicateAttribute(attrs[:i], attrs[i], e.offset)
		}
		if err != nil {
			return nil, indexedError(err, "", i)
		}
		content, offset = rest, e.end()
	}
	if len(content) != 0 {
		return nil, indexedError(trailingError(content, offset), "", len(attrs))
	}
	return attrs, nil
}

func checkDuplicateAttribute(previous []Attribute, a Attribute, offset int) error {
	for _, b := range previous {
		if b.Type.Equal(a.Type) {
			return errorAt(offset, "attribute type %s appears twice", a.Type)
		}
	}
	return nil
}

func (p *acParser) parseAttribute(a *Attribute, seq element) error {
	a.Raw = seq.raw
	oid, oidElement, rest, err := parseOIDElement(seq.content, seq.contentOffset(), &p.arcs)
	if err != nil {
		return fieldError(err, "type")
	}
	a.Type = oid
	known := attributeTypesByDER[string(oidElement.content)]

	set, rest, err := expectTLV(rest, oidElement.end(), tagSet)
	if err != nil {
		return fieldError(err, "values")
	}
	a.Values = p.values.take(countElements(set.content), 16)
	content, offset := set.content, set.contentOffset()
	for j := range a.Values {
		v, after, err := readTLV(content, offset, true)
		if err == nil {
			a.Values[j].Raw = v.raw
			if known != nil {
				a.Values[j].Value, err = p.decodeValue(v, known.syntax)
			}
		}
		if err != nil {
			return indexedError(err, "values", j)
		}
		content, offset = after, v.end()
	}
	if len(content) != 0 {
		return indexedError(trailingError(content, offset), "values", len(a.Values))
	}
	return checkEnd(rest, set.end(), "values")
}
