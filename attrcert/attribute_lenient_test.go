package attrcert

import (
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseVariant builds the fixture's certificate with field replaced, signed,
// and parses it, which must succeed.
func parseVariant(t *testing.T, f acFixture, field string, der []byte) *AttributeCertificate {
	t.Helper()
	input := f.parts.with(field, der).build(t)
	ac, err := ParseAttributeCertificate(input)
	require.NoError(t, err)
	_, err = ac.Verify(f.options())
	require.NoError(t, err, "the variant verifies")
	return ac
}

func TestParseLenientTimes(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	notAfter := generalizedTime(testNow.AddDate(1, 0, 0))
	noon := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		time []byte
		want time.Time
	}{
		{"without seconds", wrap(tagGeneralizedTime, []byte("202501011200Z")), noon},
		{"fraction", wrap(tagGeneralizedTime, []byte("20250101120000.25Z")),
			noon.Add(250 * time.Millisecond)},
		{"comma fraction", wrap(tagGeneralizedTime, []byte("20250101120000,5Z")),
			noon.Add(500 * time.Millisecond)},
		{"zone offset", wrap(tagGeneralizedTime, []byte("20250101150000+0300")), noon},
		{"negative zone offset", wrap(tagGeneralizedTime, []byte("20250101093000-0230")), noon},
		{"UTCTime", wrap(tagUTCTime, []byte("250101120000Z")), noon},
		{"UTCTime without seconds", wrap(tagUTCTime, []byte("2501011200Z")), noon},
		{"UTCTime of the 1990s", wrap(tagUTCTime, []byte("990101120000Z")),
			time.Date(1999, 1, 1, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac := parseVariant(t, f, "attrCertValidityPeriod", wrap(tagSequence, tt.time, notAfter))

			assert.Equal(t, tt.want, ac.NotBefore)
		})
	}
}

func TestParseLenientSerialNumbers(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	tests := []struct {
		name   string
		serial []byte
		want   *big.Int
	}{
		{"negative", []byte{tagInteger, 1, 0xff}, big.NewInt(-1)},
		{"negative two bytes", []byte{tagInteger, 2, 0xfe, 0x00}, big.NewInt(-512)},
		{"leading zero", []byte{tagInteger, 2, 0, 1}, big.NewInt(1)},
		{"zero", []byte{tagInteger, 1, 0}, big.NewInt(0)},
		{"21 bytes", append([]byte{tagInteger, 21, 0x7f}, make([]byte, 20)...),
			new(big.Int).Lsh(big.NewInt(0x7f), 160)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac := parseVariant(t, f, "serialNumber", tt.serial)

			assert.Equal(t, 0, tt.want.Cmp(ac.SerialNumber), "serial %v", ac.SerialNumber)
		})
	}
}

func TestParseLenientStrings(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	tests := []struct {
		name  string
		value []byte
		want  string
	}{
		{"PrintableString with odd characters",
			wrap(tagPrintableString, []byte("a@b_c&d*")), "a@b_c&d*"},
		{"IA5String", wrap(tagIA5String, []byte("x@y.by")), "x@y.by"},
		{"TeletexString as Latin-1", wrap(tagTeletexString, []byte{'c', 0xe9}), "cé"},
		{"BMPString", wrap(tagBMPString, []byte{0x04, 0x14, 0x04, 0x30}), "Да"},
		{"BMPString surrogate pair", wrap(tagBMPString, []byte{0xd8, 0x3d, 0xde, 0x00}), "😀"},
		{"UniversalString", wrap(tagUniversalString, []byte{0, 0, 0x04, 0x14}), "Д"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ac := parseVariant(t, f, "attributes",
				wrap(tagSequence, attributeDER(t, OIDTitle, tt.value)))

			title, ok := ac.AttributeString(OIDTitle)
			assert.True(t, ok)
			assert.Equal(t, tt.want, title)
		})
	}
}

