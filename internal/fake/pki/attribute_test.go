package pki

import (
	"bytes"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
)

var attributeTestTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// attributePKI is a test root, a test РУЦ that also acts as the attribute
// authority, and a legal representative's certificate issued by РУЦ.
type attributePKI struct {
	root, ruc *Authority
	holder    *attrcert.Certificate
}

func newAttributePKI(t *testing.T, name string) attributePKI {
	t.Helper()
	from, to := attributeTestTime.AddDate(-1, 0, 0), attributeTestTime.AddDate(5, 0, 0)
	root, err := NewRoot(pkix.Name{CommonName: name + " корневой УЦ", Country: []string{"BY"}},
		from, to)
	require.NoError(t, err)
	ruc, err := root.NewAuthority(pkix.Name{CommonName: name + " РУЦ", Country: []string{"BY"}},
		from, to)
	require.NoError(t, err)
	return attributePKI{root: root, ruc: ruc, holder: issuePerson(t, ruc, "Иванов Иван Иванович")}
}

func issuePerson(t *testing.T, ca *Authority, commonName string) *attrcert.Certificate {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ca.Issue(Template{
		Subject:   pkix.Name{CommonName: commonName, Country: []string{"BY"}},
		NotBefore: attributeTestTime.AddDate(0, -1, 0),
		NotAfter:  attributeTestTime.AddDate(1, 0, 0),
	}, key.PublicKey())
	require.NoError(t, err)
	cert, err := attrcert.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

var (
	testRole  = attrcert.Role{Name: attrcert.NewURIName("urn:esiful:role:director")}
	testPerm  = attrcert.Permission{Operation: "подписание", Object: "договоры"}
	testKPSIS = attrcert.NewDNSName("kpsis.example.by")
)

// representativeTemplate is an attribute certificate of a legal representative.
func representativeTemplate() AttributeTemplate {
	return AttributeTemplate{
		SerialNumber: big.NewInt(0x1234567890),
		NotBefore:    attributeTestTime.Add(-time.Hour),
		NotAfter:     attributeTestTime.AddDate(0, 1, 0),
		Attributes: []Attribute{
			StringAttribute(attrcert.OIDUNP, "190000001"),
			StringAttribute(attrcert.OIDOrganizationName, "ООО «Тестовая организация»"),
			StringAttribute(attrcert.OIDTitle, "Директор"),
			StringAttribute(attrcert.OIDPersonalNumber, "3150385A001PB6"),
			{Type: attrcert.OIDRole, Values: []any{testRole}},
			{Type: attrcert.OIDPermission, Values: []any{testPerm}},
			{Type: asn1.ObjectIdentifier{1, 2, 3, 4}, Values: []any{42}},
		},
		NoRevocationAvailable: true,
		Targets:               []attrcert.GeneralName{testKPSIS},
	}
}

func (p attributePKI) options() attrcert.AttributeVerifyOptions {
	return attrcert.AttributeVerifyOptions{
		Holder:      p.holder,
		Issuers:     []*attrcert.Certificate{p.ruc.Certificate},
		Roots:       attrcert.NewTrustAnchors(p.root.Certificate),
		CurrentTime: attributeTestTime,
		Targets:     []attrcert.GeneralName{testKPSIS},
	}
}

func TestIssueAttributeCertificateRoundTrip(t *testing.T) {
	p := newAttributePKI(t, "Тестовый")
	der, err := p.ruc.IssueAttributeCertificate(representativeTemplate(), p.holder)
	require.NoError(t, err)

	ac, err := attrcert.ParseAttributeCertificate(der)
	require.NoError(t, err)

	assert.Equal(t, der, ac.Raw)
	assert.Equal(t, big.NewInt(0x1234567890), ac.SerialNumber)
	assert.Equal(t, attributeTestTime.Add(-time.Hour), ac.NotBefore)
	assert.Equal(t, attributeTestTime.AddDate(0, 1, 0), ac.NotAfter)
	assert.Equal(t, bign.SignatureOID, ac.SignatureAlgorithm)

	require.NotNil(t, ac.Holder.BaseCertificateID)
	assert.Equal(t, p.holder.X509.SerialNumber, ac.Holder.BaseCertificateID.Serial)
	require.Len(t, ac.Holder.BaseCertificateID.Issuer, 1)
	assert.Equal(t, p.holder.X509.RawIssuer, ac.Holder.BaseCertificateID.Issuer[0].DirectoryName)
	assert.Empty(t, ac.Holder.EntityName)
	require.Len(t, ac.Issuer.Name, 1)
	assert.Equal(t, p.ruc.Certificate.X509.RawSubject, ac.Issuer.Name[0].DirectoryName)

	unp, ok := ac.AttributeString(attrcert.OIDUNP)
	assert.True(t, ok)
	assert.Equal(t, "190000001", unp)
	org, _ := ac.AttributeString(attrcert.OIDOrganizationName)
	assert.Equal(t, "ООО «Тестовая организация»", org)
	title, _ := ac.AttributeString(attrcert.OIDTitle)
	assert.Equal(t, "Директор", title)
	number, _ := ac.AttributeString(attrcert.OIDPersonalNumber)
	assert.Equal(t, "3150385A001PB6", number)

	roles := ac.Roles()
	require.Len(t, roles, 1)
	assert.True(t, roles[0].Name.Equal(testRole.Name), "role name %v", roles[0].Name)
	assert.Equal(t, []attrcert.Permission{testPerm}, ac.Permissions())

	require.Len(t, ac.Attributes, 7)
	unknown := ac.Attributes[6]
	assert.Equal(t, asn1.ObjectIdentifier{1, 2, 3, 4}, unknown.Type)
	require.Len(t, unknown.Values, 1)
	assert.Equal(t, []byte{0x02, 0x01, 42}, unknown.Values[0].Raw)
	assert.Nil(t, unknown.Values[0].Value)

	assert.Equal(t, p.ruc.SubjectKeyID(), ac.AuthorityKeyID)
	assert.True(t, ac.NoRevocationAvailable)
	require.Len(t, ac.Targets, 1)
	assert.True(t, ac.Targets[0].Name.Equal(testKPSIS))

	chain, err := ac.Verify(p.options())
	require.NoError(t, err)
	require.Len(t, chain, 2)
	assert.True(t, chain[0].Equal(p.ruc.Certificate))
	assert.True(t, chain[1].Equal(p.root.Certificate))
}

func TestIssueAttributeCertificateHolderByName(t *testing.T) {
	p := newAttributePKI(t, "Тестовый")
	tmpl := representativeTemplate()
	tmpl.HolderByName = true
	der, err := p.ruc.IssueAttributeCertificate(tmpl, p.holder)
	require.NoError(t, err)
	ac, err := attrcert.ParseAttributeCertificate(der)
	require.NoError(t, err)

	assert.Nil(t, ac.Holder.BaseCertificateID)
	require.Len(t, ac.Holder.EntityName, 1)
	assert.Equal(t, p.holder.X509.RawSubject, ac.Holder.EntityName[0].DirectoryName)
	_, err = ac.Verify(p.options())
	assert.NoError(t, err)
}

func TestAttributeCertificateRejections(t *testing.T) {
	p := newAttributePKI(t, "Тестовый")
	other := newAttributePKI(t, "Чужой")
	der, err := p.ruc.IssueAttributeCertificate(representativeTemplate(), p.holder)
	require.NoError(t, err)

	issue := func(t *testing.T, ca *Authority, change func(*AttributeTemplate)) []byte {
		tmpl := representativeTemplate()
		if change != nil {
			change(&tmpl)
		}
		der, err := ca.IssueAttributeCertificate(tmpl, p.holder)
		require.NoError(t, err)
		return der
	}
	flip := func(der []byte, offset int) []byte {
		out := bytes.Clone(der)
		out[offset] ^= 1
		return out
	}

	tests := []struct {
		name    string
		der     func(t *testing.T) []byte
		options func(o *attrcert.AttributeVerifyOptions)
		want    error
	}{
		{"signature bit flipped", func(*testing.T) []byte { return flip(der, len(der)-1) },
			nil, attrcert.ErrBadSignature},
		{"attribute value changed", func(*testing.T) []byte {
			return flip(der, bytes.Index(der, []byte("190000001"))+8)
		}, nil, attrcert.ErrBadSignature},
		{"another holder", nil, func(o *attrcert.AttributeVerifyOptions) {
			o.Holder = issuePerson(t, p.ruc, "Петров Пётр Петрович")
		}, attrcert.ErrHolderMismatch},
		{"no holder given", nil, func(o *attrcert.AttributeVerifyOptions) { o.Holder = nil },
			attrcert.ErrHolderMismatch},
		{"expired", nil, func(o *attrcert.AttributeVerifyOptions) {
			o.CurrentTime = attributeTestTime.AddDate(0, 2, 0)
		}, attrcert.ErrExpired},
		{"not yet valid", nil, func(o *attrcert.AttributeVerifyOptions) {
			o.CurrentTime = attributeTestTime.Add(-2 * time.Hour)
		}, attrcert.ErrNotYetValid},
		{"issuer outside the trust anchors", func(t *testing.T) []byte {
			return issue(t, other.ruc, nil)
		}, func(o *attrcert.AttributeVerifyOptions) {
			o.Issuers = append(o.Issuers, other.ruc.Certificate)
		}, attrcert.ErrUnknownIssuer},
		{"issuer not an accepted authority", func(t *testing.T) []byte {
			return issue(t, other.ruc, nil)
		}, nil, attrcert.ErrUnknownIssuer},
		{"default options accept only РУЦ ГосСУОК", nil, func(o *attrcert.AttributeVerifyOptions) {
			o.Issuers, o.Roots = nil, nil
		}, attrcert.ErrUnknownIssuer},
		{"targeted at another service", nil, func(o *attrcert.AttributeVerifyOptions) {
			o.Targets = []attrcert.GeneralName{attrcert.NewDNSName("other.example.by")}
		}, attrcert.ErrNotTargeted},
		{"unknown critical extension", func(t *testing.T) []byte {
			return issue(t, p.ruc, func(tmpl *AttributeTemplate) {
				tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 65},
					Critical: true, Value: []byte{tagNull, 0}}}
			})
		}, nil, attrcert.ErrUnhandledCriticalExtension},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := der
			if tt.der != nil {
				input = tt.der(t)
			}
			opts := p.options()
			if tt.options != nil {
				tt.options(&opts)
			}

			ac, err := attrcert.ParseAttributeCertificate(input)
			require.NoError(t, err)
			_, err = ac.Verify(opts)

			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestKnownCriticalExtensionAccepted(t *testing.T) {
	p := newAttributePKI(t, "Тестовый")
	singleUse := asn1.ObjectIdentifier{2, 5, 29, 65}
	tmpl := representativeTemplate()
	tmpl.ExtraExtensions = []pkix.Extension{{Id: singleUse, Critical: true,
		Value: []byte{tagNull, 0}}}
	der, err := p.ruc.IssueAttributeCertificate(tmpl, p.holder)
	require.NoError(t, err)
	ac, err := attrcert.ParseAttributeCertificate(der)
	require.NoError(t, err)

	opts := p.options()
	opts.KnownCriticalExtensions = []asn1.ObjectIdentifier{singleUse}
	_, err = ac.Verify(opts)

	assert.NoError(t, err)
}
