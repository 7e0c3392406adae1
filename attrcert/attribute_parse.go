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
	if err := checkTBSKind(&tbs); err != nil {
		return nil, err
	}
	if err := p.parseAttrCertInfo(ac, &tbs); err != nil {
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
	ac.SignatureAlgorithm, ac.SignatureAlgorithmParameters, err = p.parseAlgorithm(&algorithm)
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
func (p *acParser) parseAttrCertInfo(ac *AttributeCertificate, tbs *element) error {
	r := contentReader(tbs)
	var e element

	err := r.expect(&e, tagInteger)
	if err == nil {
		ac.Version, err = parseSmallInt(&e)
	}
	if err == nil && ac.Version != 1 {
		err = errorAt(e.offset, "version %d is not v2 (encoded as 1)", ac.Version)
	}
	if err != nil {
		return fieldError(err, "version")
	}
	ac.Version = 2

	if err := r.expect(&e, tagSequence); err != nil {
		return fieldError(err, "holder")
	}
	if ac.Holder, err = p.parseHolder(&e); err != nil {
		return fieldError(err, "holder")
	}

	if err := r.next(&e); err != nil {
		return fieldError(err, "issuer")
	}
	if ac.Issuer, err = p.parseIssuer(&e); err != nil {
		return fieldError(err, "issuer")
	}

	if err := r.expect(&p.signature, tagSequence); err != nil {
		return fieldError(err, "signature")
	}
	p.signatureOID, p.signatureParameters, err = p.parseAlgorithm(&p.signature)
	if err != nil {
		return fieldError(err, "signature")
	}

	err = r.expect(&e, tagInteger)
	if err == nil {
		ac.SerialNumber, err = parseInteger(&e)
	}
	if err != nil {
		return fieldError(err, "serialNumber")
	}

	err = r.expect(&e, tagSequence)
	if err == nil {
		err = p.parseValidity(ac, &e)
	}
	if err != nil {
		return fieldError(err, "attrCertValidityPeriod")
	}

	err = r.expect(&e, tagSequence)
	if err == nil {
		ac.Attributes, err = p.parseAttributes(&e)
	}
	if err != nil {
		return fieldError(err, "attributes")
	}

	return p.parseOptionalFields(ac, &r)
}

// parseOptionalFields reads issuerUniqueID and extensions, both optional.
func (p *acParser) parseOptionalFields(ac *AttributeCertificate, r *derReader) error {
	var e element
	if r.peek() == tagBitString {
		err := r.next(&e)
		if err == nil {
			ac.IssuerUniqueID, err = parseBitString(&e)
		}
		if err != nil {
			return fieldError(err, "issuerUniqueID")
		}
	}

	if r.peek() == tagSequence {
		err := r.next(&e)
		if err == nil {
			err = p.parseExtensions(ac, &e)
		}
		if err != nil {
			return fieldError(err, "extensions")
		}
	}
	return r.finish("extensions")
}

// parseValidity reads AttCertValidityPeriod ::= SEQUENCE { notBeforeTime
// GeneralizedTime, notAfterTime GeneralizedTime }.
func (p *acParser) parseValidity(ac *AttributeCertificate, seq *element) error {
	r := contentReader(seq)
	var e element
	err := r.next(&e)
	if err == nil {
		ac.NotBefore, err = parseTime(&e)
	}
	if err != nil {
		return fieldError(err, "notBeforeTime")
	}
	err = r.next(&e)
	if err == nil {
		ac.NotAfter, err = parseTime(&e)
	}
	if err != nil {
		return fieldError(err, "notAfterTime")
	}
	if ac.NotAfter.Before(ac.NotBefore) {
		return errorAt(e.offset, "notAfterTime %s is before notBeforeTime %s",
			formatTime(ac.NotAfter), formatTime(ac.NotBefore))
	}
	return r.finish("notAfterTime")
}

// parseAttributes reads SEQUENCE OF Attribute, where Attribute ::= SEQUENCE {
// type AttributeType, values SET OF AttributeValue }. RFC 5755 (4.2.7) forbids
// two attributes of one type, so a duplicate is rejected rather than letting the
// first or the last one win.
func (p *acParser) parseAttributes(seq *element) ([]Attribute, error) {
	r := contentReader(seq)
	attrs := make([]Attribute, r.count())
	var e element
	for i := range attrs {
		err := r.expect(&e, tagSequence)
		if err == nil {
			err = p.parseAttribute(&attrs[i], &e)
		}
		if err == nil {
			err = checkDuplicateAttribute(attrs[:i], attrs[i], e.offset)
		}
		if err != nil {
			return nil, indexedError(err, "", i)
		}
	}
	if !r.empty() {
		return nil, indexedError(r.malformed(), "", len(attrs))
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

func (p *acParser) parseAttribute(a *Attribute, seq *element) error {
	a.Raw = seq.raw
	r := contentReader(seq)
	var e element
	err := r.expect(&e, tagOID)
	if err == nil {
		a.Type, err = parseOID(&e, &p.arcs)
	}
	if err != nil {
		return fieldError(err, "type")
	}
	known := attributeTypesByDER[string(e.content)]

	if err := r.expect(&e, tagSet); err != nil {
		return fieldError(err, "values")
	}
	values := contentReader(&e)
	a.Values = p.values.take(values.count(), 8)
	for j := range a.Values {
		var v element
		err := values.next(&v)
		if err == nil {
			a.Values[j].Raw = v.raw
			if known != nil {
				a.Values[j].Value, err = p.decodeValue(&v, known.syntax)
			}
		}
		if err != nil {
			return indexedError(err, "values", j)
		}
	}
	if !values.empty() {
		return indexedError(values.malformed(), "values", len(a.Values))
	}
	return r.finish("values")
}
