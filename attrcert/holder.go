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

// DigestedObjectType says what the digest of an ObjectDigestInfo covers.
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
func (p *acParser) parseHolder(seq element) (Holder, error) {
	var h Holder
	content, offset := seq.content, seq.contentOffset()
	next := 0
	for len(content) > 0 {
		e, rest, err := readTLV(content, offset, true)
		if err != nil {
			return h, err
		}
		field := int(e.tag) - (classContext | constructed)
		if field < next || field > 2 {
			return h, errorAt(e.offset, "unexpected tag 0x%02x in Holder", e.tag)
		}
		next = field + 1

		switch field {
		case 0:
			h.BaseCertificateID, err = p.parseIssuerSerial(e)
			err = fieldError(err, "baseCertificateID")
		case 1:
			h.EntityName, err = p.parseGeneralNames(e)
			err = fieldError(err, "entityName")
		case 2:
			h.ObjectDigestInfo, err = p.parseObjectDigestInfo(e)
			err = fieldError(err, "objectDigestInfo")
		}
		if err != nil {
			return h, err
		}
		content, offset = rest, e.end()
	}
	if next == 0 {
		return h, errorAt(seq.offset,
			"Holder has none of baseCertificateID, entityName and objectDigestInfo")
	}
	return h, nil
}

// parseIssuer reads AttCertIssuer. STB 34.101.67 defines only [0] V2Form, and
// RFC 5755 forbids v1Form (a bare GeneralNames) in conforming certificates, so
// v1Form is rejected with an error that says so.
func (p *acParser) parseIssuer(e element) (AttCertIssuer, error) {
	var is AttCertIssuer
	if e.tag == tagSequence {
		return is, errorAt(e.offset, "v1Form (bare GeneralNames) is not supported: "+
			"STB 34.101.67 and RFC 5755 require v2Form, tag 0xa0")
	}
	if e.tag != classContext|constructed {
		return is, errorAt(e.offset, "tag is 0x%02x, expected v2Form 0xa0", e.tag)
	}

	content, offset := e.content, e.contentOffset()
	next := 0
	for len(content) > 0 {
		f, rest, err := readTLV(content, offset, true)
		if err != nil {
			return is, err
		}
		var field int
		switch f.tag {
		case tagSequence:
			field = 0
		case classContext | constructed:
			field = 1
		case classContext | constructed | 1:
			field = 2
		default:
			field = -1
		}
		if field < next {
			return is, errorAt(f.offset, "unexpected tag 0x%02x in V2Form", f.tag)
		}
		next = field + 1

		switch field {
		case 0:
			is.Name, err = p.parseGeneralNames(f)
			err = fieldError(err, "issuerName")
		case 1:
			is.BaseCertificateID, err = p.parseIssuerSerial(f)
			err = fieldError(err, "baseCertificateID")
		case 2:
			is.ObjectDigestInfo, err = p.parseObjectDigestInfo(f)
			err = fieldError(err, "objectDigestInfo")
		}
		if err != nil {
			return is, err
		}
		content, offset = rest, f.end()
	}
	if next == 0 {
		return is, errorAt(e.offset,
			"V2Form has none of issuerName, baseCertificateID and objectDigestInfo")
	}
	return is, nil
}

// parseIssuerSerial reads IssuerSerial ::= SEQUENCE { issuer GeneralNames,
// serial CertificateSerialNumber, issuerUID UniqueIdentifier OPTIONAL }.
func (p *acParser) parseIssuerSerial(seq element) (*IssuerSerial, error) {
	is := new(IssuerSerial)
	names, rest, err := expectTLV(seq.content, seq.contentOffset(), tagSequence)
	if err != nil {
		return nil, fieldError(err, "issuer")
	}
	if is.Issuer, err = p.parseGeneralNames(names); err != nil {
		return nil, fieldError(err, "issuer")
	}

	serial, rest, err := expectTLV(rest, names.end(), tagInteger)
	if err == nil {
		is.Serial, err = parseInteger(serial)
	}
	if err != nil {
		return nil, fieldError(err, "serial")
	}

	end := serial.end()
	if len(rest) > 0 {
		uid, after, err := expectTLV(rest, end, tagBitString)
		if err == nil {
			is.IssuerUID, err = parseBitString(uid)
		}
		if err != nil {
			return nil, fieldError(err, "issuerUID")
		}
		rest, end = after, uid.end()
	}
	return is, checkEnd(rest, end, "IssuerSerial")
}

// parseObjectDigestInfo reads ObjectDigestInfo ::= SEQUENCE { digestedObjectType
// ENUMERATED, otherObjectTypeID OBJECT IDENTIFIER OPTIONAL, digestAlgorithm
// AlgorithmIdentifier, objectDigest BIT STRING }.
func (p *acParser) parseObjectDigestInfo(seq element) (*ObjectDigestInfo, error) {
	info := new(ObjectDigestInfo)
	kind, rest, err := expectTLV(seq.content, seq.contentOffset(), tagEnumerated)
	var value int
	if err == nil {
		value, err = parseSmallInt(kind)
	}
	if err == nil && (value < 0 || value > 2) {
		err = errorAt(kind.offset, "digestedObjectType %d is not 0, 1 or 2", value)
	}
	if err != nil {
		return nil, fieldError(err, "digestedObjectType")
	}
	info.Type = DigestedObjectType(value)

	end := kind.end()
	if len(rest) > 0 && rest[0] == tagOID {
		var id element
		info.OtherObjectTypeID, id, rest, err = parseOIDElement(rest, end, &p.arcs)
		if err != nil {
			return nil, fieldError(err, "otherObjectTypeID")
		}
		end = id.end()
	}

	algorithm, rest, err := expectTLV(rest, end, tagSequence)
	if err == nil {
		info.DigestAlgorithm, info.DigestAlgorithmParameters, err = p.parseAlgorithm(algorithm)
	}
	if err != nil {
		return nil, fieldError(err, "digestAlgorithm")
	}

	digest, rest, err := expectTLV(rest, algorithm.end(), tagBitString)
	if err == nil {
		var bits asn1.BitString
		bits, err = parseBitString(digest)
		if err == nil && bits.BitLength%8 != 0 {
			err = errorAt(digest.offset, "digest has %d unused bits", 8*len(bits.Bytes)-bits.BitLength)
		}
		info.Digest = bits.Bytes
	}
	if err != nil {
		return nil, fieldError(err, "objectDigest")
	}
	return info, checkEnd(rest, digest.end(), "objectDigest")
}

// parseAlgorithm reads AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT
// IDENTIFIER, parameters ANY OPTIONAL }.
func (p *acParser) parseAlgorithm(seq element) (asn1.ObjectIdentifier, []byte, error) {
	oid, oidElement, rest, err := parseOIDElement(seq.content, seq.contentOffset(), &p.arcs)
	if err != nil {
		return nil, nil, fieldError(err, "algorithm")
	}
	if len(rest) == 0 {
		return oid, nil, nil
	}
	params, rest, err := readTLV(rest, oidElement.end(), true)
	if err != nil {
		return nil, nil, fieldError(err, "parameters")
	}
	return oid, params.raw, checkEnd(rest, params.end(), "parameters")
}
