package pki

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/esiful/sdk-go/attrcert"
)

// AttributeTemplate describes an attribute certificate (STB 34.101.67) to
// issue.
type AttributeTemplate struct {
	// SerialNumber is the certificate's serial number; nil means a random one.
	SerialNumber *big.Int
	// NotBefore and NotAfter are the validity period, kept to whole seconds.
	NotBefore, NotAfter time.Time

	// Attributes are written in this order.
	Attributes []Attribute

	// HolderByName names the holder by its subject (entityName) instead of
	// its certificate's issuer and serial number (baseCertificateID).
	HolderByName bool
	// HolderEntityName adds the holder's subject as entityName next to
	// baseCertificateID.
	HolderEntityName bool

	// Targets, when not empty, become the targetName entries of a critical
	// targetingInformation extension.
	Targets []attrcert.GeneralName
	// NoRevocationAvailable adds the noRevAvail extension.
	NoRevocationAvailable bool
	// NoAuthorityKeyID leaves out authorityKeyIdentifier, which is written by
	// default.
	NoAuthorityKeyID bool
	// ExtraExtensions are appended as given.
	ExtraExtensions []pkix.Extension
}

// Attribute is an attribute to issue. Values may be a string (written as
// UTF8String), attrcert.Role, attrcert.Permission, asn1.RawValue with
// FullBytes (written as is) or any value that encoding/asn1 marshals.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values []any
}

// StringAttribute returns an attribute of character string values, such as
// the УНП (attrcert.OIDUNP) or the position (attrcert.OIDTitle).
func StringAttribute(oid asn1.ObjectIdentifier, values ...string) Attribute {
	a := Attribute{Type: oid}
	for _, v := range values {
		a.Values = append(a.Values, v)
	}
	return a
}

// IssueAttributeCertificate issues an attribute certificate for the holder of
// the public-key certificate holder, signed with the authority's key
// (bign-with-hbelt), and returns its DER.
func (a *Authority) IssueAttributeCertificate(t AttributeTemplate,
	holder *attrcert.Certificate) ([]byte, error) {
	if a.Certificate == nil {
		return nil, errors.New("pki: the authority has no certificate yet")
	}
	if holder == nil {
		return nil, errors.New("pki: no holder certificate")
	}

	serial := t.SerialNumber
	if serial == nil {
		n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
		if err != nil {
			return nil, err
		}
		serial = n.Add(n, big.NewInt(1))
	}

	body, err := a.attributeCertificateInfo(t, holder, serial)
	if err != nil {
		return nil, err
	}
	tbs := tlv(tagSequence, body...)
	sig, err := a.SignHbelt(tbs)
	if err != nil {
		return nil, err
	}
	algorithm, err := asn1.Marshal(bignAlgorithm)
	if err != nil {
		return nil, err
	}
	der := tlv(tagSequence, tbs, algorithm, tlv(tagBitString, []byte{0}, sig))

	if _, err := attrcert.ParseAttributeCertificate(der); err != nil {
		return nil, fmt.Errorf("pki: issued attribute certificate does not parse: %w", err)
	}
	return der, nil
}

// attributeCertificateInfo encodes the fields of AttributeCertificateInfo.
func (a *Authority) attributeCertificateInfo(t AttributeTemplate, holder *attrcert.Certificate,
	serial *big.Int) ([][]byte, error) {
	algorithm, err := asn1.Marshal(bignAlgorithm)
	if err != nil {
		return nil, err
	}
	serialDER, err := asn1.Marshal(serial)
	if err != nil {
		return nil, err
	}
	validity, err := asn1.Marshal(generalizedValidity{
		NotBefore: t.NotBefore.UTC().Truncate(time.Second),
		NotAfter:  t.NotAfter.UTC().Truncate(time.Second),
	})
	if err != nil {
		return nil, err
	}
	attributes, err := encodeAttributes(t.Attributes)
	if err != nil {
		return nil, err
	}

	holderDER, err := encodeHolder(t, holder)
	if err != nil {
		return nil, err
	}
	issuerName := tlv(tagSequence, directoryName(a.Certificate.X509.RawSubject))
	fields := [][]byte{
		{tagInteger, 1, 1}, // v2
		holderDER,
		tlv(tagContext0, issuerName), // v2Form
		algorithm,
		serialDER,
		validity,
		tlv(tagSequence, attributes...),
	}

	extensions, err := a.attributeExtensions(t)
	if err != nil {
		return nil, err
	}
	if len(extensions) > 0 {
		ext, err := asn1.Marshal(extensions)
		if err != nil {
			return nil, err
		}
		fields = append(fields, ext)
	}
	return fields, nil
}

