package attrcert

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// AttributeCertificate is an attribute certificate of STB 34.101.67, which is
// wire-compatible with RFC 5755: an attribute authority («ЦАС») binds
// attributes such as a role, permissions or the organisation a person
// represents to the holder of a public-key certificate.
//
// Every field is parsed from Raw, a copy of the input, and byte slices point
// into it.
type AttributeCertificate struct {
	// Raw is the whole certificate.
	Raw []byte
	// RawAttrCertInfo is attrCertInfo exactly as it appears in Raw: the bytes
	// that the signature covers.
	RawAttrCertInfo []byte

	// Version is 2, the only version that STB 34.101.67 defines (encoded as 1).
	Version int

	Holder Holder
	Issuer AttCertIssuer

	// SignatureAlgorithm is the algorithm OID of signatureAlgorithm, which
	// must equal the signature field of attrCertInfo.
	SignatureAlgorithm asn1.ObjectIdentifier
	// SignatureAlgorithmParameters is the DER of its parameters, or nil.
	SignatureAlgorithmParameters []byte

	// SerialNumber may be negative, which RFC 5755 forbids but issuers do.
	SerialNumber *big.Int

	// NotBefore and NotAfter are attrCertValidityPeriod, in UTC.
	NotBefore, NotAfter time.Time

	// Attributes are the attributes in the order of the encoding. Each type
	// appears once.
	Attributes []Attribute

	// IssuerUniqueID is the issuerUniqueID field; BitLength is 0 when absent.
	IssuerUniqueID asn1.BitString

	// Extensions are all extensions, the ones decoded below included, with
	// Value holding the content of extnValue.
	Extensions []pkix.Extension

	// AuthorityKeyID is the keyIdentifier of the authorityKeyIdentifier
	// extension, or nil.
	AuthorityKeyID []byte
	// NoRevocationAvailable reports the noRevAvail extension: the authority
	// publishes no revocation information for this certificate.
	NoRevocationAvailable bool
	// Targets lists the servers and services of the targetingInformation
	// extension; the certificate is valid only at them. Nil when the
	// extension is absent.
	Targets []Target
	// AuditIdentity is the value of the AC audit identity extension
	// (RFC 5755, 4.3.1), or nil.
	AuditIdentity []byte

	// Signature is the signatureValue bit string.
	Signature []byte
}

// TargetKind is the alternative of a Target.
type TargetKind int

// The alternatives of Target.
const (
	TargetName  TargetKind = 0 // a server or service
	TargetGroup TargetKind = 1 // a group of servers or services
	TargetCert  TargetKind = 2 // a server named by its certificate
)

// Target is one entry of the targetingInformation extension (STB 34.101.67,
// 9.2.4).
type Target struct {
	Kind TargetKind
	// Name is the name of a TargetName or TargetGroup entry.
	Name GeneralName
	// Cert describes a TargetCert entry; nil for the other kinds.
	Cert *TargetCertificate
}

// TargetCertificate names a target by its public-key certificate.
type TargetCertificate struct {
	Certificate IssuerSerial
	// Name is the target's name; nil when absent.
	Name *GeneralName
	// DigestInfo is a digest of the target's certificate; nil when absent.
	DigestInfo *ObjectDigestInfo
}

// ParseAttributeCertificatePEM parses the first PEM block of type ATTRIBUTE
// CERTIFICATE in data, skipping blocks of other types before it.
func ParseAttributeCertificatePEM(data []byte) (*AttributeCertificate, error) {
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("attrcert: no PEM block of type ATTRIBUTE CERTIFICATE found")
		}
		if block.Type == "ATTRIBUTE CERTIFICATE" {
			return ParseAttributeCertificate(block.Bytes)
		}
	}
}

// Attribute returns the attribute of type oid.
func (ac *AttributeCertificate) Attribute(oid asn1.ObjectIdentifier) (Attribute, bool) {
	for _, a := range ac.Attributes {
		if a.Type.Equal(oid) {
			return a, true
		}
	}
	return Attribute{}, false
}

// AttributeString returns the first value of the attribute of type oid that
// decoded to a string, such as the УНП of OIDUNP.
func (ac *AttributeCertificate) AttributeString(oid asn1.ObjectIdentifier) (string, bool) {
	a, ok := ac.Attribute(oid)
	if !ok {
		return "", false
	}
	values := a.Strings()
	if len(values) == 0 {
		return "", false
	}
	return values[0], true
}

// Roles returns the values of the role attribute.
func (ac *AttributeCertificate) Roles() []Role { return valuesOf[Role](ac, OIDRole) }

// Permissions returns the values of the permission attribute.
func (ac *AttributeCertificate) Permissions() []Permission {
	return valuesOf[Permission](ac, OIDPermission)
}

func valuesOf[T any](ac *AttributeCertificate, oid asn1.ObjectIdentifier) []T {
	a, ok := ac.Attribute(oid)
	if !ok {
		return nil
	}
	out := make([]T, 0, len(a.Values))
	for _, v := range a.Values {
		if typed, ok := v.Value.(T); ok {
			out = append(out, typed)
		}
	}
	return out
}

// Equal reports whether ac and other have the same DER encoding.
func (ac *AttributeCertificate) Equal(other *AttributeCertificate) bool {
	if ac == nil || other == nil {
		return ac == other
	}
	return bytes.Equal(ac.Raw, other.Raw)
}

// describeAC names an attribute certificate in error messages.
func describeAC(ac *AttributeCertificate) string {
	return fmt.Sprintf("attribute certificate (serial %x)", ac.SerialNumber)
}
