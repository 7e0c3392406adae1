package attrcert

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
)

// GeneralNameKind is the alternative of a GeneralName (RFC 5280, 4.2.1.6), the
// number of its context-specific tag.
type GeneralNameKind int

// The alternatives of GeneralName.
const (
	OtherName     GeneralNameKind = 0
	RFC822Name    GeneralNameKind = 1 // e-mail address
	DNSName       GeneralNameKind = 2
	X400Address   GeneralNameKind = 3
	DirectoryName GeneralNameKind = 4 // a distinguished name, as in certificates
	EDIPartyName  GeneralNameKind = 5
	URIName       GeneralNameKind = 6 // uniformResourceIdentifier
	IPAddressName GeneralNameKind = 7
	RegisteredID  GeneralNameKind = 8
)

var generalNameKinds = [...]string{"otherName", "rfc822Name", "dNSName", "x400Address",
	"directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"}

// String returns the ASN.1 name of the alternative.
func (k GeneralNameKind) String() string {
	if k >= 0 && int(k) < len(generalNameKinds) {
		return generalNameKinds[k]
	}
	return fmt.Sprintf("GeneralNameKind(%d)", int(k))
}

// GeneralName is one name of a holder, an issuer or a target. The field that
// matches Kind is set; Raw keeps the encoding of every kind, including those
// without a typed field (otherName, x400Address, ediPartyName).
type GeneralName struct {
	Kind GeneralNameKind

	// Text is the IA5String of an rfc822Name, dNSName or uniformResourceIdentifier.
	Text string

	// DirectoryName is the DER of the Name (RDNSequence) of a directoryName. It
	// compares byte for byte with x509.Certificate.RawSubject and RawIssuer.
	DirectoryName []byte

	// IPAddress is the address of an iPAddress name.
	IPAddress net.IP

	// ID is the identifier of a registeredID name.
	ID asn1.ObjectIdentifier

	// Raw is the whole GeneralName element, context-specific tag included.
	Raw []byte
}

// NewDirectoryName returns a directoryName for the DER of a Name, such as the
// RawSubject of a certificate.
func NewDirectoryName(rawName []byte) GeneralName {
	name := bytes.Clone(rawName)
	return GeneralName{Kind: DirectoryName, DirectoryName: name,
		Raw: appendTLV(nil, classContext|constructed|byte(DirectoryName), name)}
}

// NewDNSName returns a dNSName.
func NewDNSName(name string) GeneralName { return newTextName(DNSName, name) }

// NewURIName returns a uniformResourceIdentifier.
func NewURIName(uri string) GeneralName { return newTextName(URIName, uri) }

// NewRFC822Name returns an rfc822Name, an e-mail address.
func NewRFC822Name(address string) GeneralName { return newTextName(RFC822Name, address) }

func newTextName(kind GeneralNameKind, text string) GeneralName {
	return GeneralName{Kind: kind, Text: text,
		Raw: appendTLV(nil, classContext|byte(kind), []byte(text))}
}

// Equal reports whether g and other are the same name. DNS names and e-mail
// addresses compare without regard to ASCII case, directory names byte for
// byte, and kinds without a typed field by their encoding.
func (g GeneralName) Equal(other GeneralName) bool {
	if g.Kind != other.Kind {
		return false
	}
	switch g.Kind {
	case DNSName, RFC822Name:
		return strings.EqualFold(g.Text, other.Text)
	case URIName:
		return g.Text == other.Text
	case DirectoryName:
		return bytes.Equal(g.DirectoryName, other.DirectoryName)
	case IPAddressName:
		return g.IPAddress.Equal(other.IPAddress)
	case RegisteredID:
		return g.ID.Equal(other.ID)
	default:
		return bytes.Equal(g.Raw, other.Raw)
	}
}

// Name decodes a directoryName. Character strings are decoded as leniently as
// by the parser, so names that encoding/asn1 rejects still decode.
func (g GeneralName) Name() (pkix.Name, error) {
	var name pkix.Name
	if g.Kind != DirectoryName {
		return name, fmt.Errorf("attrcert: %v is not a directoryName", g.Kind)
	}
	rdns, err := decodeRDNSequence(g.DirectoryName)
	if err != nil {
		return name, fmt.Errorf("attrcert: directoryName: %w", err)
	}
	name.FillFromRDNSequence(&rdns)
	return name, nil
}

// String formats the name for messages and logs, such as "DNS:example.by" or
// "DirName:CN=Sofia,C=BY".
func (g GeneralName) String() string {
	switch g.Kind {
	case RFC822Name:
		return "email:" + g.Text
	case DNSName:
		return "DNS:" + g.Text
	case URIName:
		return "URI:" + g.Text
	case IPAddressName:
		return "IP:" + g.IPAddress.String()
	case RegisteredID:
		return "RID:" + g.ID.String()
	case DirectoryName:
		if name, err := g.Name(); err == nil {
			return "DirName:" + name.String()
		}
	}
	return g.Kind.String() + ":" + hex.EncodeToString(g.Raw)
}

