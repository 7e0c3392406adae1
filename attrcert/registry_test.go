package attrcert

import (
	"encoding/pem"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAttributeNames(t *testing.T) {
	tests := []struct {
		oid              []int
		english, russian string
	}{
		{[]int{1, 2, 112, 1, 2, 1, 1, 1, 1, 2}, "Taxpayer number (UNP)",
			"Учётный номер плательщика (УНП)"},
		{[]int{1, 2, 112, 1, 2, 1, 1, 1, 4, 1}, "Social Protection Fund payer number (UNPF)",
			"Учётный номер плательщика в органах ФСЗН (УНПФ)"},
		{[]int{1, 2, 112, 1, 2, 1, 1, 1, 1, 1}, "Personal number",
			"Личный (идентификационный) номер"},
		{[]int{1, 2, 112, 1, 2, 1, 1, 5, 2}, "Organisational unit of the representative",
			"Подразделение представителя юридического лица"},
		{[]int{2, 5, 4, 72}, "Role", "Роль"},
		{[]int{2, 5, 4, 82}, "Permission", "Разрешение"},
		{[]int{2, 5, 4, 12}, "Position", "Должность"},
		{[]int{1, 3, 6, 1, 5, 5, 7, 10, 4}, "Group", "Группа"},
		{[]int{1, 2, 3, 4}, "1.2.3.4", "1.2.3.4"},
	}
	for _, tt := range tests {
		t.Run(tt.english, func(t *testing.T) {
			assert.Equal(t, tt.english, AttributeName(asn1OID(tt.oid...)))
			assert.Equal(t, tt.russian, AttributeNameRussian(asn1OID(tt.oid...)))
		})
	}
}

func TestRegistryIsProtected(t *testing.T) {
	types := AttributeTypes()
	require.NotEmpty(t, types)
	types[0].OID[0] = 9
	OIDUNP[0] = 9
	t.Cleanup(func() { OIDUNP[0] = 1 })

	unp, ok := LookupAttributeType(asn1OID(1, 2, 112, 1, 2, 1, 1, 1, 1, 2))
	require.True(t, ok)
	assert.Equal(t, "unp", unp.Name)
	unp.OID[0] = 9
	assert.Equal(t, "Personal number", AttributeName(asn1OID(1, 2, 112, 1, 2, 1, 1, 1, 1, 1)))
	assert.Equal(t, "Taxpayer number (UNP)",
		AttributeName(asn1OID(1, 2, 112, 1, 2, 1, 1, 1, 1, 2)))
}

func TestRegistryNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, at := range AttributeTypes() {
		assert.False(t, seen[at.OID.String()], "OID %s twice", at.OID)
		assert.False(t, seen[at.Name], "name %s twice", at.Name)
		seen[at.OID.String()], seen[at.Name] = true, true
		assert.NotEmpty(t, at.English)
		assert.NotEmpty(t, at.Russian)
	}
}

func TestGeneralNameEqualAndString(t *testing.T) {
	root, _ := readTestCertificate(t, "kuc.cer")
	dir := NewDirectoryName(root.X509.RawSubject)
	ip := GeneralName{Kind: IPAddressName, IPAddress: net.IPv4(10, 0, 0, 1)}
	rid := GeneralName{Kind: RegisteredID, ID: asn1OID(1, 2, 3)}
	other := GeneralName{Kind: OtherName, Raw: []byte{0xa0, 0}}

	tests := []struct {
		name string
		a, b GeneralName
		want bool
	}{
		{"DNS ignores case", NewDNSName("A.by"), NewDNSName("a.BY"), true},
		{"e-mail ignores case", NewRFC822Name("A@b.by"), NewRFC822Name("a@B.by"), true},
		{"URI is exact", NewURIName("urn:A"), NewURIName("urn:a"), false},
		{"kinds differ", NewDNSName("a.by"), NewURIName("a.by"), false},
		{"directory names", dir, NewDirectoryName(root.X509.RawSubject), true},
		{"IP addresses", ip, GeneralName{Kind: IPAddressName, IPAddress: net.ParseIP("10.0.0.1")},
			true},
		{"registered IDs", rid, GeneralName{Kind: RegisteredID, ID: asn1OID(1, 2, 4)}, false},
		{"other names by encoding", other, GeneralName{Kind: OtherName, Raw: []byte{0xa0, 0}},
			true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.a.Equal(tt.b))
		})
	}

	assert.Equal(t, "DNS:a.by", NewDNSName("a.by").String())
	assert.Equal(t, "IP:10.0.0.1", ip.String())
	assert.Equal(t, "RID:1.2.3", rid.String())
	assert.Equal(t, "otherName:a000", other.String())
	assert.Contains(t, dir.String(), "DirName:CN=Корневой удостоверяющий центр ГосСУОК")
	assert.Equal(t, "GeneralNameKind(12)", GeneralNameKind(12).String())
	_, err := NewDNSName("a.by").Name()
	assert.ErrorContains(t, err, "not a directoryName")
}

func TestParseAttributeCertificatePEM(t *testing.T) {
	der, err := readFile("attribute/holder-ac.der")
	require.NoError(t, err)
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}),
		pem.EncodeToMemory(&pem.Block{Type: "ATTRIBUTE CERTIFICATE", Bytes: der})...)

	ac, err := ParseAttributeCertificatePEM(data)
	require.NoError(t, err)
	assert.Equal(t, der, ac.Raw)

	_, err = ParseAttributeCertificatePEM([]byte("no PEM here"))
	assert.ErrorContains(t, err, "no PEM block")
}

func TestAttributeCertificateEqual(t *testing.T) {
	der, err := readFile("attribute/holder-ac.der")
	require.NoError(t, err)
	a, err := ParseAttributeCertificate(der)
	require.NoError(t, err)
	b, err := ParseAttributeCertificate(der)
	require.NoError(t, err)
	stb, _ := readSTBExample(t)

	assert.True(t, a.Equal(b))
	assert.False(t, a.Equal(stb))
	assert.False(t, a.Equal(nil))
	assert.True(t, (*AttributeCertificate)(nil).Equal(nil))
}

func TestParseAttributeCertificateCopiesInput(t *testing.T) {
	der, err := readFile("attribute/holder-ac.der")
	require.NoError(t, err)
	ac, err := ParseAttributeCertificate(der)
	require.NoError(t, err)

	clear(der)

	unp, _ := ac.AttributeString(OIDUNP)
	assert.Equal(t, "190000001", unp)
	assert.NotEqual(t, der, ac.Raw)
}
