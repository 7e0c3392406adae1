package attrcert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseCertificate checks that ParseCertificate never panics, that every
// error it returns is a *ParseError pointing into the input, and that a parsed
// certificate survives signature and chain checks without panicking.
func FuzzParseCertificate(f *testing.F) {
	for _, name := range []string{"kuc.cer", "ruc.cer"} {
		_, der := readTestCertificate(f, name)
		f.Add(der)
		f.Add(der[:len(der)/2])
	}
	p := newTestPKI(f, ecdsaKey)
	f.Add(p.leaf.der)
	f.Add(p.root.der)
	f.Add([]byte{})
	f.Add([]byte{0x30, 0x80})

	f.Fuzz(func(t *testing.T, der []byte) {
		cert, err := ParseCertificate(der)
		if err != nil {
			var parseErr *ParseError
			require.ErrorAs(t, err, &parseErr)
			assert.GreaterOrEqual(t, parseErr.Offset, 0)
			assert.LessOrEqual(t, parseErr.Offset, len(der))
			return
		}

		assert.Equal(t, der, cert.X509.Raw)
		_ = cert.CheckSignatureFrom(cert)
		_, _ = cert.Verify(VerifyOptions{
			Intermediates: []*Certificate{RUC(), cert},
			CurrentTime:   gosSUOKTime,
		})
	})
}
