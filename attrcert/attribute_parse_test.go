package attrcert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// malformedCase is an attribute certificate with one defect and where the
// parser must report it.
type malformedCase struct {
	name      string
	input     []byte
	wantField string
	// wantOffset computes the expected offset from the built input.
	wantOffset func(der []byte) int
	wantText   string
}

func checkMalformed(t *testing.T, tests []malformedCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac, err := ParseAttributeCertificate(tt.input)

			assert.Nil(t, ac)
			var parseErr *ParseError
			require.ErrorAs(t, err, &parseErr)
			assert.Equal(t, tt.wantField, parseErr.Field)
			assert.Equal(t, tt.wantOffset(tt.input), parseErr.Offset)
			assert.Contains(t, err.Error(), tt.wantText)
		})
	}
}

// fieldCases builds malformedCase values that replace one field of base.
type fieldCases struct {
	t    *testing.T
	base acParts
}

// replace returns the case where field is der. The expected offset is delta
// bytes after the start of field.
func (c fieldCases) replace(name, field string, der []byte, wantField string, delta int,
	wantText string) malformedCase {
	p := c.base.with(field, der)
	return malformedCase{
		name:       name,
		input:      p.build(c.t),
		wantField:  wantField,
		wantOffset: func(b []byte) int { return p.start(b, field) + delta },
		wantText:   wantText,
	}
}