type generalizedValidity struct {
	NotBefore time.Time `asn1:"generalized"`
	NotAfter  time.Time `asn1:"generalized"`
}

// encodeHolder names the holder by baseCertificateID, entityName or both.
func encodeHolder(t AttributeTemplate, holder *attrcert.Certificate) ([]byte, error) {
	var fields [][]byte
	if !t.HolderByName {
		serial, err := asn1.Marshal(holder.X509.SerialNumber)
		if err != nil {
			return nil, err
		}
		issuer := tlv(tagSequence, directoryName(holder.X509.RawIssuer))
		fields = append(fields, tlv(tagContext0, issuer, serial))
	}
	if t.HolderByName || t.HolderEntityName {
		fields = append(fields, tlv(tagContext1, directoryName(holder.X509.RawSubject)))
	}
	return tlv(tagSequence, fields...), nil
}

func (a *Authority) attributeExtensions(t AttributeTemplate) ([]pkix.Extension, error) {
	var exts []pkix.Extension
	if !t.NoAuthorityKeyID {
		value, err := asn1.Marshal(authorityKeyID{ID: a.subjectKeyID})
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidAuthorityKeyID, Value: value})
	}
	if t.NoRevocationAvailable {
		exts = append(exts, pkix.Extension{Id: oidNoRevAvail, Value: []byte{tagNull, 0}})
	}
	if len(t.Targets) > 0 {
		var targets [][]byte
		for _, target := range t.Targets {
			targets = append(targets, tlv(tagContext0, target.Raw))
		}
		exts = append(exts, pkix.Extension{Id: oidTargetInformation, Critical: true,
			Value: tlv(tagSequence, tlv(tagSequence, targets...))})
	}
	return append(exts, t.ExtraExtensions...), nil
}

func encodeAttributes(attrs []Attribute) ([][]byte, error) {
	var out [][]byte
	for _, a := range attrs {
		oid, err := asn1.Marshal(a.Type)
		if err != nil {
			return nil, err
		}
		var values [][]byte
		for _, v := range a.Values {
			der, err := encodeAttributeValue(v)
			if err != nil {
				return nil, fmt.Errorf("pki: attribute %s: %w", a.Type, err)
			}
			values = append(values, der)
		}
		out = append(out, tlv(tagSequence, oid, tlv(tagSet, values...)))
	}
	return out, nil
}

func encodeAttributeValue(v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return asn1.MarshalWithParams(v, "utf8")
	case attrcert.Role:
		// RoleSyntax: roleAuthority [0] IMPLICIT GeneralNames OPTIONAL,
		// roleName [1] EXPLICIT GeneralName.
		var fields [][]byte
		if len(v.Authority) > 0 {
			fields = append(fields, tlv(tagContext0, rawNames(v.Authority)...))
		}
		return tlv(tagSequence, append(fields, tlv(tagContext1, v.Name.Raw))...), nil
	case attrcert.Permission:
		// DualStringSyntax: both strings under explicit tags.
		operation, err := asn1.MarshalWithParams(v.Operation, "utf8")
		if err != nil {
			return nil, err
		}
		object, err := asn1.MarshalWithParams(v.Object, "utf8")
		if err != nil {
			return nil, err
		}
		return tlv(tagSequence, tlv(tagContext0, operation), tlv(tagContext1, object)), nil
	case asn1.RawValue:
		if v.FullBytes != nil {
			return v.FullBytes, nil
		}
	}
	return asn1.Marshal(v)
}

func rawNames(names []attrcert.GeneralName) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = n.Raw
	}
	return out
}

// directoryName encodes the GeneralName [4] of a DER Name.
func directoryName(rawName []byte) []byte { return tlv(tagContext4, rawName) }

const (
	tagInteger   = 0x02
	tagBitString = 0x03
	tagNull      = 0x05
	tagSequence  = 0x30
	tagSet       = 0x31
	tagContext0  = 0xa0 // constructed [0]
	tagContext1  = 0xa1 // constructed [1]
	tagContext4  = 0xa4 // constructed [4]
)

var (
	oidTargetInformation = asn1.ObjectIdentifier{2, 5, 29, 55}
	oidNoRevAvail        = asn1.ObjectIdentifier{2, 5, 29, 56}
)

// tlv encodes a DER element of tag around the concatenated parts.
func tlv(tag byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	case n < 0x10000:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
