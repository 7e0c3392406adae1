package tsok

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
)

// maxRequestSize bounds the input of ParseRequest. A request of the ТСОК
// profile is well under a kilobyte; 100 long subjectAltName entries, the
// profile's maximum, stay under 64 KiB.
const maxRequestSize = 1 << 20

// PEMType is the PEM block type of a certificate request (RFC 7468).
const PEMType = "CERTIFICATE REQUEST"

// Request is a parsed certificate request («запрос на сертификат»,
// CertificationRequest of STB 34.101.17, the syntax of PKCS #10). Its
// fields contain what the DER encodes, whether or not the profile allows
// it, because CheckProfile judges the request.
type Request struct {
	// Raw is the DER encoding of the whole request.
	Raw []byte
	// RawInfo is the DER encoding of certificationRequestInfo, the part
	// the signature covers.
	RawInfo []byte
	// RawSubject is the DER encoding of the subject Name.
	RawSubject []byte

	// Version is the request's version, 0 in STB 34.101.17.
	Version int
	// Subject lists the subject's attributes in the order of the DER.
	Subject []NameAttribute

	// PublicKeyAlgorithm is the algorithm of subjectPKInfo, and
	// PublicKeyParameters the DER of its parameters, nil when absent.
	PublicKeyAlgorithm  asn1.ObjectIdentifier
	PublicKeyParameters []byte
	// PublicKey is the content of subjectPublicKey without the
	// unused-bits octet; PublicKeyUnusedBits is that octet.
	PublicKey           []byte
	PublicKeyUnusedBits int

	// Attributes lists the request's attributes in the order of the DER.
	Attributes []Attribute
	// ChallengePassword is the first challengePassword attribute, or nil.
	ChallengePassword *NameAttribute
	// CertificateValidity is the first certificateValidity attribute (the
	// validity the requester suggests), or nil.
	CertificateValidity *Validity
	// Extensions lists the extensions of the first extensionRequest
	// attribute. KeyUsage, ExtKeyUsage and SubjectAltNames are the
	// decoded values of those three extensions.
	Extensions      []Extension
	KeyUsage        x509.KeyUsage
	ExtKeyUsage     []asn1.ObjectIdentifier
	SubjectAltNames []GeneralName

	// SignatureAlgorithm and SignatureParameters identify the signature
	// algorithm; SignatureParameters is nil when absent.
	SignatureAlgorithm  asn1.ObjectIdentifier
	SignatureParameters []byte
	// Signature is the signature without the unused-bits octet.
	Signature           []byte
	SignatureUnusedBits int

	// bignKey is the public key when it is a valid bign key on
	// bign-curve256v1, else nil.
	bignKey *bign.PublicKey
}

// NameAttribute is one attribute of the subject (AttributeTypeAndValue),
// or the value of a challengePassword attribute.
type NameAttribute struct {
	// Type is the attribute type, such as 2.5.4.3 for commonName.
	Type asn1.ObjectIdentifier
	// StringType is the universal tag number of the value's string type:
	// asn1.TagUTF8String, asn1.TagPrintableString, asn1.TagIA5String,
	// asn1.TagBMPString, asn1.TagT61String, or 28 for UniversalString.
	StringType int
	// Value is the decoded string.
	Value string
	// RDN is the index of the RelativeDistinguishedName that holds the
	// attribute; two attributes share it in a multi-valued RDN.
	RDN int
	// Offset is the byte offset of the attribute in the request's DER.
	Offset int
}

// Attribute is one attribute of certificationRequestInfo.
type Attribute struct {
	Type asn1.ObjectIdentifier
	// Values holds the DER of each value of the attribute's SET.
	Values [][]byte
	// Offset is the byte offset of the attribute in the request's DER.
	Offset int
}

// Extension is one extension of the extensionRequest attribute.
type Extension struct {
	ID       asn1.ObjectIdentifier
	Critical bool
	// Value is the content of extnValue: the DER of the extension's value.
	Value []byte
	// Offset is the byte offset of the extension in the request's DER.
	Offset int

	valueOffset int // of Value in the request's DER
}

// Validity is the value of the certificateValidity attribute.
type Validity struct {
	NotBefore, NotAfter time.Time
}

