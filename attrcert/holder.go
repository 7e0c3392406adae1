package attrcert

import (
	"encoding/asn1"
	"math/big"
)

// Holder identifies the party that an attribute certificate is issued to
// (STB 34.101.67, 6.1). At least one field is set.
//
// When BaseCertificateID is set, only the public-key certificate it names can
// authenticate the holder, and EntityName, if also set, only helps to find that
// certificate. When EntityName is set alone, any certificate whose subject is
// one of the names can.
type Holder struct {
	// BaseCertificateID names the holder's public-key certificate by its
	// issuer and serial number.
	BaseCertificateID *IssuerSerial

	// EntityName lists names of the holder or of a role.
	EntityName []GeneralName

	// ObjectDigestInfo is a digest of the holder's public key, public-key
	// certificate or another object such as executable code.
	ObjectDigestInfo *ObjectDigestInfo
}

// AttCertIssuer identifies the attribute authority («ЦАС») that signed an
// attribute certificate: the v2Form of RFC 5755, the only form that
// STB 34.101.67 defines. At least one field is set.
type AttCertIssuer struct {
	// Name lists names of the authority (issuerName). RFC 5755 requires exactly
	// one directoryName, the subject of the authority's certificate.
	Name []GeneralName

	// BaseCertificateID names the authority's public-key certificate.
	BaseCertificateID *IssuerSerial

	// ObjectDigestInfo is a digest of the authority's key or certificate.
	ObjectDigestInfo *ObjectDigestInfo
}

// IssuerSerial names a public-key certificate by its issuer and serial number.
type IssuerSerial struct {
	// Issuer lists names of the certificate's issuer.
	Issuer []GeneralName
	// Serial is the certificate's serial number.
	Serial *big.Int
	// IssuerUID is the issuerUniqueID of the certificate; BitLength is 0 when
	// the field is absent.
	IssuerUID asn1.BitString
}

// DigestedObjectType is the kind of object that the digest of an
// ObjectDigestInfo covers.
type DigestedObjectType int

// The values of digestedObjectType.
const (
	// DigestedPublicKey: the DER of the SubjectPublicKeyInfo.
	DigestedPublicKey DigestedObjectType = 0
	// DigestedPublicKeyCert: the DER of the whole public-key certificate.
	DigestedPublicKeyCert DigestedObjectType = 1
	// DigestedOtherObject: an object that OtherObjectTypeID or the context names.
	DigestedOtherObject DigestedObjectType = 2
)

// ObjectDigestInfo identifies an object by its digest.
type ObjectDigestInfo struct {
	Type DigestedObjectType
	// OtherObjectTypeID names the object type; nil when absent.
	OtherObjectTypeID asn1.ObjectIdentifier
	// DigestAlgorithm is the hash algorithm, such as belt-hash.
	DigestAlgorithm asn1.ObjectIdentifier
	// DigestAlgorithmParameters is the DER of the algorithm's parameters, or nil.
	DigestAlgorithmParameters []byte
	// Digest is the digest value.
	Digest []byte
}

// parseHolder reads Holder ::= SEQUENCE { baseCertificateID [0] IssuerSerial
// OPTIONAL, entityName [1] GeneralNames OPTIONAL, objectDigestInfo [2]
// ObjectDigestInfo OPTIONAL }.
func (p *acParser) parseHolder(seq *element) (Holder, error) {
	var h Holder
	r := contentReader(seq)
	next := 0
	var e element
	for !r.empty() {
		if err := r.next(&e); err != nil {
			return h, err
		}
		field := int(e.tag) - (classContext | constructed)
		if field < next || field > 2 {
			return h, errorAt(e.offset, "unexpected tag 0x%02x in Holder", e.tag)
		}
		next = field + 1

		var err error
		switch field {
		case 0:
			h.BaseCertificateID, err = p.parseIssuerSerial(&e)
			err = fieldError(err, "baseCertificateID")
		case 1:
			h.EntityName, err = p.parseGeneralNames(&e)
			err = fieldError(err, "entityName")
		case 2:
			h.ObjectDigestInfo, err = p.parseObjectDigestInfo(&e)
			err = fieldError(err, "objectDigestInfo")
		}
		if err != nil {
			return h, err
		}
	}
	if next == 0 {
		return h, errorAt(seq.offset,
			"Holder has none of baseCertificateID, entityName and objectDigestInfo")
	}
	return h, nil
}

