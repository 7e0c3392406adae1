package attrcert

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseAttributeCertificate checks that ParseAttributeCertificate never
// panics, that every error it returns is a *ParseError pointing into the input,
// and that a parsed certificate survives verification and the formatting of its
// names without panicking.
func FuzzParseAttributeCertificate(f *testing.F) {
	stb, sofia := readSTBExample(f)
	fixture := newACFixture(f, bignKey)
	fake, err := readFile("attribute/holder-ac.der")
	require.NoError(f, err)
	fakeRUC, _ := readTestCertificate(f, "attribute/ruc.cer")
	for _, der := range [][]byte{stb.Raw, fixture.der, fake} {
		f.Add(der)
		f.Add(der[:len(der)/2])
	}
	_, kuc := readTestCertificate(f, "kuc.cer")
	f.Add(kuc)
	f.Add([]byte{})
	f.Add([]byte{tagSequence, 0x80})

	issuers := []*Certificate{sofia, fakeRUC, fixture.pki.intermediate.cert}
	f.Fuzz(func(t *testing.T, der []byte) {
		ac, err := ParseAttributeCertificate(der)
		if err != nil {
			var parseErr *ParseError
			require.ErrorAs(t, err, &parseErr)
			assert.GreaterOrEqual(t, parseErr.Offset, 0)
			assert.LessOrEqual(t, parseErr.Offset, len(der))
			return
		}

		assert.Equal(t, der, ac.Raw)
		assert.True(t, bytes.Contains(ac.Raw, ac.RawAttrCertInfo))
		for _, names := range [][]GeneralName{ac.Holder.EntityName, ac.Issuer.Name} {
			for _, n := range names {
				_ = n.String()
			}
		}
		_, _ = ac.Verify(AttributeVerifyOptions{
			Holder:      fixture.pki.leaf.cert,
			Issuers:     issuers,
			Roots:       NewTrustAnchors(sofia, fixture.pki.root.cert),
			CurrentTime: testNow,
			Targets:     []GeneralName{NewDNSName("kpsis.by")},
		})
	})
}
