package provider_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/internal/fake/provider"
)

// redirectVariants are redirect URIs that differ from the registered
// "https://rp.example/callback" in one way each. The OAuth 2.0 Security
// Best Current Practice (RFC 9700, section 4.1.3) requires exact string
// matching, so the provider must reject every one.
var redirectVariants = []struct {
	name string
	uri  string
}{
	{"other path", "https://rp.example/callback2"},
	{"path prefix", "https://rp.example/call"},
	{"dot segment", "https://rp.example/x/../callback"},
	{"percent-encoded path", "https://rp.example/%63allback"},
	{"query added", "https://rp.example/callback?x=1"},
	{"empty query added", "https://rp.example/callback?"},
	{"fragment added", "https://rp.example/callback#x"},
	{"trailing slash", "https://rp.example/callback/"},
	{"host in upper case", "https://RP.example/callback"},
	{"host with trailing dot", "https://rp.example./callback"},
	{"scheme in upper case", "HTTPS://rp.example/callback"},
	{"http instead of https", "http://rp.example/callback"},
	{"default port spelled out", "https://rp.example:443/callback"},
	{"subdomain", "https://evil.rp.example/callback"},
}

func TestRedirectURIExactMatchAtAuthorization(t *testing.T) {
	for _, tc := range redirectVariants {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *provider.Config) { c.AutoLogin = 1 })
			a := newAttempt(clientID, tc.uri, "openid")

			r := f.get(t, "/auth", a.params)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Empty(t, r.header.Get("Location"), "no redirect to an unregistered URI")
			assert.Contains(t, r.body, "redirect_uri")
		})
	}
}

func TestRedirectURIExactMatchAtTokenEndpoint(t *testing.T) {
	for _, tc := range redirectVariants {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(clientID, redirectURI, "openid")
			code := f.code(t, a)
			a.params.Set("redirect_uri", tc.uri)

			r := f.exchange(t, a, code)
			assertOAuthError(t, r, http.StatusBadRequest, "invalid_grant")
			assert.Contains(t, r.json(t)["error_description"], "redirect_uri")
		})
	}
}

func TestRegisteredRedirectURIAccepted(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid")
	code := f.code(t, a)

	r := f.exchange(t, a, code)
	assert.Equal(t, http.StatusOK, r.status, r.body)
}

// TestPublicClientNeedsVerifier shows PKCE is what protects a code issued to
// a client without a secret: without the verifier, a stolen code is useless.
func TestPublicClientNeedsVerifier(t *testing.T) {
	cases := []struct {
		name     string
		verifier func(real string) (string, bool)
	}{
		{"verifier missing", func(string) (string, bool) { return "", false }},
		{"verifier empty", func(string) (string, bool) { return "", true }},
		{"another verifier", func(string) (string, bool) {
			return oauth2.GenerateVerifier(), true
		}},
		{"challenge sent as verifier", func(real string) (string, bool) {
			return oauth2.S256ChallengeFromVerifier(real), true
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(publicID, publicRedirect, "openid")
			code := f.code(t, a)
			form := url.Values{
				"grant_type": {"authorization_code"}, "code": {code},
				"redirect_uri": {publicRedirect}, "client_id": {publicID},
			}
			if verifier, ok := tc.verifier(a.verifier); ok {
				form.Set("code_verifier", verifier)
			}

			r := f.postForm(t, "/token", form, "", "")
			assertOAuthError(t, r, http.StatusBadRequest, "invalid_grant")
			assert.Contains(t, r.json(t)["error_description"], "code_verifier")

			// A wrong verifier does not use the code up, so an attacker who
			// tries one cannot deny the rightful client its login.
			form.Set("code_verifier", a.verifier)
			retry := f.postForm(t, "/token", form, "", "")
			assert.Equal(t, http.StatusOK, retry.status, retry.body)
		})
	}
}
