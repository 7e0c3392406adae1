package tsok

import (
	"encoding/asn1"
	"slices"
)

// DefaultRules returns a copy of the profile of a ТСОК request of type
// service_and_tls, as far as public standards describe it. Callers may
// drop, change or add rules and pass the result to CheckProfile.
//
// NOTE: the operator checks requests against its own policy for ТСОК
// («политика применения ТСОК»), which is not public. These rules come from
// STB 34.101.17 (request syntax), STB 34.101.78 (the national PKI
// profile, with its appendix on ГосСУОК certificates, where technological
// certificates form the role ТС) and STB 34.101.19. Sources name the
// standard and the label of the section in the standard's text, such as
// FMT.CSR.ER for the section on the extensionRequest attribute.
func DefaultRules() []Rule { return slices.Clone(technologicalRules) }

var technologicalRules = []Rule{
	{ID: "csr.version", Source: "СТБ 34.101.17, 5.1", Check: checkVersion, Message: Message{
		Ru: "Номер версии запроса должен быть равен 0.",
		En: "The request's version must be 0."}},
	{ID: "csr.signature-algorithm", Source: "СТБ 34.101.78, CRYPTO.Sign",
		Check: checkSignatureAlgorithm, Message: Message{
			Ru: "Запрос подписывается алгоритмом bign-with-hbelt (уровень стойкости 128), " +
				"параметры алгоритма — NULL или отсутствуют.",
			En: "The request is signed with bign-with-hbelt (security level 128), " +
				"with NULL or absent parameters."}},
	{ID: "csr.key-algorithm", Source: "СТБ 34.101.78, CRYPTO.Keypair",
		Check: checkKeyAlgorithm, Message: Message{
			Ru: "Открытый ключ — bign-pubkey на кривой bign-curve256v1 " +
				"(1.2.112.0.2.0.34.101.45.3.1), 64 октета.",
			En: "The public key is bign-pubkey on the curve bign-curve256v1 " +
				"(1.2.112.0.2.0.34.101.45.3.1), 64 octets."}},
	{ID: "csr.attributes", Source: "СТБ 34.101.78, FMT.CSR.Structure",
		Check: checkAttributes, Message: Message{
			Ru: "В запросе к РУЦ допустимы только атрибуты challengePassword, " +
				"extensionRequest и certificateValidity, каждый не более одного раза " +
				"и с одним значением.",
			En: "A request to РУЦ may carry only the attributes challengePassword, " +
				"extensionRequest and certificateValidity, each at most once with one value."}},
	{ID: "csr.challenge-password", Source: "СТБ 34.101.78, FMT.CSR.CP",
		Check: checkChallengePassword, Message: Message{
			Ru: "challengePassword — строка UTF8String длиной 1..255 из частей " +
				"/EPWD:<32, 48 или 64 символа 0-9A-F> и /INFO:<до 128 символов>, " +
				"каждая не более одного раза.",
			En: "challengePassword is a UTF8String of 1..255 characters made of the parts " +
				"/EPWD:<32, 48 or 64 characters 0-9A-F> and /INFO:<up to 128 characters>, " +
				"each at most once."}},
	{ID: "csr.certificate-validity", Source: "СТБ 34.101.78, FMT.CSR.Structure",
		Check: checkCertificateValidity, Message: Message{
			Ru: "В certificateValidity дата начала действия должна предшествовать дате окончания.",
			En: "In certificateValidity, notBefore must precede notAfter."}},
	{ID: "csr.validity-period", Severity: SeverityWarning,
		Source: "СТБ 34.101.78, FMT.Cert (Table.CERT.Validity)",
		Check:  checkValidityPeriod, Message: Message{
			Ru: "Рекомендуемый срок действия сертификата TLS-сервера и СИ при уровне " +
				"стойкости 128 — не более 5 лет.",
			En: "The recommended maximum validity of a TLS server or identification " +
				"service certificate at security level 128 is 5 years."}},

	{ID: "subject.required", Source: "СТБ 34.101.78, NCES.Name (Table.NCES.AttrRole, ТС)",
		Check: checkSubjectRequired, Message: Message{
			Ru: "Субъект ТС содержит commonName, countryName, localityName, streetAddress, " +
				"organizationName, description и emailAddress; stateOrProvinceName — " +
				"кроме областных центров.",
			En: "A ТС subject contains commonName, countryName, localityName, " +
				"streetAddress, organizationName, description and emailAddress, and " +
				"stateOrProvinceName unless the locality is a regional centre."}},
	{ID: "subject.allowed", Source: "СТБ 34.101.78, NCES.Name (Table.NCES.AttrRole, ТС)",
		Check: checkSubjectAllowed, Message: Message{
			Ru: "Атрибуты других ролей (фамилия, имя, серийный номер, подразделение, " +
				"должность и т. п.) в субъект ТС не включаются.",
			En: "Attributes of other roles (surname, name, serial number, unit, title and " +
				"so on) are not part of a ТС subject."}},
	{ID: "subject.unknown-type", Severity: SeverityWarning,
		Source: "СТБ 34.101.78, NCES.Name (Table.NCES.AttrRole, ТС)",
		Check:  checkSubjectUnknown, Message: Message{
			Ru: "Атрибут неизвестного типа. Допустим только идентификатор ГИС, " +
				"идентификатор атрибута которого не опубликован.",
			En: "Attribute of an unknown type. The only one allowed is the state " +
				"information system identifier, whose attribute identifier is not public."}},
	{ID: "subject.unique", Source: "СТБ 34.101.78, ENTITIES.Attrs", Check: checkSubjectUnique,
		Message: Message{
			Ru: "Каждый атрибут субъекта указывается не более одного раза.",
			En: "Each subject attribute appears at most once."}},
	{ID: "subject.order", Severity: SeverityWarning,
		Source: "СТБ 34.101.78, ENTITIES.Attrs (Table.ENTITIES.AttrRole), NCES.Name",
		Check:  checkSubjectOrder, Message: Message{
			Ru: "Атрибуты субъекта идут в порядке commonName, countryName, localityName, " +
				"stateOrProvinceName, streetAddress, organizationName, description, " +
				"emailAddress. Сертификаты УЦ ГосСУОК начинаются с organizationName, " +
				"поэтому это предупреждение.",
			En: "Subject attributes come in the order commonName, countryName, " +
				"localityName, stateOrProvinceName, streetAddress, organizationName, " +
				"description, emailAddress. ГосСУОК's CA certificates start with " +
				"organizationName, so this is a warning."}},
	{ID: "subject.string-type", Source: "СТБ 34.101.78, ENTITIES.Attrs (Table.ENTITIES.Attrs)",
		Check: checkSubjectStringType, Message: Message{
			Ru: "countryName — PrintableString, emailAddress — IA5String, остальные " +
				"атрибуты — UTF8String (BMPString допускается: его используют сертификаты " +
				"ГосСУОК).",
			En: "countryName is a PrintableString, emailAddress an IA5String, the other " +
				"attributes UTF8String (BMPString is accepted because ГосСУОК " +
				"certificates use it)."}},
	{ID: "subject.value", Source: "СТБ 34.101.78, ENTITIES.Attrs", Check: checkSubjectValue,
		Message: Message{
			Ru: "Значение атрибута не пустое, не начинается и не заканчивается пробелом и " +
				"не содержит двух пробелов подряд.",
			En: "An attribute value is not empty, does not start or end with a space and " +
				"has no two spaces in a row."}},
	{ID: "subject.country", Source: "СТБ 34.101.78, ENTITIES.Id.C", Check: checkSubjectCountry,
		Message: Message{
			Ru: "countryName организации-резидента — BY.",
			En: "countryName of a resident organisation is BY."}},
	{ID: "subject.length", Severity: SeverityWarning,
		Source: "СТБ 34.101.78, ENTITIES.Attrs (Table.ENTITIES.Attrs), NCES.Name",
		Check:  checkSubjectLength, Message: Message{
			Ru: "Длина атрибута превышает предел таблицы идентификационных атрибутов. " +
				"В ГосСУОК пределы ослаблены, поэтому это предупреждение.",
			En: "The attribute is longer than the limit of the identification attribute " +
				"table. ГосСУОК relaxes the limits, so this is a warning."}},
	{ID: "subject.email", Source: "СТБ 34.101.78, NCES.Name (emailAddress)",
		Check: checkSubjectEmail, Message: Message{
			Ru: "emailAddress — адрес электронной почты вида имя@домен.",
			En: "emailAddress is an e-mail address of the form name@domain."}},
	{ID: "subject.common-name", Severity: SeverityWarning, Source: "СТБ 34.101.78, ENTITIES.Id.CN",
		Check: checkSubjectCommonName, Message: Message{
			Ru: "Общее имя TLS-сервера — его DNS-имя, которое повторяется в subjectAltName.",
			En: "A TLS server's common name is its DNS name, repeated in subjectAltName."}},

	{ID: "ext.allowed", Source: "СТБ 34.101.78, FMT.CSR.ER", Check: checkExtensionsAllowed,
		Message: Message{
			Ru: "В extensionRequest допустимы subjectAltName, extKeyUsage и " +
				"certificatePolicies, а также keyUsage, который добавляют многие программы.",
			En: "extensionRequest may carry subjectAltName, extKeyUsage and " +
				"certificatePolicies, and keyUsage, which many tools add."}},
	{ID: "ext.unique", Source: "СТБ 34.101.19, 6.2", Check: checkExtensionsUnique,
		Message: Message{
			Ru: "Каждое расширение указывается не более одного раза.",
			En: "Each extension appears at most once."}},
	{ID: "ext.key-usage", Source: "СТБ 34.101.78, FMT.Ext.KU (Table.FMT.Ext.KU)",
		Check: checkKeyUsage, Message: Message{
			Ru: "keyUsage TLS-сервера и СИ: digitalSignature и keyEncipherment, " +
				"допустим также nonRepudiation; другие флаги запрещены.",
			En: "keyUsage of a TLS server or identification service: digitalSignature and " +
				"keyEncipherment, nonRepudiation allowed too, other flags forbidden."}},
	{ID: "ext.extended-key-usage", Source: "СТБ 34.101.78, FMT.CSR.ER, FMT.Ext.EKU",
		Check: checkExtKeyUsage, Message: Message{
			Ru: "extKeyUsage содержит только id-kp-serverAuth, bpki-eku-serverTM и " +
				"bpki-eku-clientTM.",
			En: "extKeyUsage contains only id-kp-serverAuth, bpki-eku-serverTM and " +
				"bpki-eku-clientTM."}},
	{ID: "ext.server-auth", Severity: SeverityWarning, Source: "СТБ 34.101.78, FMT.Ext.EKU",
		Check: checkServerAuth, Message: Message{
			Ru: "Сертификат TLS-сервера и СИ содержит id-kp-serverAuth; запрос типа " +
				"service_and_tls должен его запрашивать.",
			En: "The certificate of a TLS server or identification service contains " +
				"id-kp-serverAuth, so a service_and_tls request should request it."}},
	{ID: "ext.subject-alt-name", Source: "СТБ 34.101.78, FMT.CSR.ER, ENTITIES.SAN",
		Check: checkSubjectAltName, Message: Message{
			Ru: "TLS-сервер включает в запрос subjectAltName: от 1 до 100 записей вида " +
				"rfc822Name, dNSName, uniformResourceIdentifier или iPAddress.",
			En: "A TLS server's request includes subjectAltName with 1 to 100 entries, " +
				"each an rfc822Name, dNSName, uniformResourceIdentifier or iPAddress."}},
}

