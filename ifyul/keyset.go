package ifyul

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// jwksKeySet is an oidc.KeySet that fetches the provider's JWKS, caches it
// for cacheTTL, and fetches it again when a token names an unknown key, at
// most once per minRefresh so that forged key IDs cannot flood the provider.
type jwksKeySet struct {
	c          *Client
	url        string
	algs       []jose.SignatureAlgorithm
	cacheTTL   time.Duration
	minRefresh time.Duration

	mu        sync.Mutex
	keys      []jose.JSONWebKey
	fetchedAt time.Time
	// attemptedAt is the time of the latest fetch, failed or not: the
	// rate limit counts failed fetches too.
	attemptedAt time.Time
}

func newJWKSKeySet(c *Client, url string, algs []string) *jwksKeySet {
	ks := &jwksKeySet{c: c, url: url, cacheTTL: time.Hour, minRefresh: 10 * time.Second}
	for _, alg := range algs {
		ks.algs = append(ks.algs, jose.SignatureAlgorithm(alg))
	}
	return ks
}

// VerifySignature implements oidc.KeySet.
func (ks *jwksKeySet) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSigned(raw, ks.algs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: %d signatures, expected 1", ErrBadSignature, len(jws.Signatures))
	}
	kid := jws.Signatures[0].Header.KeyID

	keys, err := ks.keysFor(ctx, kid)
	if err != nil {
		return nil, err
	}
	for _, key := range keys {
		if kid != "" && key.KeyID != kid {
			continue
		}
		if payload, err := jws.Verify(key); err == nil {
			return payload, nil
		}
	}
	return nil, fmt.Errorf("%w: no key of %s verifies it (kid %q)", ErrBadSignature, ks.url, kid)
}

// keysFor returns the cached keys, refreshing them when they are older
// than cacheTTL, or when they do not include kid and the latest fetch was
// more than minRefresh ago.
func (ks *jwksKeySet) keysFor(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()

	now := ks.c.cfg.Now()
	stale := ks.keys == nil || now.Sub(ks.fetchedAt) > ks.cacheTTL
	missing := kid != "" && !hasKeyID(ks.keys, kid) && now.Sub(ks.attemptedAt) > ks.minRefresh
	if !stale && !missing {
		return ks.keys, nil
	}
	ks.attemptedAt = now

	var set jose.JSONWebKeySet
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ks.url, nil)
	if err != nil {
		return nil, fmt.Errorf("ifyul: JWKS: %w", err)
	}
	if err := ks.c.do(req, sourceProvider, &set); err != nil {
		if ks.keys != nil && !stale {
			return ks.keys, nil
		}
		return nil, fmt.Errorf("ifyul: fetching JWKS: %w", err)
	}
	ks.keys = set.Keys
	ks.fetchedAt = now
	return ks.keys, nil
}

func hasKeyID(keys []jose.JSONWebKey, kid string) bool {
	for _, k := range keys {
		if k.KeyID == kid {
			return true
		}
	}
	return false
}

// keySetOutcome records the key set's result during one verification, so
// that a failure of go-oidc's verifier, whose messages do not wrap, can be
// told apart: an unreachable key set, a bad signature, or a claim check.
type keySetOutcome struct {
	called bool
	err    error
}

type outcomeKey struct{}

// recordingKeySet wraps a key set and records its outcome in the context.
type recordingKeySet struct{ inner oidc.KeySet }

func (r recordingKeySet) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	payload, err := r.inner.VerifySignature(ctx, raw)
	if outcome, ok := ctx.Value(outcomeKey{}).(*keySetOutcome); ok {
		outcome.called = true
		outcome.err = err
	}
	return payload, err
}

// signatureFailure returns the error to report when the key set failed.
func (o *keySetOutcome) signatureFailure() error {
	if errors.Is(o.err, ErrProviderUnavailable) || errors.Is(o.err, ErrBadSignature) {
		return o.err
	}
	return fmt.Errorf("%w: %w", ErrBadSignature, o.err)
}
