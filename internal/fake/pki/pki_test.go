package pki

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/bign"
)

func TestIssuedChainVerifies(t *testing.T) {
	now := time.Now()
	root, err := NewRoot(pkix.Name{CommonName: "Тестовый корневой УЦ", Country: []string{"BY"}},
		now.Add(-time.Hour), now.Add(24*time.Hour))
	require.NoError(t, err)
	ruc, err := root.NewAuthority(pkix.Name{CommonName: "Тестовый РУЦ", Country: []string{"BY"}},
		now.Add(-time.Hour), now.Add(24*time.Hour))
	require.NoError(t, err)

	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ruc.Issue(Template{Subject: pkix.Name{CommonName: "КПСИС test-system"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour)}, key.PublicKey())
	require.NoError(t, err)

	leaf, err := attrcert.ParseCertificate(der)
	require.NoError(t, err)
	assert.True(t, key.PublicKey().Equal(leaf.PublicKey), "the certificate carries the key")
	assert.Equal(t, "КПСИС test-system", leaf.X509.Subject.CommonName)

	chain, err := leaf.Verify(attrcert.VerifyOptions{
		Roots:         attrcert.NewTrustAnchors(root.Certificate),
		Intermediates: []*attrcert.Certificate{ruc.Certificate},
		Policy:        attrcert.IssuedBy(ruc.Certificate, root.Certificate),
	})
	require.NoError(t, err)
	assert.Len(t, chain, 3)
}

func TestLeafCannotIssue(t *testing.T) {
	now := time.Now()
	root, err := NewRoot(pkix.Name{CommonName: "root"}, now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := root.Issue(Template{Subject: pkix.Name{CommonName: "leaf"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour)}, key.PublicKey())
	require.NoError(t, err)
	leaf, err := attrcert.ParseCertificate(der)
	require.NoError(t, err)

	assert.False(t, leaf.X509.IsCA)
	assert.Equal(t, root.SubjectKeyID(), leaf.X509.AuthorityKeyId)
}