// subjectAttribute is one row of the identification attribute tables of
// STB 34.101.78, in their order: the general table followed by the
// attributes ГосСУОК adds. Allowed and required are the column ТС of the
// ГосСУОК table.
type subjectAttribute struct {
	name       string
	oid        asn1.ObjectIdentifier
	stringType int // the type CreateRequest writes and the profile expects
	maxLength  int // characters
	allowed    bool
	required   bool
}

var subjectAttributes = []subjectAttribute{
	{"commonName", asn1.ObjectIdentifier{2, 5, 4, 3}, asn1.TagUTF8String, 64, true, true},
	{"surname", asn1.ObjectIdentifier{2, 5, 4, 4}, asn1.TagUTF8String, 128, false, false},
	{"name", asn1.ObjectIdentifier{2, 5, 4, 41}, asn1.TagUTF8String, 1024, false, false},
	{"givenName", asn1.ObjectIdentifier{2, 5, 4, 42}, asn1.TagUTF8String, 128, false, false},
	{"serialNumber", asn1.ObjectIdentifier{2, 5, 4, 5}, asn1.TagPrintableString, 64, false, false},
	// ГосСУОК writes the serial number of a legal representative (ЮП)
	// under an identifier of its own.
	{"serialNumber (ЮП)", asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 1, 1, 1},
		asn1.TagPrintableString, 64, false, false},
	{"countryName", asn1.ObjectIdentifier{2, 5, 4, 6}, asn1.TagPrintableString, 2, true, true},
	{"localityName", asn1.ObjectIdentifier{2, 5, 4, 7}, asn1.TagUTF8String, 128, true, true},
	// Required in the ГосСУОК table, but STB 34.101.78 leaves it out when
	// the locality is a regional centre, so it is optional.
	{"stateOrProvinceName", asn1.ObjectIdentifier{2, 5, 4, 8}, asn1.TagUTF8String, 128, true,
		false},
	{"streetAddress", asn1.ObjectIdentifier{2, 5, 4, 9}, asn1.TagUTF8String, 64, true, true},
	{"organizationName", asn1.ObjectIdentifier{2, 5, 4, 10}, asn1.TagUTF8String, 64, true, true},
	{"organizationalUnitName", asn1.ObjectIdentifier{2, 5, 4, 11}, asn1.TagUTF8String, 64,
		false, false},
	{"organizationalUnitName (ЮП)", asn1.ObjectIdentifier{1, 2, 112, 1, 2, 1, 1, 5, 2},
		asn1.TagUTF8String, 64, false, false},
	{"title", asn1.ObjectIdentifier{2, 5, 4, 12}, asn1.TagUTF8String, 64, false, false},
	{"organizationIdentifier", asn1.ObjectIdentifier{2, 5, 4, 97}, asn1.TagUTF8String, 64,
		false, false},
	// STB 34.101.78 sets no limit for description; 1024 is ub-description
	// of X.520.
	{"description", asn1.ObjectIdentifier{2, 5, 4, 13}, asn1.TagUTF8String, 1024, true, true},
	// ub-emailaddress-length of STB 34.101.19.
	{"emailAddress", asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, asn1.TagIA5String, 255,
		true, true},
}

// findSubjectAttribute returns the table row of the type, or nil.
func findSubjectAttribute(oid asn1.ObjectIdentifier) *subjectAttribute {
	for i := range subjectAttributes {
		if subjectAttributes[i].oid.Equal(oid) {
			return &subjectAttributes[i]
		}
	}
	return nil
}

// attributeName returns the attribute's name from the table, or its OID.
func attributeName(oid asn1.ObjectIdentifier) string {
	if a := findSubjectAttribute(oid); a != nil {
		return a.name
	}
	return oid.String()
}
