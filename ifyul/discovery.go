package ifyul

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
)

// discovery is the part of the provider's OpenID configuration the SDK uses.
type discovery struct {
	Issuer                 string   `json:"issuer"`
	AuthorizationEndpoint  string   `json:"authorization_endpoint"`
	TokenEndpoint          string   `json:"token_endpoint"`
	UserinfoEndpoint       string   `json:"userinfo_endpoint"`
	JWKSURI                string   `json:"jwks_uri"`
	EndSessionEndpoint     string   `json:"end_session_endpoint"`
	SigningAlgorithms      []string `json:"id_token_signing_alg_values_supported"`
	IssParameterSupported  bool     `json:"authorization_response_iss_parameter_supported"`
	CodeChallengeMethods   []string `json:"code_challenge_methods_supported"`
	ResponseTypesSupported []string `json:"response_types_supported"`
}

// providerInfo is the discovered provider with what is built from it once.
type providerInfo struct {
	meta   discovery
	keySet oidc.KeySet
	algs   []string
}

// providerCache fetches the discovery document on first use and keeps it.
// A failed fetch is not kept, so the next login tries again: the SDK starts
// while the provider is down and works once it is back.
type providerCache struct {
	mu   sync.Mutex
	info *providerInfo
}

// provider returns the discovered provider, fetching it if needed.
func (c *Client) provider(ctx context.Context) (*providerInfo, error) {
	c.providers.mu.Lock()
	defer c.providers.mu.Unlock()
	if c.providers.info != nil {
		return c.providers.info, nil
	}

	var meta discovery
	wellKnown := strings.TrimSuffix(c.cfg.Authority, "/") + "/.well-known/openid-configuration"
	if err := c.getJSON(ctx, sourceProvider, wellKnown, &meta); err != nil {
		return nil, fmt.Errorf("ifyul: discovery: %w", err)
	}
	if meta.Issuer != c.cfg.Authority {
		return nil, fmt.Errorf("%w: discovery names issuer %q, expected %q",
			ErrWrongIssuer, meta.Issuer, c.cfg.Authority)
	}
	if meta.EndSessionEndpoint == "" {
		// The real provider ends sessions at /session/end without, as far
		// as is known, advertising it.
		meta.EndSessionEndpoint = strings.TrimSuffix(meta.Issuer, "/") + "/session/end"
	}

	algs, err := allowedAlgorithms(c.cfg.SigningAlgorithms, meta.SigningAlgorithms)
	if err != nil {
		return nil, err
	}
	info := &providerInfo{meta: meta, algs: algs}
	var keySet oidc.KeySet = newJWKSKeySet(c, meta.JWKSURI, algs)
	if c.cfg.KeySet != nil {
		keySet = c.cfg.KeySet
	}
	info.keySet = recordingKeySet{inner: keySet}
	c.providers.info = info
	return info, nil
}

// asymmetricAlgorithms are the JWS algorithms an ID token may use. "none"
// and the HMAC algorithms are left out: a relying party must not accept an
// unsigned token, and an HMAC key shared with the client proves nothing
// about the provider.
var asymmetricAlgorithms = map[string]bool{
	"RS256": true, "RS384": true, "RS512": true,
	"PS256": true, "PS384": true, "PS512": true,
	"ES256": true, "ES384": true, "ES512": true,
	"EdDSA": true,
}

// allowedAlgorithms returns the configured list, or else the advertised
// algorithms that are asymmetric, or RS256 as OpenID Connect Discovery
// requires when the provider advertises none.
func allowedAlgorithms(configured, advertised []string) ([]string, error) {
	if len(configured) > 0 {
		for _, alg := range configured {
			if alg == "none" || strings.HasPrefix(alg, "HS") {
				return nil, fmt.Errorf("ifyul: Config.SigningAlgorithms: %q is not allowed", alg)
			}
		}
		return configured, nil
	}
	if len(advertised) == 0 {
		return []string{"RS256"}, nil
	}
	var algs []string
	for _, alg := range advertised {
		if asymmetricAlgorithms[alg] {
			algs = append(algs, alg)
		}
	}
	if len(algs) == 0 {
		return nil, fmt.Errorf("%w: provider advertises no acceptable signing algorithm (%s)",
			ErrInvalidToken, strings.Join(advertised, ", "))
	}
	return algs, nil
}

// getJSON fetches a JSON document with GET, retrying per Config.Retry.
func (c *Client) getJSON(ctx context.Context, source, target string, out any) error {
	return c.withRetry(ctx, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return fmt.Errorf("ifyul: %s: %w", source, err)
		}
		req.Header.Set("Accept", "application/json")
		return c.do(req, source, out)
	})
}
