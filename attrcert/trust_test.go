package attrcert

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readTestCertificate(t testing.TB, name string) (*Certificate, []byte) {
	t.Helper()
	der, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	cert, err := ParseCertificate(der)
	require.NoError(t, err, name)
	return cert, der
}

func TestEmbeddedCertificatesMatchTestdata(t *testing.T) {
	_, kucDER := readTestCertificate(t, "kuc.cer")
	_, rucDER := readTestCertificate(t, "ruc.cer")

	assert.Equal(t, kucDER, GosSUOKRoot().X509.Raw, "GosSUOKRoot")
	assert.Equal(t, rucDER, RUC().X509.Raw, "RUC")
}

func TestGosSUOKRootAndRUCFields(t *testing.T) {
	root, ruc := GosSUOKRoot(), RUC()

	assert.Equal(t, "Корневой удостоверяющий центр ГосСУОК", root.X509.Subject.CommonName)
	assert.Equal(t, "Республиканский удостоверяющий центр ГосСУОК", ruc.X509.Subject.CommonName)
	assert.Equal(t, root.X509.RawSubject, root.X509.RawIssuer, "root is self-issued")
	assert.Equal(t, root.X509.RawSubject, ruc.X509.RawIssuer, "РУЦ is issued by the root")
	assert.Equal(t, root.X509.SubjectKeyId, ruc.X509.AuthorityKeyId, "key identifiers")
	assert.True(t, root.X509.IsCA)
	assert.True(t, ruc.X509.IsCA)
	assert.Equal(t, 2034, root.X509.NotAfter.Year())
	assert.Equal(t, 2029, ruc.X509.NotAfter.Year())
}

func TestGosSUOKRootReturnsCopies(t *testing.T) {
	first := GosSUOKRoot()
	first.X509.Subject.CommonName = "changed"

	assert.Equal(t, "Корневой удостоверяющий центр ГосСУОК", GosSUOKRoot().X509.Subject.CommonName)
	assert.Equal(t, "Корневой удостоверяющий центр ГосСУОК", gossuokRoot().X509.Subject.CommonName)
}

func TestTrustAnchors(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)
	var anchors TrustAnchors // the zero value is usable

	anchors.Add(p.root.cert)
	anchors.Add(p.root.cert)
	anchors.Add(nil)
	anchors.Add(p.intermediate.cert)

	assert.Len(t, anchors.Certificates(), 2, "duplicates and nil ignored")
	assert.True(t, anchors.Contains(p.root.cert))
	assert.True(t, anchors.Contains(p.intermediate.cert))
	assert.False(t, anchors.Contains(p.leaf.cert))
	assert.True(t, anchors.Certificates()[0].Equal(p.root.cert), "insertion order")
}

func TestGosSUOKTrustAnchors(t *testing.T) {
	anchors := GosSUOKTrustAnchors()

	assert.Len(t, anchors.Certificates(), 1)
	assert.True(t, anchors.Contains(GosSUOKRoot()))
	assert.False(t, anchors.Contains(RUC()))
}

func TestIssuedBy(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, p testPKI) (*Certificate, VerifyOptions)
		want  error // nil when the chain is accepted
	}{
		{
			name: "leaf issued by the required CA",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return p.leaf.cert, p.options()
			},
		},
		{
			name: "required CA reissued with the same name and key",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := p.intermediate.spec
				spec.serial = 0
				reissued := issue(t, spec, p.intermediate.key, p.root)
				opts := p.options()
				opts.Intermediates = []*Certificate{reissued.cert}
				return p.leaf.cert, opts
			},
		},
		{
			name: "leaf issued directly by the root",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return issue(t, certSpec{}, p.newKey(t), p.root).cert, p.options()
			},
			want: ErrWrongIssuer,
		},
		{
			name: "trust anchor itself",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return p.root.cert, p.options()
			},
			want: ErrWrongIssuer,
		},
		{
			name: "authorityKeyIdentifier of another key",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{authorityKeyID: []byte{9, 9, 9}}
				return issue(t, spec, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrWrongIssuer,
		},
		{
			name: "authorityKeyIdentifier missing",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{noAuthorityKeyID: true}
				return issue(t, spec, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrWrongIssuer,
		},
		{
			name: "required CA certified by another root of the same name",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				otherRoot := issue(t, p.root.spec, p.newKey(t), nil)
				crossed := issue(t, p.intermediate.spec, p.intermediate.key, otherRoot)
				opts := p.options()
				opts.Roots = NewTrustAnchors(otherRoot.cert)
				opts.Intermediates = []*Certificate{crossed.cert}
				return p.leaf.cert, opts
			},
			want: ErrWrongIssuer,
		},
	}

	for _, alg := range testAlgorithms {
		for _, tt := range tests {
			t.Run(alg.name+"/"+tt.name, func(t *testing.T) {
				p := newTestPKI(t, alg.newKey)
				leaf, opts := tt.build(t, p)
				opts.Policy = IssuedBy(p.intermediate.cert, p.root.cert)

				chain, err := leaf.Verify(opts)

				if tt.want == nil {
					require.NoError(t, err)
					assert.Len(t, chain, 3)
					return
				}
				assert.ErrorIs(t, err, tt.want)
				assert.Nil(t, chain)
			})
		}
	}
}

func TestIdentificationOptions(t *testing.T) {
	opts := IdentificationOptions()

	require.NotNil(t, opts.Roots)
	assert.True(t, opts.Roots.Contains(GosSUOKRoot()))
	require.Len(t, opts.Intermediates, 1)
	assert.True(t, opts.Intermediates[0].Equal(RUC()))
	assert.NotNil(t, opts.Policy)
	assert.True(t, opts.CurrentTime.IsZero(), "verifies at the current time")
}

// gosSUOKTime is a time at which both ГосСУОК certificates are valid.
var gosSUOKTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