func TestParseLenientLengths(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	oid := mustMarshal(t, OIDUNP)
	value := []byte{tagUTF8String, 0x81, 3, '1', '2', '3'}
	set := append([]byte{tagSet, 0x82, 0, byte(len(value))}, value...)
	attribute := wrap(tagSequence, oid, set)

	ac := parseVariant(t, f, "attributes", wrap(tagSequence, attribute))

	unp, ok := ac.AttributeString(OIDUNP)
	assert.True(t, ok)
	assert.Equal(t, "123", unp)
	assert.Equal(t, value, ac.Attributes[0].Values[0].Raw)
}

func TestParseUnknownKept(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	unknownAttribute := attributeDER(t, asn1OID(1, 2, 3), []byte{tagInteger, 1, 7},
		[]byte{tagNull, 0})
	unknownExtension := extensionDER(t, asn1OID(1, 2, 4), false, []byte{tagInteger, 1, 9})
	explicitFalse := wrap(tagSequence, mustMarshal(t, oidNoRevAvail),
		[]byte{tagBoolean, 1, 0}, wrap(tagOctetString, []byte{tagNull, 0}))
	gosSUOKWithObject := attributeDER(t, OIDUNPF, []byte{tagInteger, 1, 1})

	ac := parseVariant(t, f, "attributes", wrap(tagSequence, unknownAttribute,
		gosSUOKWithObject))
	require.Len(t, ac.Attributes, 2)
	assert.Equal(t, asn1OID(1, 2, 3), ac.Attributes[0].Type)
	require.Len(t, ac.Attributes[0].Values, 2)
	assert.Equal(t, []byte{tagInteger, 1, 7}, ac.Attributes[0].Values[0].Raw)
	assert.Nil(t, ac.Attributes[0].Values[0].Value)
	assert.Equal(t, unknownAttribute, ac.Attributes[0].Raw)
	assert.Nil(t, ac.Attributes[1].Values[0].Value, "a ГосСУОК value that is not a string")

	ac = parseVariant(t, f, "extensions", wrap(tagSequence, unknownExtension, explicitFalse))
	require.Len(t, ac.Extensions, 2)
	assert.Equal(t, asn1OID(1, 2, 4), ac.Extensions[0].Id)
	assert.Equal(t, []byte{tagInteger, 1, 9}, ac.Extensions[0].Value)
	assert.False(t, ac.Extensions[1].Critical)
	assert.True(t, ac.NoRevocationAvailable)
	assert.Nil(t, ac.AuthorityKeyID)
}

