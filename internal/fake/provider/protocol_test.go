package provider_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndSessionTargetWithQuery(t *testing.T) {
	const target = "https://rp.example/bye?lang=ru"
	f := newFixture(t, nil)
	require.NoError(t, f.p.Register(clientID, nil, []string{target}))
	hint := f.idToken(t, clientID, clientSecret, redirectURI)

	back := f.get(t, "/session/end", url.Values{
		"id_token_hint": {hint}, "post_logout_redirect_uri": {target}, "state": {"s"},
	}).location(t)
	assert.Equal(t, "ru", back.Query().Get("lang"))
	assert.Equal(t, "s", back.Query().Get("state"))
}

func TestCodeReuseRevokesTokens(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile")
	code := f.code(t, a)
	access := f.exchange(t, a, code).json(t)["access_token"].(string)
	require.Equal(t, http.StatusBadRequest, f.exchange(t, a, code).status)

	assert.Equal(t, http.StatusUnauthorized, f.userinfo(t, "Bearer "+access).status)
}

func TestResponseTypeTokenUnsupported(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid")
	a.params.Set("response_type", "token")

	q := f.get(t, "/auth", a.params).location(t).Query()
	assert.Equal(t, "unsupported_response_type", q.Get("error"))
}

func TestUserinfoBearerSchemeCase(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile")
	access := f.exchange(t, a, f.code(t, a)).json(t)["access_token"].(string)

	assert.Equal(t, http.StatusOK, f.userinfo(t, "bearer "+access).status)
}

func TestTokenBasicFailureChallenge(t *testing.T) {
	f := newFixture(t, nil)
	r := f.postForm(t, "/token", url.Values{"grant_type": {"authorization_code"}},
		clientID, "guess")
	require.Equal(t, http.StatusUnauthorized, r.status)
	assert.Contains(t, r.header.Get("WWW-Authenticate"), "Basic")
}