// GeneralName is one entry of the subjectAltName extension.
type GeneralName struct {
	// Tag is the context-specific tag number of the GeneralName choice:
	// 1 rfc822Name, 2 dNSName, 6 uniformResourceIdentifier, 7 iPAddress,
	// and 0, 3, 4, 5, 8 for the forms the profile does not allow.
	Tag int
	// Value is the name for tags 1, 2 and 6, and the address in text form
	// for tag 7 when it has 4 or 16 octets.
	Value string
	// IP is the address for tag 7, nil when it is not 4 or 16 octets.
	IP net.IP
	// Offset is the byte offset of the entry in the request's DER.
	Offset int
}

// Extension returns the extension with the identifier, or nil.
func (r *Request) Extension(id asn1.ObjectIdentifier) *Extension {
	for i := range r.Extensions {
		if r.Extensions[i].ID.Equal(id) {
			return &r.Extensions[i]
		}
	}
	return nil
}

// ParseRequest parses a certificate request given as PEM (a block of type
// "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"), as DER, or as the
// base64 of DER. It checks the structure only: CheckSignature verifies the
// signature and CheckProfile the ТСОК profile. Errors about the DER are
// *ParseError values naming the field and its byte offset.
func ParseRequest(data []byte) (*Request, error) {
	der, err := requestDER(data)
	if err != nil {
		return nil, err
	}

	outer, rest, err := readElement(der, 0, "certificationRequest", tagSequence)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, parseErrorf("certificationRequest", outer.end(),
			"%d bytes of trailing data after the request", len(rest))
	}
	parts, err := readChildren(outer, "certificationRequest")
	if err != nil {
		return nil, err
	}
	if len(parts) != 3 {
		return nil, parseErrorf("certificationRequest", outer.offset,
			"has %d elements, expected 3 (certificationRequestInfo, signatureAlgorithm, signature)",
			len(parts))
	}

	r := &Request{Raw: der}
	if err := r.parseInfo(parts[0]); err != nil {
		return nil, err
	}
	if r.SignatureAlgorithm, r.SignatureParameters, err = parseAlgorithm(parts[1],
		"signatureAlgorithm"); err != nil {
		return nil, err
	}
	if parts[2].tag != tagBitString {
		return nil, parseErrorf("signature", parts[2].offset, "tag is 0x%02x, expected 0x%02x",
			parts[2].tag, tagBitString)
	}
	if r.Signature, r.SignatureUnusedBits, err = bitStringBytes(parts[2], "signature"); err != nil {
		return nil, err
	}
	return r, nil
}

// requestDER finds the DER in data: a PEM block, DER itself, or base64.
func requestDER(data []byte) ([]byte, error) {
	if len(data) > maxRequestSize {
		return nil, fmt.Errorf("tsok: request of %d bytes exceeds the limit of %d bytes",
			len(data), maxRequestSize)
	}
	if len(data) > 0 && data[0] == tagSequence {
		return data, nil
	}

	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		rest := trimmed
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				return nil, errors.New("tsok: no PEM block of type " + PEMType + " found")
			}
			if block.Type == PEMType || block.Type == "NEW "+PEMType {
				return block.Bytes, nil
			}
		}
	}

	compact := strings.Join(strings.Fields(string(trimmed)), "")
	der, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		der, err = base64.RawStdEncoding.DecodeString(compact)
	}
	if err != nil || len(der) == 0 || der[0] != tagSequence {
		return nil, errors.New("tsok: request is neither PEM (-----BEGIN " + PEMType +
			"-----), DER (a SEQUENCE, byte 0x30) nor base64 of DER")
	}
	return der, nil
}

// parseAlgorithm reads AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT
// IDENTIFIER, parameters ANY OPTIONAL }.
func parseAlgorithm(seq element, field string) (asn1.ObjectIdentifier, []byte, error) {
	if seq.tag != tagSequence {
		return nil, nil, parseErrorf(field, seq.offset, "tag is 0x%02x, expected 0x%02x",
			seq.tag, tagSequence)
	}
	children, err := readChildren(seq, field)
	if err != nil {
		return nil, nil, err
	}
	if len(children) == 0 || len(children) > 2 {
		return nil, nil, parseErrorf(field, seq.offset,
			"has %d elements, expected the algorithm and optional parameters", len(children))
	}
	oid, err := readOID(children[0], field+".algorithm")
	if err != nil {
		return nil, nil, err
	}
	if len(children) == 1 {
		return oid, nil, nil
	}
	return oid, children[1].raw, nil
}
