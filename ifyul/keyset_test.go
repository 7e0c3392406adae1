package ifyul

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manualClock is a time source that moves only when a test advances it.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// jwksServer serves a JWKS that a test can change or break, and counts the
// requests.
type jwksServer struct {
	url      string
	requests atomic.Int64

	mu     sync.Mutex
	keys   []jose.JSONWebKey
	broken bool
}

func newJWKSServer(t *testing.T, keys ...*testSigningKey) *jwksServer {
	t.Helper()
	s := &jwksServer{}
	s.publish(keys...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.broken {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: s.keys})
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL + "/jwks"
	return s
}

func (s *jwksServer) publish(keys ...*testSigningKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = nil
	for _, k := range keys {
		s.keys = append(s.keys, jose.JSONWebKey{Key: &k.key.PublicKey, KeyID: k.id,
			Algorithm: "ES256", Use: "sig"})
	}
}

func (s *jwksServer) setBroken(broken bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken = broken
}

func (s *jwksServer) count() int { return int(s.requests.Load()) }

// testSigningKey is an ES256 key with its key ID.
type testSigningKey struct {
	key *ecdsa.PrivateKey
	id  string
}

func newTestSigningKey(t testing.TB, id string) *testSigningKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return &testSigningKey{key: key, id: id}
}

// sign returns a compact JWS of the payload naming kid (none if empty).
func (k *testSigningKey) sign(t testing.TB, kid string, payload string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256,
		Key: jose.JSONWebKey{Key: k.key, KeyID: kid}}, nil)
	require.NoError(t, err)
	jws, err := signer.Sign([]byte(payload))
	require.NoError(t, err)
	raw, err := jws.CompactSerialize()
	require.NoError(t, err)
	return raw
}

func newTestKeySet(t *testing.T, server *jwksServer, clk *manualClock) *jwksKeySet {
	t.Helper()
	c := newTestClient(t, func(cfg *Config) { cfg.Now = clk.Now })
	return newJWKSKeySet(c, server.url, []string{"ES256"})
}

func TestJWKSKeySetCachesKeys(t *testing.T) {
	keyA := newTestSigningKey(t, "a")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)

	for range 3 {
		payload, err := ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{"n":1}`))
		require.NoError(t, err)
		assert.JSONEq(t, `{"n":1}`, string(payload))
		clk.Advance(time.Minute)
	}
	assert.Equal(t, 1, server.count())
}

func TestJWKSKeySetFollowsKeyRotation(t *testing.T) {
	keyA, keyB := newTestSigningKey(t, "a"), newTestSigningKey(t, "b")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)
	_, err := ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	require.NoError(t, err)
	server.publish(keyB, keyA)

	_, err = ks.VerifySignature(t.Context(), keyB.sign(t, "b", `{}`))
	assert.ErrorIs(t, err, ErrBadSignature, "a refetch within minRefresh is not made")
	assert.Equal(t, 1, server.count())

	clk.Advance(ks.minRefresh + time.Second)
	_, err = ks.VerifySignature(t.Context(), keyB.sign(t, "b", `{}`))
	assert.NoError(t, err, "the new key is fetched")
	assert.Equal(t, 2, server.count())

	_, err = ks.VerifySignature(t.Context(), keyB.sign(t, "b", `{}`))
	assert.NoError(t, err)
	_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	assert.NoError(t, err, "the old key stays usable")
	assert.Equal(t, 2, server.count())
}

func TestJWKSKeySetLimitsRefetchRate(t *testing.T) {
	keyA := newTestSigningKey(t, "a")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)

	// Each period of minRefresh allows one refetch, however many tokens
	// name unknown keys in it.
	for period := 1; period <= 3; period++ {
		for i := range 5 {
			kid := "forged-" + string(rune('a'+period)) + string(rune('a'+i))
			_, err := ks.VerifySignature(t.Context(), keyA.sign(t, kid, `{}`))
			assert.ErrorIs(t, err, ErrBadSignature)
			assert.ErrorContains(t, err, kid)
		}
		assert.Equal(t, period, server.count(), "period %d", period)
		clk.Advance(ks.minRefresh + time.Second)
	}
}

func TestJWKSKeySetLimitsFailedRefetches(t *testing.T) {
	keyA := newTestSigningKey(t, "a")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)
	_, err := ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	require.NoError(t, err)
	server.setBroken(true)
	clk.Advance(ks.minRefresh + time.Second)

	for range 3 {
		_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "unknown", `{}`))
		assert.ErrorIs(t, err, ErrBadSignature)
	}
	assert.Equal(t, 2, server.count(), "a failed refetch counts against the limit")

	_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	assert.NoError(t, err, "the cached keys serve while the JWKS is unreachable")
}

func TestJWKSKeySetCacheTTL(t *testing.T) {
	keyA, keyB := newTestSigningKey(t, "a"), newTestSigningKey(t, "b")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)
	_, err := ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	require.NoError(t, err)

	clk.Advance(ks.cacheTTL - time.Second)
	_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	require.NoError(t, err)
	assert.Equal(t, 1, server.count(), "within the TTL the cache serves")

	server.publish(keyB)
	clk.Advance(2 * time.Second)
	_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	assert.ErrorIs(t, err, ErrBadSignature, "a withdrawn key stops working after the TTL")
	assert.Equal(t, 2, server.count())
}

func TestJWKSKeySetStaleAndUnreachable(t *testing.T) {
	keyA := newTestSigningKey(t, "a")
	server := newJWKSServer(t, keyA)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)
	_, err := ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	require.NoError(t, err)
	server.setBroken(true)
	clk.Advance(ks.cacheTTL + time.Second)

	_, err = ks.VerifySignature(t.Context(), keyA.sign(t, "a", `{}`))
	assert.ErrorIs(t, err, ErrProviderUnavailable)
	assert.ErrorContains(t, err, "fetching JWKS")
}

func TestJWKSKeySetTokenWithoutKeyID(t *testing.T) {
	keyA, keyB := newTestSigningKey(t, "a"), newTestSigningKey(t, "b")
	server := newJWKSServer(t, keyA, keyB)
	clk := &manualClock{now: time.Now()}
	ks := newTestKeySet(t, server, clk)

	_, err := ks.VerifySignature(t.Context(), keyB.sign(t, "", `{}`))
	assert.NoError(t, err, "every published key is tried")
	_, err = ks.VerifySignature(t.Context(), newTestSigningKey(t, "").sign(t, "", `{}`))
	assert.ErrorIs(t, err, ErrBadSignature)
	assert.Equal(t, 1, server.count(), "a token without kid causes no refetch")
}

func TestJWKSKeySetRejectsAlgorithms(t *testing.T) {
	keyA := newTestSigningKey(t, "a")
	server := newJWKSServer(t, keyA)
	ks := newTestKeySet(t, server, &manualClock{now: time.Now()})
	hmacSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256,
		Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
	require.NoError(t, err)
	hmacJWS, err := hmacSigner.Sign([]byte(`{}`))
	require.NoError(t, err)
	hmacToken, err := hmacJWS.CompactSerialize()
	require.NoError(t, err)

	cases := []struct {
		name  string
		token string
	}{
		{"none", "eyJhbGciOiJub25lIn0.e30."},
		{"HS256", hmacToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ks.VerifySignature(t.Context(), tc.token)
			assert.ErrorIs(t, err, ErrBadSignature)
			assert.ErrorContains(t, err, "unexpected signature algorithm")
		})
	}
	assert.Equal(t, 0, server.count(), "the algorithm is checked before any fetch")
}
