package attrcert

import (
	"encoding/asn1"
	"slices"
)

// Identifiers of attribute types that matter in Belarus.
//
// The ГосСУОК identifiers are those of STB 34.101.50 (Appendix Д) with one more
// arc, 1.2.112.1.2.1.1.… instead of 1.2.112.1.2.1.…, because that is what the
// deployed certificates carry and what the national PKI profile
// (STB 34.101.78, Appendix Г) lists.
var (
	// OIDPersonalNumber is the personal (identification) number of a natural
	// person, priv-num of STB 34.101.50. The certificate of a legal
	// representative carries it in place of serialNumber.
	OIDPersonalNumber = asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 1, 1, 1}
	// OIDUNP is the taxpayer number of an organisation («УНП»), tax-id of
	// STB 34.101.50.
	OIDUNP = asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 1, 1, 2}
	// OIDUNPF is the payer number in the Social Protection Fund («УНПФ»).
	OIDUNPF = asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 1, 4, 1}
	// OIDRepresentativeUnit is the organisational unit of a legal
	// representative, which replaces organizationalUnitName in that
	// representative's certificate.
	OIDRepresentativeUnit = asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 5, 2}

	// OIDOrganizationName is organizationName of X.520.
	OIDOrganizationName = asn1.ObjectIdentifier{2, 5, 4, 10}
	// OIDTitle is title of X.520, the position («должность») of a legal
	// representative in the organisation.
	OIDTitle = asn1.ObjectIdentifier{2, 5, 4, 12}
	// OIDRole is the role attribute of STB 34.101.67 and RFC 5755.
	OIDRole = asn1.ObjectIdentifier{2, 5, 4, 72}
	// OIDPermission is the permission attribute of STB 34.101.67: an operation
	// on an object.
	OIDPermission = asn1.ObjectIdentifier{2, 5, 4, 82}
)

// AttributeType describes an attribute type of the registry. Values of these
// types are decoded into AttributeValue.Value.
type AttributeType struct {
	// OID identifies the type.
	OID asn1.ObjectIdentifier
	// Name is a short ASCII identifier, such as "role" or "unp".
	Name string
	// English and Russian are readable names for display.
	English string
	Russian string

	syntax attributeSyntax
}

// attributeSyntax selects the decoder of an attribute type's values.
type attributeSyntax int

const (
	syntaxRaw              attributeSyntax = iota // kept as DER only
	syntaxDirectoryString                         // a character string, required
	syntaxStringIfAny                             // a character string when it is one
	syntaxRole                                    // RoleSyntax
	syntaxPermission                              // DualStringSyntax
	syntaxSvceAuthInfo                            // SvceAuthInfo of RFC 5755
	syntaxIetfAttr                                // IetfAttrSyntax of RFC 5755
	syntaxClearance                               // Clearance of RFC 5755
	syntaxClearanceRFC3281                        // Clearance with the tags of RFC 3281
)

