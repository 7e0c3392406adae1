package attrcert

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPKI is a root, an intermediate CA below it and a leaf below that, as in
// ГосСУОК (root, РУЦ, person).
type testPKI struct {
	root, intermediate, leaf *testCert
	newKey                   keyGenerator
}

type keyGenerator func(testing.TB) testSigner

func newTestPKI(t testing.TB, newKey keyGenerator) testPKI {
	t.Helper()
	p := testPKI{newKey: newKey}
	p.root = issue(t, certSpec{commonName: "Тестовый корневой УЦ", ca: true}, newKey(t), nil)
	p.intermediate = issue(t, certSpec{commonName: "Тестовый РУЦ", ca: true}, newKey(t), p.root)
	p.leaf = issue(t, certSpec{commonName: "Иванов Иван"}, newKey(t), p.intermediate)
	return p
}

// leafBelow issues a CA of caSpec under the root and a leaf under that CA. It
// returns the leaf and options that offer the CA as the only intermediate.
func (p testPKI) leafBelow(t testing.TB, caSpec certSpec) (*Certificate, VerifyOptions) {
	t.Helper()
	ca := issue(t, caSpec, p.newKey(t), p.root)
	opts := p.options()
	opts.Intermediates = []*Certificate{ca.cert}
	return issue(t, certSpec{}, p.newKey(t), ca).cert, opts
}

func (p testPKI) options() VerifyOptions {
	return VerifyOptions{
		Roots:         NewTrustAnchors(p.root.cert),
		Intermediates: []*Certificate{p.intermediate.cert},
		CurrentTime:   testNow,
	}
}

func ecdsaKey(t testing.TB) testSigner { return newECDSASigner(t) }

func bignKey(t testing.TB) testSigner { return newBignSigner(t) }

// testAlgorithms are the key types that chain tests run with.
var testAlgorithms = []struct {
	name   string
	newKey keyGenerator
}{
	{"ECDSA", ecdsaKey},
	{"bign", bignKey},
}

func TestVerifyValidChain(t *testing.T) {
	for _, alg := range testAlgorithms {
		t.Run(alg.name, func(t *testing.T) {
			p := newTestPKI(t, alg.newKey)

			chain, err := p.leaf.cert.Verify(p.options())

			require.NoError(t, err)
			require.Len(t, chain, 3)
			assert.True(t, chain[0].Equal(p.leaf.cert), "leaf first")
			assert.True(t, chain[1].Equal(p.intermediate.cert), "intermediate second")
			assert.True(t, chain[2].Equal(p.root.cert), "root last")
		})
	}
}

func TestVerifyMixedAlgorithms(t *testing.T) {
	root := issue(t, certSpec{commonName: "Корень bign", ca: true}, bignKey(t), nil)
	ca := issue(t, certSpec{commonName: "УЦ ECDSA", ca: true}, ecdsaKey(t), root)
	leaf := issue(t, certSpec{}, bignKey(t), ca)

	chain, err := leaf.cert.Verify(VerifyOptions{
		Roots:         NewTrustAnchors(root.cert),
		Intermediates: []*Certificate{ca.cert},
		CurrentTime:   testNow,
	})

	require.NoError(t, err)
	assert.Len(t, chain, 3)
}

func TestVerifyTrustAnchorItself(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)

	chain, err := p.root.cert.Verify(p.options())

	require.NoError(t, err)
	require.Len(t, chain, 1)
	assert.True(t, chain[0].Equal(p.root.cert))
}