func TestParseAttributeCertificateMalformedFields(t *testing.T) {
	f := newACFixture(t, bignKey)
	c := fieldCases{t: t, base: f.parts}
	holderIssuer := wrap(tagSequence, NewDirectoryName(f.pki.leaf.cert.X509.RawIssuer).Raw)
	serial := mustMarshal(t, f.pki.leaf.cert.X509.SerialNumber)
	entityName := wrap(0xa1, NewDirectoryName(f.pki.leaf.cert.X509.RawSubject).Raw)
	name := f.pki.leaf.cert.X509.RawIssuer
	sha256Algorithm := mustMarshal(t, asn1OID(2, 16, 840, 1, 101, 3, 4, 2, 1))
	sha256AlgorithmID := wrap(tagSequence, sha256Algorithm)
	goodTime := generalizedTime(testNow)
	unp := mustMarshal(t, OIDUNP)
	title := mustMarshal(t, OIDTitle)
	attrs := func(a ...[]byte) []byte { return wrap(tagSequence, a...) }
	ext := func(e ...[]byte) []byte { return wrap(tagSequence, e...) }
	noRevAvail := mustMarshal(t, oidNoRevAvail)
	validity := func(times ...[]byte) []byte { return wrap(tagSequence, times...) }

	const (
		holder   = "attrCertInfo.holder"
		baseID   = "attrCertInfo.holder.baseCertificateID"
		issuer   = "attrCertInfo.issuer"
		notBef   = "attrCertInfo.attrCertValidityPeriod.notBeforeTime"
		value0   = "attrCertInfo.attributes[0].values[0]"
		ext0     = "attrCertInfo.extensions[0]"
		extValue = "attrCertInfo.extensions[0].extnValue"
	)

	checkMalformed(t, []malformedCase{
		c.replace("version tag", "version", []byte{tagOctetString, 1, 1},
			"attrCertInfo.version", 0, "tag is 0x04"),
		c.replace("version v1", "version", []byte{tagInteger, 1, 0},
			"attrCertInfo.version", 0, "not v2"),
		c.replace("version 3", "version", []byte{tagInteger, 1, 2},
			"attrCertInfo.version", 0, "not v2"),
		c.replace("version empty", "version", []byte{tagInteger, 0},
			"attrCertInfo.version", 0, "out of range"),

		c.replace("holder tag", "holder", wrap(tagSet, holderIssuer), holder, 0, "tag is 0x31"),
		c.replace("holder empty", "holder", wrap(tagSequence), holder, 0, "none of"),
		c.replace("holder unknown field", "holder", wrap(tagSequence, []byte{0xa3, 0}),
			holder, 2, "unexpected tag 0xa3"),
		c.replace("holder fields out of order", "holder",
			wrap(tagSequence, entityName, wrap(0xa0, holderIssuer, serial)),
			holder, 2+len(entityName), "unexpected tag 0xa0"),
		c.replace("issuer names empty", "holder",
			wrap(tagSequence, wrap(0xa0, wrap(tagSequence), serial)),
			baseID+".issuer", 4, "GeneralNames is empty"),
		c.replace("serial missing", "holder", wrap(tagSequence, wrap(0xa0, holderIssuer)),
			baseID+".serial", 4+len(holderIssuer), "missing"),
		c.replace("serial empty", "holder",
			wrap(tagSequence, wrap(0xa0, holderIssuer, []byte{tagInteger, 0})),
			baseID+".serial", 4+len(holderIssuer), "INTEGER is empty"),
		c.replace("issuerUID unused bits", "holder",
			wrap(tagSequence, wrap(0xa0, holderIssuer, serial, []byte{tagBitString, 1, 1})),
			baseID+".issuerUID", 4+len(holderIssuer)+len(serial), "unused-bits count 1"),
		c.replace("GeneralName tag", "holder",
			wrap(tagSequence, wrap(0xa0, wrap(tagSequence, []byte{tagSequence, 0}), serial)),
			baseID+".issuer[0]", 6, "not a GeneralName"),
		c.replace("dNSName constructed", "holder",
			wrap(tagSequence, wrap(0xa0, wrap(tagSequence, []byte{0xa2, 0}), serial)),
			baseID+".issuer[0]", 6, "constructed bit"),
		c.replace("directoryName trailing data", "holder", wrap(tagSequence, wrap(0xa0,
			wrap(tagSequence, wrap(0xa4, name, []byte{tagNull, 0})), serial)),
			baseID+".issuer[0]", 8+len(name), "after the Name"),
		c.replace("empty relative distinguished name", "holder", wrap(tagSequence, wrap(0xa0,
			wrap(tagSequence, wrap(0xa4, wrap(tagSequence, wrap(tagSet)))), serial)),
			baseID+".issuer[0]", 10, "relative distinguished name is empty"),
		c.replace("name attribute type not OID", "holder", wrap(tagSequence, wrap(0xa0,
			wrap(tagSequence, wrap(0xa4, wrap(tagSequence, wrap(tagSet,
				wrap(tagSequence, []byte{tagOctetString, 0}, []byte{tagNull, 0}))))), serial)),
			baseID+".issuer[0]", 14, "tag is 0x04"),
		c.replace("digestedObjectType 3", "holder", wrap(tagSequence, wrap(0xa2,
			[]byte{tagEnumerated, 1, 3}, sha256AlgorithmID, []byte{tagBitString, 1, 0})),
			holder+".objectDigestInfo.digestedObjectType", 4, "not 0, 1 or 2"),
		c.replace("objectDigest partial octet", "holder", wrap(tagSequence, wrap(0xa2,
			[]byte{tagEnumerated, 1, 0}, sha256AlgorithmID, []byte{tagBitString, 2, 1, 0x80})),
			holder+".objectDigestInfo.objectDigest", 7+len(sha256AlgorithmID), "unused bits"),
		c.replace("digestAlgorithm missing", "holder", wrap(tagSequence, wrap(0xa2,
			[]byte{tagEnumerated, 1, 0}, sha256Algorithm, []byte{tagBitString, 1, 0})),
			holder+".objectDigestInfo.digestAlgorithm", 7+len(sha256Algorithm), "tag is 0x03"),

		c.replace("issuer v1Form", "issuer", holderIssuer, issuer, 0, "v1Form"),
		c.replace("issuer tag", "issuer", []byte{tagOctetString, 0}, issuer, 0, "expected v2Form"),
		c.replace("issuer V2Form empty", "issuer", wrap(0xa0), issuer, 0, "none of"),
		c.replace("issuer V2Form unknown field", "issuer", wrap(0xa0, []byte{tagInteger, 1, 1}),
			issuer, 2, "unexpected tag 0x02"),
		c.replace("issuerName GeneralName tag", "issuer",
			wrap(0xa0, wrap(tagSequence, []byte{0x99, 0})),
			issuer+".issuerName[0]", 4, "not a GeneralName"),

		c.replace("signature tag", "signature", []byte{tagNull, 0},
			"attrCertInfo.signature", 0, "tag is 0x05"),
		c.replace("signature OID not minimal", "signature",
			wrap(tagSequence, []byte{tagOID, 3, 0x80, 0x01, 0x02}),
			"attrCertInfo.signature.algorithm", 2, "not minimally encoded"),
		c.replace("signature differs from signatureAlgorithm", "signature",
			mustMarshal(t, newECDSASigner(t).signatureAlgorithm()),
			"attrCertInfo.signature", 0, "differs"),

		c.replace("serialNumber tag", "serialNumber", []byte{tagOctetString, 1, 1},
			"attrCertInfo.serialNumber", 0, "tag is 0x04"),
		c.replace("serialNumber empty", "serialNumber", []byte{tagInteger, 0},
			"attrCertInfo.serialNumber", 0, "INTEGER is empty"),

		c.replace("validity tag", "attrCertValidityPeriod", wrap(tagSet, goodTime, goodTime),
			"attrCertInfo.attrCertValidityPeriod", 0, "tag is 0x31"),
		c.replace("time type", "attrCertValidityPeriod",
			validity([]byte{tagOctetString, 0}, goodTime), notBef, 2, "expected GeneralizedTime"),
		c.replace("time letters", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("2025AB01000000Z")), goodTime),
			notBef, 2, "2 digits"),
		c.replace("time month 13", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20251301000000Z")), goodTime),
			notBef, 2, "out of range"),
		c.replace("time 30 February", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20250230000000Z")), goodTime),
			notBef, 2, "does not exist"),
		c.replace("time without zone", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20250101000000")), goodTime),
			notBef, 2, "no time zone"),
		c.replace("time with trailing characters", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20250101000000Zx")), goodTime),
			notBef, 2, "unexpected characters"),
		c.replace("time with empty fraction", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20250101000000.Z")), goodTime),
			notBef, 2, "no digits"),
		c.replace("time zone out of range", "attrCertValidityPeriod",
			validity(wrap(tagGeneralizedTime, []byte("20250101000000+2500")), goodTime),
			notBef, 2, "not ±hhmm"),
		c.replace("notAfterTime missing", "attrCertValidityPeriod", validity(goodTime),
			"attrCertInfo.attrCertValidityPeriod.notAfterTime", 2+len(goodTime), "missing"),
		c.replace("notAfterTime before notBeforeTime", "attrCertValidityPeriod",
			validity(goodTime, generalizedTime(testNow.AddDate(0, 0, -1))),
			"attrCertInfo.attrCertValidityPeriod", 2+len(goodTime), "before notBeforeTime"),
		c.replace("element after notAfterTime", "attrCertValidityPeriod",
			validity(goodTime, goodTime, []byte{tagNull, 0}),
			"attrCertInfo.attrCertValidityPeriod", 2+2*len(goodTime), "after notAfterTime"),

		c.replace("attributes tag", "attributes", wrap(tagSet),
			"attrCertInfo.attributes", 0, "tag is 0x31"),
		c.replace("attribute tag", "attributes", attrs(wrap(tagSet)),
			"attrCertInfo.attributes[0]", 2, "tag is 0x31"),
		c.replace("attribute type tag", "attributes",
			attrs(wrap(tagSequence, []byte{tagOctetString, 0}, wrap(tagSet))),
			"attrCertInfo.attributes[0].type", 4, "tag is 0x04"),
		c.replace("attribute values tag", "attributes",
			attrs(wrap(tagSequence, unp, wrap(tagSequence))),
			"attrCertInfo.attributes[0].values", 4+len(unp), "tag is 0x30"),
		c.replace("element after values", "attributes",
			attrs(wrap(tagSequence, unp, wrap(tagSet), []byte{tagNull, 0})),
			"attrCertInfo.attributes[0]", 6+len(unp), "after values"),
		c.replace("attribute truncated", "attributes", attrs([]byte{tagSequence, 5, 0}),
			"attrCertInfo.attributes[0]", 2, "exceeds"),
		c.replace("duplicate attribute", "attributes", attrs(
			attributeDER(t, OIDUNP, utf8String("1")), attributeDER(t, OIDUNP, utf8String("2"))),
			"attrCertInfo.attributes[1]", 2+len(attributeDER(t, OIDUNP, utf8String("1"))),
			"appears twice"),
		c.replace("title not a string", "attributes",
			attrs(attributeDER(t, OIDTitle, []byte{tagInteger, 1, 5})),
			value0, 6+len(title), "not a character string"),
		c.replace("BMPString odd length", "attributes",
			attrs(attributeDER(t, OIDTitle, []byte{tagBMPString, 3, 0, 0x41, 0})),
			value0, 6+len(title), "odd length"),
		c.replace("UTF8String invalid", "attributes",
			attrs(attributeDER(t, OIDTitle, []byte{tagUTF8String, 2, 0xff, 0xfe})),
			value0, 6+len(title), "not valid UTF-8"),
		c.replace("UniversalString code point", "attributes",
			attrs(attributeDER(t, OIDTitle, []byte{tagUniversalString, 4, 0, 0x11, 0, 0})),
			value0, 6+len(title), "invalid code point"),
		c.replace("role tag", "attributes",
			attrs(attributeDER(t, OIDRole, []byte{tagOctetString, 0})),
			value0, 6+len(mustMarshal(t, OIDRole)), "expected RoleSyntax"),
		c.replace("role without roleName", "attributes", attrs(attributeDER(t, OIDRole,
			wrap(tagSequence, wrap(0xa0, NewDNSName("aa.by").Raw)))),
			value0+".roleName", 6+len(mustMarshal(t, OIDRole))+2+9, "missing"),
		c.replace("permission empty operation", "attributes",
			attrs(attributeDER(t, OIDPermission, permissionDER("", "registry"))),
			value0+".operation", 8+len(mustMarshal(t, OIDPermission)), "empty string"),
		c.replace("permission without object", "attributes", attrs(attributeDER(t, OIDPermission,
			wrap(tagSequence, wrap(0xa0, utf8String("read"))))),
			value0+".object", 8+len(mustMarshal(t, OIDPermission))+8, "missing"),
		c.replace("clearance policy tag", "attributes", attrs(attributeDER(t,
			asn1OID(2, 5, 4, 55), wrap(tagSequence, []byte{tagOctetString, 0}))),
			value0+".policyId", 8+len(mustMarshal(t, asn1OID(2, 5, 4, 55))), "tag is 0x04"),
		c.replace("group value type", "attributes", attrs(attributeDER(t,
			asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 4), wrap(tagSequence, wrap(tagSequence,
				[]byte{tagInteger, 1, 1})))),
			value0+".values[0]", 10+len(mustMarshal(t, asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 4))),
			"not octets, oid or string"),
		c.replace("access identity without ident", "attributes", attrs(attributeDER(t,
			asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 2), wrap(tagSequence, NewDNSName("a.by").Raw))),
			value0+".ident", 8+len(mustMarshal(t, asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 2)))+6,
			"missing"),

		c.replace("issuerUniqueID unused bits", "issuerUniqueID", []byte{tagBitString, 2, 8, 0},
			"attrCertInfo.issuerUniqueID", 0, "unused-bits count 8"),

		c.replace("element after extensions", "extensions", wrap(tagSet),
			"attrCertInfo", 0, "after extensions"),
		c.replace("extension tag", "extensions", ext([]byte{tagOctetString, 0}),
			ext0, 2, "tag is 0x04"),
		c.replace("extnValue missing", "extensions", ext(wrap(tagSequence, noRevAvail)),
			extValue, 4+len(noRevAvail), "missing"),
		c.replace("critical of two bytes", "extensions", ext(wrap(tagSequence, noRevAvail,
			[]byte{tagBoolean, 2, 0xff, 0xff}, wrap(tagOctetString, []byte{tagNull, 0}))),
			ext0+".critical", 4+len(noRevAvail), "BOOLEAN has 2"),
		c.replace("element after extnValue", "extensions", ext(wrap(tagSequence, noRevAvail,
			wrap(tagOctetString, []byte{tagNull, 0}), []byte{tagNull, 0})),
			ext0, 8+len(noRevAvail), "after extnValue"),
		c.replace("duplicate extension", "extensions", ext(
			extensionDER(t, oidNoRevAvail, false, []byte{tagNull, 0}),
			extensionDER(t, oidNoRevAvail, false, []byte{tagNull, 0})),
			"attrCertInfo.extensions[1]",
			2+len(extensionDER(t, oidNoRevAvail, false, []byte{tagNull, 0})), "appears twice"),
		c.replace("noRevAvail not NULL", "extensions", ext(
			extensionDER(t, oidNoRevAvail, false, []byte{tagOctetString, 0})),
			extValue, 6+len(noRevAvail), "tag is 0x04"),
		c.replace("authorityKeyIdentifier not SEQUENCE", "extensions", ext(
			extensionDER(t, oidAuthorityKeyID, false, []byte{tagOctetString, 0})),
			extValue, 6+len(mustMarshal(t, oidAuthorityKeyID)), "tag is 0x04"),
		c.replace("targetingInformation empty", "extensions", ext(
			extensionDER(t, oidTargetInformation, true, wrap(tagSequence))),
			extValue, 9+len(mustMarshal(t, oidTargetInformation)), "no target"),
		c.replace("target tag", "extensions", ext(extensionDER(t, oidTargetInformation, true,
			wrap(tagSequence, wrap(tagSequence, []byte{0x83, 0})))),
			extValue+"[0][0]", 13+len(mustMarshal(t, oidTargetInformation)), "not a Target"),
		c.replace("audit identity not OCTET STRING", "extensions", ext(
			extensionDER(t, oidAuditIdentity, true, []byte{tagNull, 0})),
			extValue, 9+len(mustMarshal(t, oidAuditIdentity)), "tag is 0x05"),
	})
}