// attributeTypes is the registry. The exported OID variables are cloned, so that a
// caller who changes one cannot change the registry.
//
// The syntax of the ГосСУОК attributes is not published, so their values are
// decoded when they are character strings and kept as DER otherwise.
var attributeTypes = []AttributeType{
	{slices.Clone(OIDPersonalNumber), "personalNumber", "Personal number",
		"Личный (идентификационный) номер", syntaxStringIfAny},
	{slices.Clone(OIDUNP), "unp", "Taxpayer number (UNP)",
		"Учётный номер плательщика (УНП)", syntaxStringIfAny},
	{slices.Clone(OIDUNPF), "unpf", "Social Protection Fund payer number (UNPF)",
		"Учётный номер плательщика в органах ФСЗН (УНПФ)", syntaxStringIfAny},
	{slices.Clone(OIDRepresentativeUnit), "representativeUnit", "Organisational unit of the representative",
		"Подразделение представителя юридического лица", syntaxStringIfAny},

	{asn1.ObjectIdentifier{2, 5, 4, 3}, "commonName", "Common name", "Общее имя",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 4}, "surname", "Surname", "Фамилия", syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 5}, "serialNumber", "Serial number", "Серийный номер",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 6}, "countryName", "Country", "Страна",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 7}, "localityName", "Locality", "Населённый пункт",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 8}, "stateOrProvinceName", "Region", "Область",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 9}, "streetAddress", "Street address", "Адрес",
		syntaxDirectoryString},
	{slices.Clone(OIDOrganizationName), "organizationName", "Organisation name", "Название организации",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 11}, "organizationalUnitName", "Organisational unit",
		"Подразделение", syntaxDirectoryString},
	{slices.Clone(OIDTitle), "title", "Position", "Должность", syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 13}, "description", "Description", "Описание",
		syntaxDirectoryString},
	// ГосСУОК certificates put the first name into name and the patronymic
	// into givenName.
	{asn1.ObjectIdentifier{2, 5, 4, 41}, "name", "Name", "Имя", syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 42}, "givenName", "Given name", "Отчество",
		syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 97}, "organizationIdentifier", "Organisation identifier",
		"Идентификатор организации", syntaxDirectoryString},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, "emailAddress", "E-mail address",
		"Адрес электронной почты", syntaxDirectoryString},

	{slices.Clone(OIDRole), "role", "Role", "Роль", syntaxRole},
	{slices.Clone(OIDPermission), "permission", "Permission", "Разрешение", syntaxPermission},
	{asn1.ObjectIdentifier{2, 5, 4, 75}, "xmlPrivilegeInfo", "Privilege in XML",
		"Привилегия в формате XML", syntaxDirectoryString},
	{asn1.ObjectIdentifier{2, 5, 4, 55}, "clearance", "Clearance", "Допуск", syntaxClearance},
	{asn1.ObjectIdentifier{2, 5, 1, 5, 55}, "clearanceRFC3281", "Clearance (RFC 3281)",
		"Допуск (RFC 3281)", syntaxClearanceRFC3281},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 1}, "authenticationInfo",
		"Authentication information", "Данные для аутентификации", syntaxSvceAuthInfo},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 2}, "accessIdentity", "Access identity",
		"Идентификатор доступа", syntaxSvceAuthInfo},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 3}, "chargingIdentity",
		"Charging identity", "Идентификатор для тарификации", syntaxIetfAttr},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 4}, "group", "Group", "Группа",
		syntaxIetfAttr},
	{asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 10, 6}, "encAttrs", "Encrypted attributes",
		"Зашифрованные атрибуты", syntaxRaw},
}

// attributeTypesByDER finds a type by the content octets of its OBJECT
// IDENTIFIER, which the parser has at hand, without decoding the identifier.
var attributeTypesByDER = func() map[string]*AttributeType {
	m := make(map[string]*AttributeType, len(attributeTypes))
	for i := range attributeTypes {
		der, err := asn1.Marshal(attributeTypes[i].OID)
		if err != nil {
			panic(err)
		}
		m[string(der[2:])] = &attributeTypes[i]
	}
	return m
}()

// LookupAttributeType returns the description of the attribute type oid and
// whether the registry contains it.
func LookupAttributeType(oid asn1.ObjectIdentifier) (AttributeType, bool) {
	for _, t := range attributeTypes {
		if t.OID.Equal(oid) {
			t.OID = slices.Clone(t.OID)
			return t, true
		}
	}
	return AttributeType{}, false
}

// AttributeTypes returns the attribute types of the registry.
func AttributeTypes() []AttributeType {
	types := slices.Clone(attributeTypes)
	for i := range types {
		types[i].OID = slices.Clone(types[i].OID)
	}
	return types
}

// AttributeName returns the readable English name of the attribute type oid,
// or the dotted OID when the type is unknown.
func AttributeName(oid asn1.ObjectIdentifier) string {
	if t, ok := LookupAttributeType(oid); ok {
		return t.English
	}
	return oid.String()
}

// AttributeNameRussian returns the readable Russian name of the attribute type
// oid, or the dotted OID when the type is unknown.
func AttributeNameRussian(oid asn1.ObjectIdentifier) string {
	if t, ok := LookupAttributeType(oid); ok {
		return t.Russian
	}
	return oid.String()
}