func TestVerifyRejections(t *testing.T) {
	day := 24 * time.Hour
	expired := certSpec{notBefore: testNow.Add(-30 * day), notAfter: testNow.Add(-day)}
	future := certSpec{notBefore: testNow.Add(day), notAfter: testNow.Add(30 * day)}

	tests := []struct {
		name string
		// build returns the leaf and the options to verify it with.
		build func(t *testing.T, p testPKI) (*Certificate, VerifyOptions)
		want  error
	}{
		{
			name: "expired leaf",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return issue(t, expired, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrExpired,
		},
		{
			name: "leaf not yet valid",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return issue(t, future, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrNotYetValid,
		},
		{
			name: "expired intermediate",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := expired
				spec.ca = true
				return p.leafBelow(t, spec)
			},
			want: ErrExpired,
		},
		{
			name: "expired root",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				opts := p.options()
				opts.CurrentTime = p.root.cert.X509.NotAfter.Add(time.Second)
				return p.leaf.cert, opts
			},
			want: ErrExpired,
		},
		{
			name: "issuer without cA",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return p.leafBelow(t, certSpec{commonName: "Не УЦ"})
			},
			want: ErrNotCA,
		},
		{
			name: "issuer without basicConstraints",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{commonName: "Без ограничений", noBasicConstraints: true,
					keyUsage: x509.KeyUsageCertSign}
				return p.leafBelow(t, spec)
			},
			want: ErrNotCA,
		},
		{
			name: "issuer keyUsage without keyCertSign",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{commonName: "Только СОС", ca: true,
					keyUsage: x509.KeyUsageCRLSign}
				return p.leafBelow(t, spec)
			},
			want: ErrNotCA,
		},
		{
			name: "issuer not in any pool",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{commonName: "Посторонний УЦ", ca: true}
				other := issue(t, spec, p.newKey(t), nil)
				return issue(t, certSpec{}, p.newKey(t), other).cert, p.options()
			},
			want: ErrUnknownIssuer,
		},
		{
			name: "missing intermediate",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				opts := p.options()
				opts.Intermediates = nil
				return p.leaf.cert, opts
			},
			want: ErrUnknownIssuer,
		},
		{
			name: "default roots do not trust a test root",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				opts := p.options()
				opts.Roots = nil
				return p.leaf.cert, opts
			},
			want: ErrUnknownIssuer,
		},
		{
			name: "issuer with the right name but another key",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				impostor := issue(t, certSpec{commonName: "Тестовый РУЦ", ca: true},
					p.newKey(t), p.root)
				opts := p.options()
				opts.Intermediates = []*Certificate{impostor.cert}
				return p.leaf.cert, opts
			},
			want: ErrBadSignature,
		},
		{
			name: "flipped bit in the signature",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				return flipLastBit(t, p.leaf.der), p.options()
			},
			want: ErrBadSignature,
		},
		{
			name: "unknown signature algorithm",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				unknown := pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 3, 4}}
				spec := certSpec{signatureAlgorithm: &unknown}
				return issue(t, spec, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrUnsupportedAlgorithm,
		},
		{
			name: "path length constraint",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				spec := certSpec{commonName: "Корень без подчиненных УЦ", ca: true,
					pathLenSet: true}
				root := issue(t, spec, p.newKey(t), nil)
				ca := issue(t, certSpec{commonName: "Подчиненный УЦ", ca: true}, p.newKey(t), root)
				opts := p.options()
				opts.Roots = NewTrustAnchors(root.cert)
				opts.Intermediates = []*Certificate{ca.cert}
				return issue(t, certSpec{}, p.newKey(t), ca).cert, opts
			},
			want: ErrPathLenConstraint,
		},
		{
			name: "chain longer than MaxChainLength",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				opts := p.options()
				opts.MaxChainLength = 2
				return p.leaf.cert, opts
			},
			want: ErrChainTooLong,
		},
		{
			name: "unknown critical extension",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				private := asn1.ObjectIdentifier{1, 2, 112, 9, 9}
				spec := certSpec{extensions: []pkix.Extension{
					{Id: private, Critical: true, Value: []byte{tagNull, 0}},
				}}
				return issue(t, spec, p.newKey(t), p.intermediate).cert, p.options()
			},
			want: ErrUnhandledCriticalExtension,
		},
		{
			name: "critical nameConstraints on a CA",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				// permittedSubtrees: dNSName b.by
				constraints := []byte{0x30, 0x0a, 0xa0, 0x08, 0x30, 0x06,
					0x82, 0x04, 'b', '.', 'b', 'y'}
				spec := certSpec{commonName: "УЦ с ограничениями", ca: true,
					extensions: []pkix.Extension{
						{Id: oidNameConstraints, Critical: true, Value: constraints},
					}}
				return p.leafBelow(t, spec)
			},
			want: ErrUnhandledCriticalExtension,
		},
		{
			name: "policy rejects the chain",
			build: func(t *testing.T, p testPKI) (*Certificate, VerifyOptions) {
				opts := p.options()
				opts.Policy = IssuedByRUC
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

				chain, err := leaf.Verify(opts)

				assert.ErrorIs(t, err, tt.want)
				assert.Nil(t, chain)
			})
		}
	}
}

// flipLastBit returns the certificate with the last bit of its DER inverted,
// which lies in the signature value.
var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

func flipLastBit(t *testing.T, der []byte) *Certificate {
	t.Helper()
	flipped := append([]byte(nil), der...)
	flipped[len(flipped)-1] ^= 1
	cert, err := ParseCertificate(flipped)
	require.NoError(t, err)
	return cert
}

func TestVerifyErrorNamesCertificate(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)
	opts := p.options()
	opts.CurrentTime = p.leaf.cert.X509.NotAfter.Add(time.Hour)

	_, err := p.leaf.cert.Verify(opts)

	require.ErrorIs(t, err, ErrExpired)
	assert.Contains(t, err.Error(), `"Иванов Иван"`)
}

