package attrcert

import (
	"encoding/asn1"
)

// Attribute is one attribute of an attribute certificate: a type and its
// values. Attributes of unknown types are kept with their values as DER.
type Attribute struct {
	// Type identifies the attribute; AttributeName gives a readable name.
	Type asn1.ObjectIdentifier
	// Values are the attribute's values in the order of the encoding.
	Values []AttributeValue
	// Raw is the DER of the whole Attribute.
	Raw []byte
}

// AttributeValue is one value of an attribute.
type AttributeValue struct {
	// Raw is the DER of the value.
	Raw []byte

	// Value is the decoded value for the types of the registry (see
	// AttributeTypes): a string for character string types, Role, Permission,
	// SvceAuthInfo, IetfAttrSyntax or Clearance. It is nil for unknown types
	// and for values of ГосСУОК types that are not character strings.
	Value any
}

// Strings returns the values of a that decoded to strings.
func (a Attribute) Strings() []string {
	var out []string
	for _, v := range a.Values {
		if s, ok := v.Value.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Role is a value of the role attribute (RoleSyntax of STB 34.101.67, 8.5.1).
type Role struct {
	// Authority names the authority that issued the role specification
	// certificate; nil when absent.
	Authority []GeneralName
	// Name is the name of the role.
	Name GeneralName
}

// Permission is a value of the permission attribute (DualStringSyntax of
// STB 34.101.67, 8.8.1): an operation allowed on an object. Both names are
// case-sensitive.
type Permission struct {
	Operation string
	Object    string
}

// SvceAuthInfo is a value of the authenticationInfo and accessIdentity
// attributes of RFC 5755 (4.4.1, 4.4.2): the holder's identity at a service.
type SvceAuthInfo struct {
	Service GeneralName
	Ident   GeneralName
	// AuthInfo is service-specific authentication data; nil when absent.
	AuthInfo []byte
}

// IetfAttrSyntax is a value of the chargingIdentity and group attributes of
// RFC 5755 (4.4.3, 4.4.4).
type IetfAttrSyntax struct {
	// PolicyAuthority names the authority that defines the values; nil when
	// absent.
	PolicyAuthority []GeneralName
	// Values holds []byte (octets), asn1.ObjectIdentifier (oid) or string
	// (UTF8String) values.
	Values []any
}

// Clearance is a value of the clearance attribute of RFC 5755 (4.4.6) and of
// its RFC 3281 form, which tags the fields.
type Clearance struct {
	Policy asn1.ObjectIdentifier
	// ClassList has bits unmarked (0), unclassified (1), restricted (2),
	// confidential (3), secret (4) and topSecret (5). An absent classList
	// means unclassified.
	ClassList asn1.BitString
	// SecurityCategories are the DER of the SecurityCategory values.
	SecurityCategories [][]byte
}

// decodeValue decodes one attribute value of the given syntax.
func (p *acParser) decodeValue(e element, syntax attributeSyntax) (any, error) {
	switch syntax {
	case syntaxDirectoryString:
		return decodeString(e)
	case syntaxStringIfAny:
		if isStringTag(e.tag) {
			return decodeString(e)
		}
		return nil, nil
	case syntaxRole:
		return p.decodeRole(e)
	case syntaxPermission:
		return decodePermission(e)
	case syntaxSvceAuthInfo:
		return p.decodeSvceAuthInfo(e)
	case syntaxIetfAttr:
		return p.decodeIetfAttr(e)
	case syntaxClearance, syntaxClearanceRFC3281:
		return p.decodeClearance(e, syntax == syntaxClearanceRFC3281)
	}
	return nil, nil
}

// decodeRole reads RoleSyntax ::= SEQUENCE { roleAuthority [0] GeneralNames
// OPTIONAL, roleName [1] GeneralName }.
func (p *acParser) decodeRole(e element) (Role, error) {
	var role Role
	if e.tag != tagSequence {
		return role, errorAt(e.offset, "tag is 0x%02x, expected RoleSyntax SEQUENCE", e.tag)
	}
	f, rest, err := readTLV(e.content, e.contentOffset(), true)
	if err != nil {
		return role, err
	}
	if f.tag == classContext|constructed {
		if role.Authority, err = p.parseGeneralNames(f); err != nil {
			return role, fieldError(err, "roleAuthority")
		}
		if f, rest, err = readTLV(rest, f.end(), true); err != nil {
			return role, fieldError(err, "roleName")
		}
	}
	if f.tag != classContext|constructed|1 {
		return role, errorAt(f.offset, "roleName tag is 0x%02x, expected 0xa1", f.tag)
	}
	name, after, err := readTLV(f.content, f.contentOffset(), true)
	if err == nil {
		role.Name, err = p.parseGeneralName(name)
	}
	if err == nil {
		err = checkEnd(after, name.end(), "roleName")
	}
	if err != nil {
		return role, fieldError(err, "roleName")
	}
	return role, checkEnd(rest, f.end(), "roleName")
}

// decodePermission reads DualStringSyntax ::= SEQUENCE { operation [0]
// UnboundedDirectoryString, object [1] UnboundedDirectoryString }. The tags are
// explicit because the string type is a CHOICE.
func decodePermission(e element) (Permission, error) {
	var perm Permission
	if e.tag != tagSequence {
		return perm, errorAt(e.offset, "tag is 0x%02x, expected DualStringSyntax SEQUENCE", e.tag)
	}
	rest, offset := e.content, e.contentOffset()
	for i, target := range []*string{&perm.Operation, &perm.Object} {
		field := [...]string{"operation", "object"}[i]
		f, after, err := expectTLV(rest, offset, classContext|constructed|byte(i))
		if err != nil {
			return perm, fieldError(err, field)
		}
		s, inner, err := parseDirectoryString(f.content, f.contentOffset())
		if err == nil && s == "" {
			err = errorAt(f.offset, "empty string")
		}
		if err == nil {
			err = checkEnd(inner, f.end(), field)
		}
		if err != nil {
			return perm, fieldError(err, field)
		}
		*target = s
		rest, offset = after, f.end()
	}
	return perm, checkEnd(rest, offset, "object")
}

// decodeSvceAuthInfo reads SvceAuthInfo ::= SEQUENCE { service GeneralName,
// ident GeneralName, authInfo OCTET STRING OPTIONAL }.
func (p *acParser) decodeSvceAuthInfo(e element) (SvceAuthInfo, error) {
	var info SvceAuthInfo
	if e.tag != tagSequence {
		return info, errorAt(e.offset, "tag is 0x%02x, expected SvceAuthInfo SEQUENCE", e.tag)
	}
	rest, offset := e.content, e.contentOffset()
	for i, target := range []*GeneralName{&info.Service, &info.Ident} {
		field := [...]string{"service", "ident"}[i]
		f, after, err := readTLV(rest, offset, true)
		if err == nil {
			*target, err = p.parseGeneralName(f)
		}
		if err != nil {
			return info, fieldError(err, field)
		}
		rest, offset = after, f.end()
	}
	if len(rest) > 0 {
		f, after, err := expectTLV(rest, offset, tagOctetString)
		if err != nil {
			return info, fieldError(err, "authInfo")
		}
		info.AuthInfo = f.content
		rest, offset = after, f.end()
	}
	return info, checkEnd(rest, offset, "authInfo")
}

// decodeIetfAttr reads IetfAttrSyntax ::= SEQUENCE { policyAuthority [0]
// GeneralNames OPTIONAL, values SEQUENCE OF CHOICE { octets OCTET STRING, oid
// OBJECT IDENTIFIER, string UTF8String } }.
func (p *acParser) decodeIetfAttr(e element) (IetfAttrSyntax, error) {
	var attr IetfAttrSyntax
	if e.tag != tagSequence {
		return attr, errorAt(e.offset, "tag is 0x%02x, expected IetfAttrSyntax SEQUENCE", e.tag)
	}
	f, rest, err := readTLV(e.content, e.contentOffset(), true)
	if err != nil {
		return attr, err
	}
	if f.tag == classContext|constructed {
		if attr.PolicyAuthority, err = p.parseGeneralNames(f); err != nil {
			return attr, fieldError(err, "policyAuthority")
		}
		if f, rest, err = expectTLV(rest, f.end(), tagSequence); err != nil {
			return attr, fieldError(err, "values")
		}
	}
	if f.tag != tagSequence {
		return attr, errorAt(f.offset, "values tag is 0x%02x, expected SEQUENCE", f.tag)
	}

	content, offset := f.content, f.contentOffset()
	attr.Values = make([]any, 0, countElements(content))
	for i := 0; len(content) > 0; i++ {
		v, after, err := readTLV(content, offset, true)
		var value any
		if err == nil {
			value, err = p.decodeIetfValue(v)
		}
		if err != nil {
			return attr, indexedError(err, "values", i)
		}
		attr.Values = append(attr.Values, value)
		content, offset = after, v.end()
	}
	return attr, checkEnd(rest, f.end(), "values")
}

func (p *acParser) decodeIetfValue(v element) (any, error) {
	switch v.tag {
	case tagOctetString:
		return v.content, nil
	case tagOID:
		return parseOID(v, &p.arcs)
	case tagUTF8String:
		return decodeString(v)
	}
	return nil, errorAt(v.offset, "tag 0x%02x is not octets, oid or string", v.tag)
}

// decodeClearance reads Clearance ::= SEQUENCE { policyId OBJECT IDENTIFIER,
// classList ClassList DEFAULT {unclassified}, securityCategories SET OF
// SecurityCategory OPTIONAL }. The RFC 3281 form tags the three fields [0] to
// [2] implicitly.
func (p *acParser) decodeClearance(e element, rfc3281 bool) (Clearance, error) {
	var c Clearance
	if e.tag != tagSequence {
		return c, errorAt(e.offset, "tag is 0x%02x, expected Clearance SEQUENCE", e.tag)
	}
	tagPolicy, tagClassList, tagCategories := byte(tagOID), byte(tagBitString), byte(tagSet)
	if rfc3281 {
		tagPolicy, tagClassList, tagCategories = classContext, classContext|1,
			classContext|constructed|2
	}

	f, rest, err := expectTLV(e.content, e.contentOffset(), tagPolicy)
	if err == nil {
		c.Policy, err = parseOID(f, &p.arcs)
	}
	if err != nil {
		return c, fieldError(err, "policyId")
	}
	end := f.end()

	c.ClassList = asn1.BitString{Bytes: []byte{0x40}, BitLength: 2} // unclassified
	if len(rest) > 0 && rest[0] == tagClassList {
		f, rest, err = readTLV(rest, end, true)
		if err == nil {
			c.ClassList, err = parseBitString(f)
		}
		if err != nil {
			return c, fieldError(err, "classList")
		}
		end = f.end()
	}

	if len(rest) > 0 && rest[0] == tagCategories {
		if f, rest, err = readTLV(rest, end, true); err != nil {
			return c, fieldError(err, "securityCategories")
		}
		content, offset := f.content, f.contentOffset()
		for i := 0; len(content) > 0; i++ {
			category, after, err := expectTLV(content, offset, tagSequence)
			if err != nil {
				return c, indexedError(err, "securityCategories", i)
			}
			c.SecurityCategories = append(c.SecurityCategories, category.raw)
			content, offset = after, category.end()
		}
		end = f.end()
	}
	return c, checkEnd(rest, end, "Clearance")
}
