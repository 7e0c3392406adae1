package attrcert

import (
	"bytes"
	"encoding/asn1"
	"fmt"
)

// certificateKind is the kind of a signed structure, judged by its first fields.
type certificateKind int

const (
	kindUnknown certificateKind = iota
	kindPublicKey
	kindAttribute
	kindAttributeV1
)

// classifyTBS distinguishes an X.509 tbsCertificate from an
// attributeCertificateInfo by their first fields, which differ in every version:
//
//	X.509 v2, v3:      [0] EXPLICIT version INTEGER, serialNumber, ...
//	X.509 v1:          serialNumber INTEGER, signature SEQUENCE { OID, ... }, ...
//	attribute cert v2: version INTEGER, holder SEQUENCE { [0] | [1] | [2] ... }, ...
//	attribute cert v1: [0] IssuerSerial | [1] GeneralNames (version omitted), or
//	                   version INTEGER followed by that choice
func classifyTBS(tbs *element) certificateKind {
	r := contentReader(tbs)
	var first, second element
	if r.next(&first) != nil {
		return kindUnknown
	}
	switch first.tag {
	case classContext | constructed:
		if len(first.content) > 0 && first.content[0] == tagInteger {
			return kindPublicKey
		}
		return kindAttributeV1
	case classContext | constructed | 1:
		return kindAttributeV1
	case tagInteger:
	default:
		return kindUnknown
	}

	if r.next(&second) != nil {
		return kindUnknown
	}
	switch {
	case second.tag == classContext|constructed || second.tag == classContext|constructed|1:
		return kindAttributeV1
	case second.tag != tagSequence:
		return kindUnknown
	case len(second.content) > 0 && second.content[0] == tagOID:
		return kindPublicKey
	case len(second.content) == 0 || second.content[0]&0xc0 == classContext:
		return kindAttribute
	}
	return kindUnknown
}

// checkTBSKind rejects input other than a version 2 attribute certificate, with
// an error that names what the input is.
func checkTBSKind(tbs *element) error {
	switch classifyTBS(tbs) {
	case kindPublicKey:
		return &ParseError{Field: "attrCertInfo", Offset: tbs.offset, Err: ErrNotAttributeCertificate}
	case kindAttributeV1:
		return parseErrorf("attrCertInfo", tbs.offset, "version 1 attribute certificate "+
			"(RFC 3281 AttributeCertificateV1) is not supported, STB 34.101.67 defines v2 only")
	}
	return nil
}

// rejectAttributeCertificate is ParseCertificate's check that its input is not
// an attribute certificate, which crypto/x509 would reject with a confusing
// message.
func rejectAttributeCertificate(tbs *element) error {
	switch classifyTBS(tbs) {
	case kindAttribute, kindAttributeV1:
		return &ParseError{Field: "tbsCertificate", Offset: tbs.offset, Err: ErrNotPublicKeyCertificate}
	}
	return nil
}

// checkSignatureAlgorithm checks that the signature field of attrCertInfo names
// the algorithm of signatureAlgorithm, as STB 34.101.67 (6.1) requires, and the
// encoding that bign-with-hbelt requires.
func (p *acParser) checkSignatureAlgorithm(ac *AttributeCertificate) error {
	if !ac.SignatureAlgorithm.Equal(asn1.ObjectIdentifier(p.signatureOID)) ||
		!bytes.Equal(ac.SignatureAlgorithmParameters, p.signatureParameters) {
		return &ParseError{Field: "attrCertInfo.signature", Offset: p.signature.offset,
			Err: fmt.Errorf("algorithm %v differs from signatureAlgorithm %v",
				asn1.ObjectIdentifier(p.signatureOID), ac.SignatureAlgorithm)}
	}
	if !ac.SignatureAlgorithm.Equal(oidBignWithHbelt) {
		return nil
	}
	params := ac.SignatureAlgorithmParameters
	if params != nil && !bytes.Equal(params, []byte{tagNull, 0}) {
		return parseErrorf("attrCertInfo.signature", p.signature.offset,
			"bign-with-hbelt parameters must be NULL or absent, got tag 0x%02x", params[0])
	}
	return nil
}
