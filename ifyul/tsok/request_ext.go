package tsok

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"net"
)

// Extension identifiers of STB 34.101.19 (the same as RFC 5280).
var (
	oidKeyUsage            = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidSubjectAltName      = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidCertificatePolicies = asn1.ObjectIdentifier{2, 5, 29, 32}
	oidExtKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 37}
)

// parseExtensions reads Extensions ::= SEQUENCE OF Extension, each
// Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN
// DEFAULT FALSE, extnValue OCTET STRING }, and decodes keyUsage,
// extKeyUsage and subjectAltName.
func (r *Request) parseExtensions(seq element, field string) error {
	if seq.tag != tagSequence {
		return parseErrorf(field, seq.offset, "tag is 0x%02x, expected 0x%02x (Extensions)",
			seq.tag, tagSequence)
	}
	items, err := readChildren(seq, field)
	if err != nil {
		return err
	}
	r.Extensions = make([]Extension, 0, len(items))
	for i, item := range items {
		ext, err := parseExtension(item, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return err
		}
		r.Extensions = append(r.Extensions, ext)
	}

	for _, ext := range r.Extensions {
		var err error
		switch {
		case ext.ID.Equal(oidKeyUsage) && r.KeyUsage == 0:
			r.KeyUsage, err = decodeKeyUsage(ext)
		case ext.ID.Equal(oidExtKeyUsage) && r.ExtKeyUsage == nil:
			r.ExtKeyUsage, err = decodeExtKeyUsage(ext)
		case ext.ID.Equal(oidSubjectAltName) && r.SubjectAltNames == nil:
			r.SubjectAltNames, err = decodeSubjectAltName(ext)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func parseExtension(seq element, field string) (Extension, error) {
	if seq.tag != tagSequence {
		return Extension{}, parseErrorf(field, seq.offset, "tag is 0x%02x, expected 0x%02x",
			seq.tag, tagSequence)
	}
	parts, err := readChildren(seq, field)
	if err != nil {
		return Extension{}, err
	}
	if len(parts) < 2 || len(parts) > 3 {
		return Extension{}, parseErrorf(field, seq.offset,
			"has %d elements, expected extnID, optional critical and extnValue", len(parts))
	}
	id, err := readOID(parts[0], field+".extnID")
	if err != nil {
		return Extension{}, err
	}
	ext := Extension{ID: id, Offset: seq.offset}

	value := parts[len(parts)-1]
	if len(parts) == 3 {
		critical := parts[1]
		if critical.tag != tagBoolean || len(critical.content) != 1 {
			return Extension{}, parseErrorf(field+".critical", critical.offset,
				"expected a BOOLEAN of one octet")
		}
		switch critical.content[0] {
		case 0xff:
			ext.Critical = true
		case 0x00:
			return Extension{}, parseErrorf(field+".critical", critical.offset,
				"FALSE is the default and must be omitted in DER")
		default:
			return Extension{}, parseErrorf(field+".critical", critical.offset,
				"BOOLEAN octet 0x%02x is not DER (expected 0xff)", critical.content[0])
		}
	}
	if value.tag != tagOctetString {
		return Extension{}, parseErrorf(field+".extnValue", value.offset,
			"tag is 0x%02x, expected 0x%02x (OCTET STRING)", value.tag, tagOctetString)
	}
	ext.Value, ext.valueOffset = value.content, value.contentOffset()
	return ext, nil
}

// decodeKeyUsage reads KeyUsage ::= BIT STRING, whose bit 0
// (digitalSignature) is x509.KeyUsageDigitalSignature.
func decodeKeyUsage(ext Extension) (x509.KeyUsage, error) {
	var bits asn1.BitString
	rest, err := asn1.Unmarshal(ext.Value, &bits)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("trailing bytes after the BIT STRING")
	}
	if err != nil {
		return 0, &ParseError{Field: "extensionRequest.keyUsage", Offset: ext.valueOffset, Err: err}
	}
	var usage x509.KeyUsage
	for i := 0; i < bits.BitLength && i < 16; i++ {
		if bits.At(i) == 1 {
			usage |= 1 << i
		}
	}
	if usage == 0 {
		return 0, parseErrorf("extensionRequest.keyUsage", ext.valueOffset, "no flag is set")
	}
	return usage, nil
}

// decodeExtKeyUsage reads ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF
// KeyPurposeId.
func decodeExtKeyUsage(ext Extension) ([]asn1.ObjectIdentifier, error) {
	var ids []asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(ext.Value, &ids)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("trailing bytes after the SEQUENCE")
	}
	if err == nil && len(ids) == 0 {
		err = fmt.Errorf("the SEQUENCE of key purposes is empty")
	}
	if err != nil {
		return nil, &ParseError{Field: "extensionRequest.extKeyUsage", Offset: ext.valueOffset,
			Err: err}
	}
	return ids, nil
}

// decodeSubjectAltName reads GeneralNames ::= SEQUENCE OF GeneralName.
func decodeSubjectAltName(ext Extension) ([]GeneralName, error) {
	const field = "extensionRequest.subjectAltName"
	seq, rest, err := readElement(ext.Value, ext.valueOffset, field, tagSequence)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, parseErrorf(field, seq.end(), "trailing bytes after GeneralNames")
	}
	items, err := readChildren(seq, field)
	if err != nil {
		return nil, err
	}

	names := make([]GeneralName, 0, len(items))
	for i, item := range items {
		itemField := fmt.Sprintf("%s[%d]", field, i)
		if item.tag&0xc0 != 0x80 {
			return nil, parseErrorf(itemField, item.offset,
				"tag 0x%02x is not a context-specific GeneralName choice", item.tag)
		}
		name := GeneralName{Tag: int(item.tag & 0x1f), Offset: item.offset}
		switch item.tag {
		case 0x81, 0x82, 0x86: // rfc822Name, dNSName, uniformResourceIdentifier: IA5String
			for j, c := range item.content {
				if c >= 0x80 {
					return nil, parseErrorf(itemField, item.offset,
						"IA5String has non-ASCII byte 0x%02x at position %d", c, j)
				}
			}
			name.Value = string(item.content)
		case 0x87: // iPAddress
			if n := len(item.content); n == net.IPv4len || n == net.IPv6len {
				name.IP = net.IP(item.content)
				name.Value = name.IP.String()
			}
		}
		names = append(names, name)
	}
	return names, nil
}