// parseGeneralNames reads GeneralNames ::= SEQUENCE SIZE (1..MAX) OF
// GeneralName from the content of e, whose tag the caller has checked.
func (p *acParser) parseGeneralNames(e *element) ([]GeneralName, error) {
	r := contentReader(e)
	if r.empty() {
		return nil, errorAt(e.offset, "GeneralNames is empty")
	}
	names := p.names.take(r.count(), 4)
	var name element
	for i := range names {
		err := r.next(&name)
		if err == nil {
			err = p.parseGeneralName(&names[i], &name)
		}
		if err != nil {
			return nil, indexedError(err, "", i)
		}
	}
	if !r.empty() {
		return nil, indexedError(r.malformed(), "", len(names))
	}
	return names, nil
}

// parseGeneralName decodes one GeneralName element into g. The tags are
// implicit except for directoryName, whose Name is a CHOICE and so keeps its own
// tag.
func (p *acParser) parseGeneralName(g *GeneralName, e *element) error {
	g.Kind, g.Raw = GeneralNameKind(e.tag&0x1f), e.raw
	if e.tag&0xc0 != classContext || g.Kind > RegisteredID {
		return errorAt(e.offset, "tag 0x%02x is not a GeneralName", e.tag)
	}
	wantConstructed := g.Kind == OtherName || g.Kind == X400Address ||
		g.Kind == DirectoryName || g.Kind == EDIPartyName
	if (e.tag&constructed != 0) != wantConstructed {
		return errorAt(e.offset, "%v has the wrong constructed bit in tag 0x%02x", g.Kind, e.tag)
	}

	var err error
	switch g.Kind {
	case RFC822Name, DNSName, URIName:
		g.Text, err = decodeString(&element{tag: tagIA5String, offset: e.offset, content: e.content})
	case DirectoryName:
		r := contentReader(e)
		var name element
		err = r.expect(&name, tagSequence)
		if err == nil {
			err = r.finish("the Name of directoryName")
		}
		if err == nil {
			err = checkRDNSequence(&name)
		}
		g.DirectoryName = name.raw
	case IPAddressName:
		g.IPAddress = net.IP(e.content)
	case RegisteredID:
		g.ID, err = parseOID(e, &p.arcs)
	}
	return err
}

// checkRDNSequence checks the structure of a Name without decoding it: a
// SEQUENCE OF SET OF SEQUENCE { type OBJECT IDENTIFIER, value ANY }.
func checkRDNSequence(name *element) error {
	rdns := contentReader(name)
	var set, atv, part element
	for !rdns.empty() {
		if err := rdns.expect(&set, tagSet); err != nil {
			return err
		}
		atvs := contentReader(&set)
		if atvs.empty() {
			return errorAt(set.offset, "relative distinguished name is empty")
		}
		for !atvs.empty() {
			if err := atvs.expect(&atv, tagSequence); err != nil {
				return err
			}
			fields := contentReader(&atv)
			if err := fields.expect(&part, tagOID); err != nil {
				return err
			}
			if err := fields.next(&part); err != nil {
				return err
			}
			if err := fields.finish("the attribute value of a name"); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeRDNSequence decodes a Name that checkRDNSequence accepted. Offsets in its
// errors count from the start of the Name.
func decodeRDNSequence(der []byte) (pkix.RDNSequence, error) {
	var name, set, atv, value element
	outer := derReader{data: der}
	if err := outer.expect(&name, tagSequence); err != nil {
		return nil, err
	}
	var arcs arena[int]
	var rdns pkix.RDNSequence
	sets := contentReader(&name)
	for !sets.empty() {
		if err := sets.expect(&set, tagSet); err != nil {
			return nil, err
		}
		var rdn pkix.RelativeDistinguishedNameSET
		atvs := contentReader(&set)
		for !atvs.empty() {
			if err := atvs.expect(&atv, tagSequence); err != nil {
				return nil, err
			}
			fields := contentReader(&atv)
			if err := fields.expect(&value, tagOID); err != nil {
				return nil, err
			}
			oid, err := parseOID(&value, &arcs)
			if err != nil {
				return nil, err
			}
			if err := fields.next(&value); err != nil {
				return nil, err
			}
			var decoded any = asn1.RawValue{FullBytes: value.raw}
			if isStringTag(value.tag) {
				if decoded, err = decodeString(&value); err != nil {
					return nil, err
				}
			}
			rdn = append(rdn, pkix.AttributeTypeAndValue{Type: oid, Value: decoded})
		}
		rdns = append(rdns, rdn)
	}
	return rdns, nil
}

// appendTLV appends a DER element with a definite, minimal length.
func appendTLV(dst []byte, tag byte, content []byte) []byte {
	dst = append(dst, tag)
	n := len(content)
	switch {
	case n < 0x80:
		dst = append(dst, byte(n))
	case n < 0x100:
		dst = append(dst, 0x81, byte(n))
	case n < 0x10000:
		dst = append(dst, 0x82, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, content...)
}