// parseIssuer reads AttCertIssuer. STB 34.101.67 defines only [0] V2Form, and
// RFC 5755 forbids v1Form (a bare GeneralNames) in conforming certificates, so
// v1Form is rejected with an error that names both.
func (p *acParser) parseIssuer(e *element) (AttCertIssuer, error) {
	var is AttCertIssuer
	if e.tag == tagSequence {
		return is, errorAt(e.offset, "v1Form (bare GeneralNames) is not supported: "+
			"STB 34.101.67 and RFC 5755 require v2Form, tag 0xa0")
	}
	if e.tag != classContext|constructed {
		return is, errorAt(e.offset, "tag is 0x%02x, expected v2Form 0xa0", e.tag)
	}

	r := contentReader(e)
	next := 0
	var f element
	for !r.empty() {
		if err := r.next(&f); err != nil {
			return is, err
		}
		field := -1
		switch f.tag {
		case tagSequence:
			field = 0
		case classContext | constructed:
			field = 1
		case classContext | constructed | 1:
			field = 2
		}
		if field < next {
			return is, errorAt(f.offset, "unexpected tag 0x%02x in V2Form", f.tag)
		}
		next = field + 1

		var err error
		switch field {
		case 0:
			is.Name, err = p.parseGeneralNames(&f)
			err = fieldError(err, "issuerName")
		case 1:
			is.BaseCertificateID, err = p.parseIssuerSerial(&f)
			err = fieldError(err, "baseCertificateID")
		case 2:
			is.ObjectDigestInfo, err = p.parseObjectDigestInfo(&f)
			err = fieldError(err, "objectDigestInfo")
		}
		if err != nil {
			return is, err
		}
	}
	if next == 0 {
		return is, errorAt(e.offset,
			"V2Form has none of issuerName, baseCertificateID and objectDigestInfo")
	}
	return is, nil
}

// parseIssuerSerial reads IssuerSerial ::= SEQUENCE { issuer GeneralNames,
// serial CertificateSerialNumber, issuerUID UniqueIdentifier OPTIONAL }.
func (p *acParser) parseIssuerSerial(seq *element) (*IssuerSerial, error) {
	is := new(IssuerSerial)
	r := contentReader(seq)
	var e element
	err := r.expect(&e, tagSequence)
	if err == nil {
		is.Issuer, err = p.parseGeneralNames(&e)
	}
	if err != nil {
		return nil, fieldError(err, "issuer")
	}

	err = r.expect(&e, tagInteger)
	if err == nil {
		is.Serial, err = parseInteger(&e)
	}
	if err != nil {
		return nil, fieldError(err, "serial")
	}

	if !r.empty() {
		err := r.expect(&e, tagBitString)
		if err == nil {
			is.IssuerUID, err = parseBitString(&e)
		}
		if err != nil {
			return nil, fieldError(err, "issuerUID")
		}
	}
	return is, r.finish("IssuerSerial")
}

// parseObjectDigestInfo reads ObjectDigestInfo ::= SEQUENCE { digestedObjectType
// ENUMERATED, otherObjectTypeID OBJECT IDENTIFIER OPTIONAL, digestAlgorithm
// AlgorithmIdentifier, objectDigest BIT STRING }.
func (p *acParser) parseObjectDigestInfo(seq *element) (*ObjectDigestInfo, error) {
	info := new(ObjectDigestInfo)
	r := contentReader(seq)
	var e element
	err := r.expect(&e, tagEnumerated)
	var value int
	if err == nil {
		value, err = parseSmallInt(&e)
	}
	if err == nil && (value < 0 || value > 2) {
		err = errorAt(e.offset, "digestedObjectType %d is not 0, 1 or 2", value)
	}
	if err != nil {
		return nil, fieldError(err, "digestedObjectType")
	}
	info.Type = DigestedObjectType(value)

	if r.peek() == tagOID {
		err := r.next(&e)
		if err == nil {
			info.OtherObjectTypeID, err = parseOID(&e, &p.arcs)
		}
		if err != nil {
			return nil, fieldError(err, "otherObjectTypeID")
		}
	}

	err = r.expect(&e, tagSequence)
	if err == nil {
		info.DigestAlgorithm, info.DigestAlgorithmParameters, err = p.parseAlgorithm(&e)
	}
	if err != nil {
		return nil, fieldError(err, "digestAlgorithm")
	}

	err = r.expect(&e, tagBitString)
	if err == nil {
		var bits asn1.BitString
		bits, err = parseBitString(&e)
		if err == nil && bits.BitLength%8 != 0 {
			err = errorAt(e.offset, "digest has %d unused bits", 8*len(bits.Bytes)-bits.BitLength)
		}
		info.Digest = bits.Bytes
	}
	if err != nil {
		return nil, fieldError(err, "objectDigest")
	}
	return info, r.finish("objectDigest")
}

// parseAlgorithm reads AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT
// IDENTIFIER, parameters ANY OPTIONAL }.
func (p *acParser) parseAlgorithm(seq *element) (asn1.ObjectIdentifier, []byte, error) {
	r := contentReader(seq)
	var e element
	err := r.expect(&e, tagOID)
	var oid asn1.ObjectIdentifier
	if err == nil {
		oid, err = parseOID(&e, &p.arcs)
	}
	if err != nil {
		return nil, nil, fieldError(err, "algorithm")
	}
	if r.empty() {
		return oid, nil, nil
	}
	if err := r.next(&e); err != nil {
		return nil, nil, fieldError(err, "parameters")
	}
	return oid, e.raw, r.finish("parameters")
}
