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
func (p *acParser) decodeValue(e *element, syntax attributeSyntax) (any, error) {
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
func (p *acParser) decodeRole(e *element) (Role, error) {
	var role Role
	if e.tag != tagSequence {
		return role, errorAt(e.offset, "tag is 0x%02x, expected RoleSyntax SEQUENCE", e.tag)
	}
	r := contentReader(e)
	var f element
	if r.peek() == classContext|constructed {
		err := r.next(&f)
		if err == nil {
			role.Authority, err = p.parseGeneralNames(&f)
		}
		if err != nil {
			return role, fieldError(err, "roleAuthority")
		}
	}

	if err := r.expect(&f, classContext|constructed|1); err != nil {
		return role, fieldError(err, "roleName")
	}
	inner := contentReader(&f)
	var name element
	err := inner.next(&name)
	if err == nil {
		err = p.parseGeneralName(&role.Name, &name)
	}
	if err == nil {
		err = inner.finish("roleName")
	}
	if err != nil {
		return role, fieldError(err, "roleName")
	}
	return role, r.finish("roleName")
}

// decodePermission reads DualStringSyntax ::= SEQUENCE { operation [0]
// UnboundedDirectoryString, object [1] UnboundedDirectoryString }. The tags are
// explicit because the string type is a CHOICE.
func decodePermission(e *element) (Permission, error) {
	var perm Permission
	if e.tag != tagSequence {
		return perm, errorAt(e.offset, "tag is 0x%02x, expected DualStringSyntax SEQUENCE", e.tag)
	}
	r := contentReader(e)
	var err error
	if perm.Operation, err = decodeTaggedString(&r, 0); err != nil {
		return perm, fieldError(err, "operation")
	}
	if perm.Object, err = decodeTaggedString(&r, 1); err != nil {
		return perm, fieldError(err, "object")
	}
	return perm, r.finish("object")
}

// decodeTaggedString reads [n] EXPLICIT UnboundedDirectoryString, which must not
// be empty.
func decodeTaggedString(r *derReader, n byte) (string, error) {
	var f element
	if err := r.expect(&f, classContext|constructed|n); err != nil {
		return "", err
	}
	inner := contentReader(&f)
	s, err := parseDirectoryString(&inner)
	if err == nil && s == "" {
		err = errorAt(f.offset, "empty string")
	}
	if err == nil {
		err = inner.finish("the string")
	}
	return s, err
}

// decodeSvceAuthInfo reads SvceAuthInfo ::= SEQUENCE { service GeneralName,
// ident GeneralName, authInfo OCTET STRING OPTIONAL }.
func (p *acParser) decodeSvceAuthInfo(e *element) (SvceAuthInfo, error) {
	var info SvceAuthInfo
	if e.tag != tagSequence {
		return info, errorAt(e.offset, "tag is 0x%02x, expected SvceAuthInfo SEQUENCE", e.tag)
	}
	r := contentReader(e)
	var f element
	err := r.next(&f)
	if err == nil {
		err = p.parseGeneralName(&info.Service, &f)
	}
	if err != nil {
		return info, fieldError(err, "service")
	}
	err = r.next(&f)
	if err == nil {
		err = p.parseGeneralName(&info.Ident, &f)
	}
	if err != nil {
		return info, fieldError(err, "ident")
	}
	if !r.empty() {
		if err := r.expect(&f, tagOctetString); err != nil {
			return info, fieldError(err, "authInfo")
		}
		info.AuthInfo = f.content
	}
	return info, r.finish("authInfo")
}

// decodeIetfAttr reads IetfAttrSyntax ::= SEQUENCE { policyAuthority [0]
// GeneralNames OPTIONAL, values SEQUENCE OF CHOICE { octets OCTET STRING, oid
// OBJECT IDENTIFIER, string UTF8String } }.
func (p *acParser) decodeIetfAttr(e *element) (IetfAttrSyntax, error) {
	var attr IetfAttrSyntax
	if e.tag != tagSequence {
		return attr, errorAt(e.offset, "tag is 0x%02x, expected IetfAttrSyntax SEQUENCE", e.tag)
	}
	r := contentReader(e)
	var f element
	if r.peek() == classContext|constructed {
		err := r.next(&f)
		if err == nil {
			attr.PolicyAuthority, err = p.parseGeneralNames(&f)
		}
		if err != nil {
			return attr, fieldError(err, "policyAuthority")
		}
	}
	if err := r.expect(&f, tagSequence); err != nil {
		return attr, fieldError(err, "values")
	}

	values := contentReader(&f)
	attr.Values = make([]any, 0, values.count())
	var v element
	for i := 0; !values.empty(); i++ {
		err := values.next(&v)
		var value any
		if err == nil {
			value, err = p.decodeIetfValue(&v)
		}
		if err != nil {
			return attr, indexedError(err, "values", i)
		}
		attr.Values = append(attr.Values, value)
	}
	return attr, r.finish("values")
}

func (p *acParser) decodeIetfValue(v *element) (any, error) {
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
func (p *acParser) decodeClearance(e *element, rfc3281 bool) (Clearance, error) {
	var c Clearance
	if e.tag != tagSequence {
		return c, errorAt(e.offset, "tag is 0x%02x, expected Clearance SEQUENCE", e.tag)
	}
	tagPolicy, tagClassList, tagCategories := byte(tagOID), byte(tagBitString), byte(tagSet)
	if rfc3281 {
		tagPolicy, tagClassList, tagCategories = classContext, classContext|1,
			classContext|constructed|2
	}

	r := contentReader(e)
	var f element
	err := r.expect(&f, tagPolicy)
	if err == nil {
		c.Policy, err = parseOID(&f, &p.arcs)
	}
	if err != nil {
		return c, fieldError(err, "policyId")
	}

	c.ClassList = asn1.BitString{Bytes: []byte{0x40}, BitLength: 2} // unclassified
	if r.peek() == tagClassList {
		err := r.next(&f)
		if err == nil {
			c.ClassList, err = parseBitString(&f)
		}
		if err != nil {
			return c, fieldError(err, "classList")
		}
	}

	if r.peek() == tagCategories {
		if err := r.next(&f); err != nil {
			return c, fieldError(err, "securityCategories")
		}
		categories := contentReader(&f)
		var category element
		for i := 0; !categories.empty(); i++ {
			if err := categories.expect(&category, tagSequence); err != nil {
				return c, indexedError(err, "securityCategories", i)
			}
			c.SecurityCategories = append(c.SecurityCategories, category.raw)
		}
	}
	return c, r.finish("Clearance")
}