func TestParseAttributeCertificateMalformedEnvelope(t *testing.T) {
	f := newACFixture(t, bignKey)
	der := f.der
	tbs := f.parts.attrCertInfo()
	algorithm := f.parts.algorithm
	tbsAt := derHeaderLength(der)
	algorithmAt := tbsAt + len(tbs)
	signatureAt := algorithmAt + len(algorithm)
	signature := der[signatureAt:]
	at := func(offset int) func([]byte) int { return func([]byte) int { return offset } }
	kuc, err := readFile("kuc.cer")
	require.NoError(t, err)

	checkMalformed(t, []malformedCase{
		{"empty input", nil, "attributeCertificate", at(0), "truncated"},
		{"truncated", der[:len(der)/2], "attributeCertificate", at(0), "exceeds"},
		{"trailing data", append(clone(der), 0), "attributeCertificate", at(len(der)), "trailing"},
		{"outer tag", patch(der, 0, tagSet), "attributeCertificate", at(0), "tag is 0x31"},
		{"indefinite length", []byte{tagSequence, 0x80, 0, 0}, "attributeCertificate", at(0),
			"indefinite"},
		{"outer length not minimal", []byte{tagSequence, 0x81, 1, 5}, "attributeCertificate",
			at(0), "long form"},
		{"attrCertInfo tag", patch(der, tbsAt, tagSet), "attrCertInfo", at(tbsAt), "tag is 0x31"},
		{"attrCertInfo length not minimal", wrap(tagSequence,
			append([]byte{tagSequence, 0x82, 0}, tbs[1:]...), algorithm, signature),
			"attrCertInfo", derHeaderLength, "leading zero"},
		{"signatureAlgorithm missing", wrap(tagSequence, tbs), "signatureAlgorithm",
			at(algorithmAt), "missing"},
		{"signatureAlgorithm OID tag", wrap(tagSequence, tbs,
			wrap(tagSequence, []byte{tagNull, 0}), signature),
			"signatureAlgorithm.algorithm", at(algorithmAt + 2), "tag is 0x05"},
		{"signatureValue missing", wrap(tagSequence, tbs, algorithm), "signatureValue",
			at(signatureAt), "missing"},
		{"signatureValue tag", patch(der, signatureAt, tagOctetString), "signatureValue",
			at(signatureAt), "tag is 0x04"},
		{"signatureValue unused bits 8", patch(der, signatureAt+2, 8), "signatureValue",
			at(signatureAt), "unused-bits count 8"},
		{"bign signature with unused bits", patch(patch(der, signatureAt+2, 1), len(der)-1, 0),
			"signatureValue", at(signatureAt), "whole octets"},
		{"element after signatureValue", wrap(tagSequence, tbs, algorithm, signature,
			[]byte{tagNull, 0}), "attributeCertificate", at(len(der)), "after signatureValue"},
		{"bign parameters not NULL", buildWithAlgorithm(t, f.parts,
			wrap(tagSequence, mustMarshal(t, oidBignWithHbelt), []byte{tagOctetString, 0})),
			"attrCertInfo.signature", func(b []byte) int { return f.parts.start(b, "signature") },
			"NULL or absent"},
		{"public-key certificate", kuc, "attrCertInfo", at(4), "public-key certificate"},
		{"version 1 attribute certificate", wrap(tagSequence,
			wrap(tagSequence, wrap(0xa1, f.parts.fields["issuer"][2:])), algorithm, signature),
			"attrCertInfo", at(2), "AttributeCertificateV1"},
	})
}

// buildWithAlgorithm builds parts with algorithm in both signature fields.
func buildWithAlgorithm(t *testing.T, parts acParts, algorithm []byte) []byte {
	p := parts.with("signature", algorithm)
	p.algorithm = algorithm
	p.signature = wrap(tagBitString, []byte{0}, make([]byte, bignSignatureSize))
	return p.build(t)
}

func TestParseKindErrors(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	kuc, err := readFile("kuc.cer")
	require.NoError(t, err)

	_, err = ParseAttributeCertificate(kuc)
	assert.ErrorIs(t, err, ErrNotAttributeCertificate)

	_, err = ParseCertificate(f.der)
	assert.ErrorIs(t, err, ErrNotPublicKeyCertificate)
	var parseErr *ParseError
	require.ErrorAs(t, err, &parseErr)
	assert.Equal(t, "tbsCertificate", parseErr.Field)
}
