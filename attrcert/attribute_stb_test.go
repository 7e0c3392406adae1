package attrcert

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example certificates of STB 34.101.67 (Appendix В), re-encoded from the
// standard's listing: Sofia, a source of authority certified by Trent, and the
// attribute certificate that Sofia issued to Alice. Both are signed with bign.
func readSTBExample(t testing.TB) (*AttributeCertificate, *Certificate) {
	t.Helper()
	acDER, err := os.ReadFile("testdata/stb67/alice-ac.der")
	require.NoError(t, err)
	ac, err := ParseAttributeCertificate(acDER)
	require.NoError(t, err)
	sofia, _ := readTestCertificate(t, "stb67/sofia.cer")
	return ac, sofia
}

var stbExampleTime = time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC)

func TestParseSTBExample(t *testing.T) {
	ac, sofia := readSTBExample(t)

	assert.Equal(t, 2, ac.Version)
	assert.Equal(t, "40e458ae825a024300000001", ac.SerialNumber.Text(16))
	assert.Equal(t, time.Date(2014, 1, 30, 7, 52, 52, 0, time.UTC), ac.NotBefore)
	assert.Equal(t, time.Date(2016, 1, 30, 20, 59, 59, 0, time.UTC), ac.NotAfter)
	assert.Equal(t, oidBignWithHbelt, ac.SignatureAlgorithm)
	assert.Len(t, ac.Signature, 48)

	require.Nil(t, ac.Holder.BaseCertificateID)
	require.Len(t, ac.Holder.EntityName, 1)
	holder, err := ac.Holder.EntityName[0].Name()
	require.NoError(t, err)
	assert.Equal(t, "Alice", holder.CommonName)
	assert.Equal(t, []string{"BY"}, holder.Country)

	require.Len(t, ac.Issuer.Name, 1)
	assert.Equal(t, sofia.X509.RawSubject, ac.Issuer.Name[0].DirectoryName)

	email, ok := ac.AttributeString(asn1OID(1, 2, 840, 113549, 1, 9, 1))
	assert.True(t, ok)
	assert.Equal(t, "alice@sofiamail.by", email)

	require.Len(t, ac.Extensions, 2)
	assert.Equal(t, sofia.X509.SubjectKeyId, ac.AuthorityKeyID)
}

func TestVerifySTBExample(t *testing.T) {
	ac, sofia := readSTBExample(t)
	opts := AttributeVerifyOptions{
		Issuers:         []*Certificate{sofia},
		Roots:           NewTrustAnchors(sofia),
		CurrentTime:     stbExampleTime,
		SkipHolderCheck: true,
	}

	chain, err := ac.Verify(opts)

	require.NoError(t, err)
	require.Len(t, chain, 1)
	assert.True(t, chain[0].Equal(sofia))
	assert.NoError(t, ac.CheckSignatureFrom(sofia))
}
