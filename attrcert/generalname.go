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
func (p *acParser) parseGeneralNames(e element) ([]GeneralName, error) {
	content, offset := e.content, e.contentOffset()
	if len(content) == 0 {
		return nil, errorAt(e.offset, "GeneralNames is empty")
	}
	names := p.names.take(countElements(content), 8)
	for i := range names {
		e, rest, err := readTLV(content, offset, true)
		if err != nil {
			return nil, indexedError(err, "", i)
		}
		if names[i], err = p.parseGeneralName(e); err != nil {
			return nil, indexedError(err, "", i)
		}
		content, offset = rest, e.end()
	}
	if len(content) != 0 {
		return nil, indexedError(trailingError(content, offset), "", len(names))
	}
	return names, nil
}

// parseGeneralName decodes one GeneralName element. The tags are implicit except
// for directoryName, whose Name is a CHOICE and so keeps its own tag.
func (p *acParser) parseGeneralName(e element) (GeneralName, error) {
	g := GeneralName{Kind: GeneralNameKind(e.tag & 0x1f), Raw: e.raw}
	if e.tag&0xc0 != classContext || g.Kind > RegisteredID {
		return g, errorAt(e.offset, "tag 0x%02x is not a GeneralName", e.tag)
	}
	wantConstructed := g.Kind == OtherName || g.Kind == X400Address ||
		g.Kind == DirectoryName || g.Kind == EDIPartyName
	if (e.tag&constructed != 0) != wantConstructed {
		return g, errorAt(e.offset, "%v has the wrong constructed bit in tag 0x%02x", g.Kind, e.tag)
	}

	switch g.Kind {
	case RFC822Name, DNSName, URIName:
		text, err := decodeString(element{tag: tagIA5String, offset: e.offset, content: e.content})
		if err != nil {
			return g, err
		}
		g.Text = text
	case DirectoryName:
		name, rest, err := expectTLV(e.content, e.contentOffset(), tagSequence)
		if err == nil {
			err = checkEnd(rest, name.end(), "the Name of directoryName")
		}
		if err == nil {
			err = checkRDNSequence(name)
		}
		if err != nil {
			return g, err
		}
		g.DirectoryName = name.raw
	case IPAddressName:
		g.IPAddress = net.IP(e.content)
	case RegisteredID:
		oid, err := parseOID(e, &p.arcs)
		if err != nil {
			return g, err
		}
		g.ID = oid
	}
	return g, nil
}

// checkRDNSequence checks the structure of a Name without decoding it: a
// SEQUENCE OF SET OF SEQUENCE { type OBJECT IDENTIFIER, value ANY }.
func checkRDNSequence(name element) error {
	rdns, offset := name.content, name.contentOffset()
	for len(rdns) > 0 {
		set, rest, err := expectTLV(rdns, offset, tagSet)
		if err != nil {
			return err
		}
		atvs, atvOffset := set.content, set.contentOffset()
		if len(atvs) == 0 {
			return errorAt(set.offset, "relative distinguished name is empty")
		}
		for len(atvs) > 0 {
			atv, next, err := expectTLV(atvs, atvOffset, tagSequence)
			if err != nil {
				return err
			}
			if err := checkTypeAndValue(atv); err != nil {
				return err
			}
			atvs, atvOffset = next, atv.end()
		}
		rdns, offset = rest, set.end()
	}
	return nil
}

func checkTypeAndValue(atv element) error {
	oid, rest, err := expectTLV(atv.content, atv.contentOffset(), tagOID)
	if err != nil {
		return err
	}
	value, rest, err := readTLV(rest, oid.end(), true)
	if err != nil {
		return err
	}
	return checkEnd(rest, value.end(), "the attribute value of a name")
}

// decodeRDNSequence decodes a Name that checkRDNSequence accepted. Offsets in its
// errors count from the start of the Name.
func decodeRDNSequence(der []byte) (pkix.RDNSequence, error) {
	name, _, err := expectTLV(der, 0, tagSequence)
	if err != nil {
		return nil, err
	}
	var arcs arena[int]
	var rdns pkix.RDNSequence
	sets, offset := name.content, name.contentOffset()
	for len(sets) > 0 {
		set, rest, err := expectTLV(sets, offset, tagSet)
		if err != nil {
			return nil, err
		}
		var rdn pkix.RelativeDistinguishedNameSET
		atvs, atvOffset := set.content, set.contentOffset()
		for len(atvs) > 0 {
			atv, next, err := expectTLV(atvs, atvOffset, tagSequence)
			if err != nil {
				return nil, err
			}
			oid, oidElement, valueBytes, err := parseOIDElement(atv.content, atv.contentOffset(), &arcs)
			if err != nil {
				return nil, err
			}
			value, _, err := readTLV(valueBytes, oidElement.end(), true)
			if err != nil {
				return nil, err
			}
			var decoded any = asn1.RawValue{FullBytes: value.raw}
			if isStringTag(value.tag) {
				if decoded, err = decodeString(value); err != nil {
					return nil, err
				}
			}
			rdn = append(rdn, pkix.AttributeTypeAndValue{Type: oid, Value: decoded})
			atvs, atvOffset = next, atv.end()
		}
		rdns = append(rdns, rdn)
		sets, offset = rest, set.end()
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
