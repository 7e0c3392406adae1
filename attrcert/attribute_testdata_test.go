package attrcert_test

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

// The files in testdata/attribute come from the fake PKI: a test root, a test
// РУЦ that acts as the attribute authority, a legal representative's
// certificate and the representative's attribute certificate. The keys are
// random, so regenerating changes every file:
//
//	go test ./attrcert -run TestAttributeTestdata -update-attribute-testdata
var updateAttributeTestdata = flag.Bool("update-attribute-testdata", false,
	"regenerate testdata/attribute with the fake PKI")

// attributeExampleTime is a time at which every file of testdata/attribute is
// valid.
var attributeExampleTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var attributeTestdataFiles = []string{"root.cer", "ruc.cer", "holder.cer", "holder-ac.der"}

func TestAttributeTestdata(t *testing.T) {
	if *updateAttributeTestdata {
		writeAttributeTestdata(t)
	}
	files := make(map[string][]byte)
	for _, name := range attributeTestdataFiles {
		der, err := os.ReadFile(filepath.Join("testdata", "attribute", name))
		require.NoError(t, err)
		files[name] = der
	}
	parse := func(name string) *attrcert.Certificate {
		cert, err := attrcert.ParseCertificate(files[name])
		require.NoError(t, err, name)
		return cert
	}
	ac, err := attrcert.ParseAttributeCertificate(files["holder-ac.der"])
	require.NoError(t, err)

	_, err = ac.Verify(attrcert.AttributeVerifyOptions{
		Holder:      parse("holder.cer"),
		Issuers:     []*attrcert.Certificate{parse("ruc.cer")},
		Roots:       attrcert.NewTrustAnchors(parse("root.cer")),
		CurrentTime: attributeExampleTime,
	})

	assert.NoError(t, err)
}

func writeAttributeTestdata(t *testing.T) {
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)
	root, err := pki.NewRoot(pkix.Name{CommonName: "Тестовый корневой УЦ",
		Country: []string{"BY"}}, from, to)
	require.NoError(t, err)
	ruc, err := root.NewAuthority(pkix.Name{CommonName: "Тестовый РУЦ",
		Organization: []string{"Тестовый оператор"}, Country: []string{"BY"}}, from, to)
	require.NoError(t, err)

	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	holderDER, err := ruc.Issue(pki.Template{
		Subject: pkix.Name{CommonName: "Иванов Иван Иванович",
			Organization: []string{"ООО «Тестовая организация»"}, Country: []string{"BY"}},
		NotBefore: from, NotAfter: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
	}, key.PublicKey())
	require.NoError(t, err)
	holder, err := attrcert.ParseCertificate(holderDER)
	require.NoError(t, err)

	acDER, err := ruc.IssueAttributeCertificate(pki.AttributeTemplate{
		SerialNumber: big.NewInt(0x2025_0001),
		NotBefore:    time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC),
		Attributes: []pki.Attribute{
			pki.StringAttribute(attrcert.OIDUNP, "190000001"),
			pki.StringAttribute(attrcert.OIDOrganizationName, "ООО «Тестовая организация»"),
			pki.StringAttribute(attrcert.OIDTitle, "Директор"),
			pki.StringAttribute(attrcert.OIDPersonalNumber, "3150385A001PB6"),
			{Type: attrcert.OIDRole, Values: []any{
				attrcert.Role{Name: attrcert.NewURIName("urn:esiful:role:head")}}},
			{Type: attrcert.OIDPermission, Values: []any{
				attrcert.Permission{Operation: "подписание", Object: "договоры"},
				attrcert.Permission{Operation: "чтение", Object: "отчёты"}}},
			{Type: asn1.ObjectIdentifier{1, 2, 112, 0, 2, 0, 99, 1}, Values: []any{"test"}},
		},
		HolderEntityName:      true,
		NoRevocationAvailable: true,
	}, holder)
	require.NoError(t, err)

	files := map[string][]byte{"root.cer": root.DER, "ruc.cer": ruc.DER,
		"holder.cer": holderDER, "holder-ac.der": acDER}
	require.NoError(t, os.MkdirAll(filepath.Join("testdata", "attribute"), 0o755))
	for name, der := range files {
		require.NoError(t, os.WriteFile(filepath.Join("testdata", "attribute", name), der, 0o644))
	}
}
