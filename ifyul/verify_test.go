package ifyul

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllowedAlgorithms(t *testing.T) {
	cases := []struct {
		name       string
		configured []string
		advertised []string
		want       []string
		wantErr    error
		wantText   string
	}{
		{name: "nothing advertised", want: []string{"RS256"}},
		{name: "empty advertised list", advertised: []string{}, want: []string{"RS256"}},
		{name: "advertised list filtered",
			advertised: []string{"none", "HS256", "RS256", "ES256", "HS512", "EdDSA", "bign"},
			want:       []string{"RS256", "ES256", "EdDSA"}},
		{name: "only HS256 advertised", advertised: []string{"HS256"},
			wantErr:  ErrInvalidToken,
			wantText: "provider advertises no acceptable signing algorithm (HS256)"},
		{name: "only none and HMAC advertised", advertised: []string{"none", "HS384"},
			wantErr:  ErrInvalidToken,
			wantText: "no acceptable signing algorithm (none, HS384)"},
		{name: "configured list wins", configured: []string{"ES256"},
			advertised: []string{"RS256"}, want: []string{"ES256"}},
		{name: "configured algorithm go-jose does not know",
			configured: []string{"bign-with-hbelt"}, want: []string{"bign-with-hbelt"}},
		{name: "none configured", configured: []string{"ES256", "none"},
			wantText: `ifyul: Config.SigningAlgorithms: "none" is not allowed`},
		{name: "HS256 configured", configured: []string{"HS256"},
			wantText: `ifyul: Config.SigningAlgorithms: "HS256" is not allowed`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := allowedAlgorithms(tc.configured, tc.advertised)
			if tc.wantText == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tc.wantText)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			}
		})
	}
}

func TestCheckIssuerParameter(t *testing.T) {
	const issuer = "https://esiful.gov.by"
	cases := []struct {
		name      string
		supported bool
		query     string
		wantText  string
	}{
		{"advertised and matching", true, "iss=https%3A%2F%2Fesiful.gov.by&code=c", ""},
		{"advertised and missing", true, "code=c", "response parameter iss missing"},
		{"advertised and empty", true, "iss=&code=c", `response parameter iss "", expected`},
		{"advertised and different", true, "iss=https%3A%2F%2Fevil.example&code=c",
			`response parameter iss "https://evil.example", expected "https://esiful.gov.by"`},
		{"not advertised and missing", false, "code=c", ""},
		{"not advertised but matching", false, "iss=https%3A%2F%2Fesiful.gov.by", ""},
		{"not advertised but different", false, "iss=https%3A%2F%2Fevil.example",
			`response parameter iss "https://evil.example"`},
		{"trailing slash", false, "iss=https%3A%2F%2Fesiful.gov.by%2F",
			`response parameter iss "https://esiful.gov.by/"`},
		{"repeated", true, "iss=https%3A%2F%2Fesiful.gov.by&iss=https%3A%2F%2Fesiful.gov.by",
			`response parameter iss "https://esiful.gov.by,https://esiful.gov.by"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			query, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			info := &providerInfo{meta: discovery{Issuer: issuer,
				IssParameterSupported: tc.supported}}

			err = checkIssuerParameter(info, query)
			if tc.wantText == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrWrongIssuer)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

func TestCheckAuthorizedParty(t *testing.T) {
	cases := []struct {
		name     string
		audience []string
		claims   string
		want     error
		wantText string
	}{
		{"one audience without azp", []string{"client"}, `{}`, nil, ""},
		{"one audience with azp", []string{"client"}, `{"azp": "client"}`, nil, ""},
		{"azp null", []string{"client"}, `{"azp": null}`, nil, ""},
		{"several audiences with azp", []string{"client", "other"}, `{"azp": "client"}`, nil, ""},
		{"several audiences without azp", []string{"client", "other"}, `{}`,
			ErrWrongAudience, `several audiences and no "azp"`},
		{"several audiences with empty azp", []string{"client", "other"}, `{"azp": ""}`,
			ErrWrongAudience, `several audiences and no "azp"`},
		{"azp names another client", []string{"client"}, `{"azp": "other"}`,
			ErrWrongAudience, `authorized party "other", expected "client"`},
		{"several audiences and another azp", []string{"client", "other"}, `{"azp": "other"}`,
			ErrWrongAudience, `authorized party "other", expected "client"`},
		{"azp is a number", []string{"client"}, `{"azp": 1}`,
			ErrInvalidToken, `claim "azp" is not a string`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := &oidc.IDToken{Audience: tc.audience}
			err := checkAuthorizedParty("client", token, claimsOf(t, tc.claims))
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

func TestCheckTimes(t *testing.T) {
	now := time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		issuedAt time.Time
		claims   string
		wantText string
	}{
		{"issued now", now, `{"iat": 1}`, ""},
		{"issued an hour ago", now.Add(-time.Hour), `{"iat": 1}`, ""},
		{"issued within the clock skew", now.Add(59 * time.Second), `{"iat": 1}`, ""},
		{"issued beyond the clock skew", now.Add(2 * time.Minute), `{"iat": 1}`,
			"issued in the future (iat 2025-06-01T12:02:00Z)"},
		{"iat missing", now, `{"exp": 1}`, `claim "iat" missing`},
	}
	c := newTestClient(t, func(cfg *Config) {
		cfg.Now = func() time.Time { return now }
		cfg.ClockSkew = time.Minute
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := &oidc.IDToken{IssuedAt: tc.issuedAt}
			err := c.checkTimes(token, claimsOf(t, tc.claims))
			if tc.wantText == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

// signTestToken returns a compact JWS of the claims, signed with a key made
// for the test.
func signTestToken(t *testing.T, claims map[string]any) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, nil)
	require.NoError(t, err)
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	jws, err := signer.Sign(payload)
	require.NoError(t, err)
	raw, err := jws.CompactSerialize()
	require.NoError(t, err)
	return raw
}

func TestClassifyClaimFailure(t *testing.T) {
	const issuer = "https://esiful.gov.by"
	verifierErr := errors.New("oidc: some check failed")
	cases := []struct {
		name     string
		claims   map[string]any
		err      error
		want     error
		wantText string
	}{
		{"expired", map[string]any{"iss": issuer, "aud": "client"},
			&oidc.TokenExpiredError{Expiry: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
			ErrTokenExpired, "expired at 2025-01-02T03:04:05Z"},
		{"other issuer", map[string]any{"iss": "https://evil.example", "aud": "client"},
			verifierErr, ErrWrongIssuer,
			`token issuer "https://evil.example", expected "https://esiful.gov.by"`},
		{"other audience", map[string]any{"iss": issuer, "aud": []string{"other"}},
			verifierErr, ErrWrongAudience, `token audience ["other"], expected "client"`},
		{"audience containing the client ID", map[string]any{"iss": issuer,
			"aud": "client-2"}, verifierErr, ErrWrongAudience, `token audience "client-2"`},
		{"claims look right", map[string]any{"iss": issuer, "aud": []string{"x", "client"}},
			verifierErr, ErrInvalidToken, "oidc: some check failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := classifyClaimFailure(signTestToken(t, tc.claims), issuer, "client", tc.err)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

func TestClassifyClaimFailureUnreadableToken(t *testing.T) {
	err := classifyClaimFailure("not a token", "https://esiful.gov.by", "client",
		errors.New("oidc: malformed jwt"))
	assert.ErrorIs(t, err, ErrWrongIssuer, "an unreadable token names no issuer")
}