func TestVerifyKnownCriticalExtension(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)
	private := asn1.ObjectIdentifier{1, 2, 112, 9, 9}
	extension := pkix.Extension{Id: private, Critical: true, Value: []byte{tagNull, 0}}
	spec := certSpec{extensions: []pkix.Extension{extension}}
	leaf := issue(t, spec, ecdsaKey(t), p.intermediate)
	opts := p.options()
	opts.KnownCriticalExtensions = []asn1.ObjectIdentifier{private}

	chain, err := leaf.cert.Verify(opts)

	require.NoError(t, err)
	assert.Len(t, chain, 3)
}

func TestVerifyPrefersMatchingKeyIdentifier(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)
	// Same name as the real intermediate, another key and a subjectKeyIdentifier
	// that does not match the leaf's authorityKeyIdentifier.
	impostor := issue(t, certSpec{commonName: "Тестовый РУЦ", ca: true}, ecdsaKey(t), p.root)
	opts := p.options()

	for _, order := range [][]*Certificate{
		{impostor.cert, p.intermediate.cert},
		{p.intermediate.cert, impostor.cert},
	} {
		opts.Intermediates = order
		chain, err := p.leaf.cert.Verify(opts)

		require.NoError(t, err)
		require.Len(t, chain, 3)
		assert.True(t, chain[1].Equal(p.intermediate.cert))
	}
}

func TestVerifyMismatchedKeyIdentifierStillTried(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)
	leaf := issue(t, certSpec{authorityKeyID: []byte{1, 2, 3}}, ecdsaKey(t), p.intermediate)

	chain, err := leaf.cert.Verify(p.options())

	require.NoError(t, err)
	assert.Len(t, chain, 3)
}

func TestVerifyStopsOnLoop(t *testing.T) {
	// Two CAs that certify each other and no trust anchor above them.
	keyA, keyB := ecdsaKey(t), ecdsaKey(t)
	selfA := issue(t, certSpec{commonName: "УЦ А", ca: true}, keyA, nil)
	selfB := issue(t, certSpec{commonName: "УЦ Б", ca: true}, keyB, nil)
	aByB := issue(t, certSpec{commonName: "УЦ А", ca: true}, keyA, selfB)
	bByA := issue(t, certSpec{commonName: "УЦ Б", ca: true}, keyB, selfA)
	leaf := issue(t, certSpec{}, ecdsaKey(t), selfA)
	root := issue(t, certSpec{commonName: "Посторонний корень", ca: true}, ecdsaKey(t), nil)

	_, err := leaf.cert.Verify(VerifyOptions{
		Roots:         NewTrustAnchors(root.cert),
		Intermediates: []*Certificate{aByB.cert, bByA.cert},
		CurrentTime:   testNow,
	})

	require.ErrorIs(t, err, ErrUnknownIssuer)
	assert.Contains(t, err.Error(), "loop")
}

func TestVerifySignatureCheckLimit(t *testing.T) {
	// Many CAs with one name, each certified by every other, make the number of
	// paths grow factorially: the search must give up instead.
	const n = 12
	keys := make([]testSigner, n)
	selfSigned := make([]*testCert, n)
	for i := range keys {
		keys[i] = ecdsaKey(t)
		selfSigned[i] = issue(t, certSpec{commonName: "Размноженный УЦ", ca: true}, keys[i], nil)
	}
	var intermediates []*Certificate
	for i := range keys {
		for j := range keys {
			if i != j {
				spec := certSpec{commonName: "Размноженный УЦ", ca: true}
				c := issue(t, spec, keys[i], selfSigned[j])
				intermediates = append(intermediates, c.cert)
			}
		}
	}
	leaf := issue(t, certSpec{}, ecdsaKey(t), selfSigned[0])
	root := issue(t, certSpec{commonName: "Посторонний корень", ca: true}, ecdsaKey(t), nil)

	_, err := leaf.cert.Verify(VerifyOptions{
		Roots:          NewTrustAnchors(root.cert),
		Intermediates:  intermediates,
		CurrentTime:    testNow,
		MaxChainLength: 20,
	})

	require.ErrorIs(t, err, ErrChainTooLong)
	assert.Contains(t, err.Error(), "signature checks")
}

func TestCheckSignatureFrom(t *testing.T) {
	p := newTestPKI(t, ecdsaKey)

	assert.NoError(t, p.leaf.cert.CheckSignatureFrom(p.intermediate.cert), "leaf under its issuer")
	assert.NoError(t, p.root.cert.CheckSignatureFrom(p.root.cert), "root under itself")
	assert.ErrorIs(t, p.leaf.cert.CheckSignatureFrom(p.root.cert), ErrBadSignature,
		"leaf under another CA")
	assert.ErrorIs(t, p.intermediate.cert.CheckSignatureFrom(p.leaf.cert), ErrNotCA,
		"intermediate under a leaf")
}