func TestParseTypedAttributes(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	authority := NewDirectoryName(f.pki.intermediate.cert.X509.RawSubject)
	role := wrap(tagSequence, wrap(0xa0, authority.Raw), wrap(0xa1, NewURIName("urn:r").Raw))
	clearance := wrap(tagSequence, mustMarshal(t, asn1OID(1, 2, 5)),
		[]byte{tagBitString, 2, 3, 0x18}, wrap(tagSet, wrap(tagSequence, []byte{0x80, 1, 1})))
	clearance3281 := wrap(tagSequence, []byte{0x80, 2, 42, 3})
	group := wrap(tagSequence, wrap(0xa0, NewDNSName("authority.by").Raw), wrap(tagSequence,
		[]byte{tagOctetString, 1, 0xaa}, mustMarshal(t, asn1OID(1, 2, 6)), utf8String("admins")))
	access := wrap(tagSequence, NewURIName("ldap://dir.by").Raw, NewRFC822Name("a@b.by").Raw,
		[]byte{tagOctetString, 2, 1, 2})
	xml := utf8String("<privilege/>")

	ac := parseVariant(t, f, "attributes", wrap(tagSequence,
		attributeDER(t, OIDRole, role),
		attributeDER(t, asn1OID(2, 5, 4, 55), clearance),
		attributeDER(t, asn1OID(2, 5, 1, 5, 55), clearance3281),
		attributeDER(t, asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 4), group),
		attributeDER(t, asn1OID(1, 3, 6, 1, 5, 5, 7, 10, 2), access),
		attributeDER(t, asn1OID(2, 5, 4, 75), xml)))

	roles := ac.Roles()
	require.Len(t, roles, 1)
	require.Len(t, roles[0].Authority, 1)
	assert.True(t, roles[0].Authority[0].Equal(authority))
	assert.Equal(t, "urn:r", roles[0].Name.Text)

	want := []any{
		Clearance{Policy: asn1OID(1, 2, 5), ClassList: asn1.BitString{Bytes: []byte{0x18},
			BitLength: 5}, SecurityCategories: [][]byte{wrap(tagSequence, []byte{0x80, 1, 1})}},
		Clearance{Policy: asn1OID(1, 2, 3), ClassList: asn1.BitString{Bytes: []byte{0x40},
			BitLength: 2}},
	}
	assert.Equal(t, want[0], ac.Attributes[1].Values[0].Value)
	assert.Equal(t, want[1], ac.Attributes[2].Values[0].Value)

	ietf, ok := ac.Attributes[3].Values[0].Value.(IetfAttrSyntax)
	require.True(t, ok)
	require.Len(t, ietf.PolicyAuthority, 1)
	assert.Equal(t, "authority.by", ietf.PolicyAuthority[0].Text)
	assert.Equal(t, []any{[]byte{0xaa}, asn1OID(1, 2, 6), "admins"}, ietf.Values)

	info, ok := ac.Attributes[4].Values[0].Value.(SvceAuthInfo)
	require.True(t, ok)
	assert.Equal(t, "URI:ldap://dir.by", info.Service.String())
	assert.Equal(t, "email:a@b.by", info.Ident.String())
	assert.Equal(t, []byte{1, 2}, info.AuthInfo)

	assert.Equal(t, "<privilege/>", ac.Attributes[5].Values[0].Value)
}

func TestParseTargetingForms(t *testing.T) {
	f := newACFixture(t, ecdsaKey)
	name := NewDNSName("kpsis.by")
	group := NewURIName("urn:group")
	issuerSerial := wrap(tagSequence,
		wrap(tagSequence, NewDirectoryName(f.pki.root.cert.X509.RawSubject).Raw),
		[]byte{tagInteger, 1, 5})
	targetCert := wrap(0xa2, issuerSerial, name.Raw)
	nested := wrap(tagSequence, wrap(tagSequence, wrap(0xa0, name.Raw), wrap(0xa1, group.Raw)),
		wrap(tagSequence, targetCert))
	flat := wrap(tagSequence, wrap(0xa0, name.Raw), wrap(0xa1, group.Raw), targetCert)

	for _, form := range []struct {
		name  string
		value []byte
	}{{"nested", nested}, {"flat", flat}} {
		t.Run(form.name, func(t *testing.T) {
			input := f.parts.with("extensions", wrap(tagSequence,
				extensionDER(t, oidTargetInformation, true, form.value))).build(t)
			ac, err := ParseAttributeCertificate(input)
			require.NoError(t, err)

			require.Len(t, ac.Targets, 3)
			assert.Equal(t, TargetName, ac.Targets[0].Kind)
			assert.True(t, ac.Targets[0].Name.Equal(name))
			assert.Equal(t, TargetGroup, ac.Targets[1].Kind)
			assert.True(t, ac.Targets[1].Name.Equal(group))
			assert.Equal(t, TargetCert, ac.Targets[2].Kind)
			require.NotNil(t, ac.Targets[2].Cert)
			assert.Equal(t, big.NewInt(5), ac.Targets[2].Cert.Certificate.Serial)
			require.NotNil(t, ac.Targets[2].Cert.Name)
			assert.True(t, ac.Targets[2].Cert.Name.Equal(name))
		})
	}
}
