package provider_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

const (
	clientID     = "rp"
	clientSecret = "rp-secret"
	redirectURI  = "https://rp.example/callback"
	logoutURI    = "https://rp.example/"

	otherID       = "other"
	otherSecret   = "other-secret"
	otherRedirect = "https://other.example/cb"

	publicID       = "public"
	publicRedirect = "http://127.0.0.1:9999/cb"
)

// clock is a settable time source for the provider's expiry checks.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a provider on a loopback server with three registered
// clients: rp (confidential, with a КПСИС key), other (confidential) and
// public (no secret).
type fixture struct {
	p      *provider.Provider
	url    string
	kpsis  *envelope.ECDSAKey
	clock  *clock
	client *http.Client
}

func newFixture(t *testing.T, change func(*provider.Config)) *fixture {
	t.Helper()
	key, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	f := &fixture{kpsis: key, clock: &clock{now: time.Now()}}

	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL

	cfg := provider.Config{
		Issuer:  srv.URL,
		Persons: persons.Default(),
		Clients: []provider.Client{
			{
				ID: clientID, Secret: clientSecret,
				RedirectURIs:           []string{redirectURI},
				PostLogoutRedirectURIs: []string{logoutURI},
				RequestVerifier:        key.Verifier(),
			},
			{
				ID: otherID, Secret: otherSecret,
				RedirectURIs:           []string{otherRedirect},
				PostLogoutRedirectURIs: []string{"https://other.example/"},
			},
			{ID: publicID, RedirectURIs: []string{publicRedirect}},
		},
		Now: f.clock.Now,
	}
	if change != nil {
		change(&cfg)
	}
	f.p, err = provider.New(cfg)
	require.NoError(t, err)
	handler = f.p

	f.client = srv.Client()
	f.client.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return f
}

// response is a read HTTP response.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) location(t *testing.T) *url.URL {
	t.Helper()
	require.Equal(t, http.StatusFound, r.status, r.body)
	u, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	return u
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &v), r.body)
	return v
}

func (f *fixture) do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := f.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (f *fixture) get(t *testing.T, path string, q url.Values) response {
	t.Helper()
	target := f.url + path
	if q != nil {
		target += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	require.NoError(t, err)
	return f.do(t, req)
}

func (f *fixture) postForm(t *testing.T, path string, form url.Values,
	user, password string) response {

	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.url+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	return f.do(t, req)
}

// attempt is one authorization request and the secrets behind it.
type attempt struct {
	params   url.Values
	verifier string
}

func newAttempt(client, redirect, scope string) *attempt {
	verifier := oauth2.GenerateVerifier()
	return &attempt{verifier: verifier, params: url.Values{
		"response_type":         {"code"},
		"client_id":             {client},
		"redirect_uri":          {redirect},
		"scope":                 {scope},
		"state":                 {"state-1"},
		"nonce":                 {"nonce-1"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}}
}

var txnPattern = regexp.MustCompile(`name="txn" value="([^"]+)"`)

// loginPage requests authorization and returns the login page's txn.
func (f *fixture) loginPage(t *testing.T, q url.Values) string {
	t.Helper()
	page := f.get(t, "/auth", q)
	require.Equal(t, http.StatusOK, page.status, page.body)
	m := txnPattern.FindStringSubmatch(page.body)
	require.Len(t, m, 2, "no txn on the login page")
	return m[1]
}

// pickPerson submits the login page's form.
func (f *fixture) pickPerson(t *testing.T, txn, person string) response {
	t.Helper()
	return f.postForm(t, "/auth/login", url.Values{"txn": {txn}, "person": {person}}, "", "")
}

// code runs a plain authorization request through the login page and
// returns the code of the redirect.
func (f *fixture) code(t *testing.T, a *attempt) string {
	t.Helper()
	back := f.pickPerson(t, f.loginPage(t, a.params), "1").location(t)
	code := back.Query().Get("code")
	require.NotEmpty(t, code, back.String())
	return code
}

func (f *fixture) exchange(t *testing.T, a *attempt, code string) response {
	t.Helper()
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {a.params.Get("redirect_uri")},
		"code_verifier": {a.verifier},
	}
	return f.postForm(t, "/token", form, clientID, clientSecret)
}

// idTokenClaims verifies an ID token against the provider's JWKS.
func (f *fixture) idTokenClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(f.get(t, "/jwks", nil).body), &set))
	require.Len(t, set.Keys, 1)

	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	require.NoError(t, err)
	claims := map[string]any{}
	require.NoError(t, parsed.Claims(set.Keys[0].Key, &claims))
	return claims
}

func assertOAuthError(t *testing.T, r response, status int, code string) {
	t.Helper()
	assert.Equal(t, status, r.status, r.body)
	assert.Equal(t, code, r.json(t)["error"], r.body)
	assert.NotEmpty(t, r.json(t)["error_description"])
}

func TestDiscovery(t *testing.T) {
	f := newFixture(t, nil)
	r := f.get(t, "/.well-known/openid-configuration", nil)
	require.Equal(t, http.StatusOK, r.status)
	d := r.json(t)

	assert.Equal(t, f.url, d["issuer"])
	for field, path := range map[string]string{
		"authorization_endpoint": "/auth", "token_endpoint": "/token",
		"userinfo_endpoint": "/me", "jwks_uri": "/jwks", "end_session_endpoint": "/session/end",
	} {
		assert.Equal(t, f.url+path, d[field], field)
	}
	assert.Equal(t, []any{"ES256"}, d["id_token_signing_alg_values_supported"])
	assert.Equal(t, []any{"S256"}, d["code_challenge_methods_supported"])
	assert.Equal(t, true, d["authorization_response_iss_parameter_supported"])
}

func TestAuthorizeRejectedWithoutRedirect(t *testing.T) {
	tests := []struct {
		name     string
		change   func(q url.Values)
		wantText string
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "nobody") }, `"nobody"`},
		{"client missing", func(q url.Values) { q.Del("client_id") }, "client_id"},
		{"redirect missing", func(q url.Values) { q.Del("redirect_uri") }, "redirect_uri"},
		{"redirect unregistered", func(q url.Values) {
			q.Set("redirect_uri", "https://evil.example/callback")
		}, "evil.example"},
		{"redirect of another client", func(q url.Values) {
			q.Set("redirect_uri", otherRedirect)
		}, "redirect_uri"},
		{"redirect with extra path", func(q url.Values) {
			q.Set("redirect_uri", redirectURI+"/../../evil")
		}, "redirect_uri"},
		{"redirect with extra query", func(q url.Values) {
			q.Set("redirect_uri", redirectURI+"?next=https://evil.example")
		}, "redirect_uri"},
		{"redirect with trailing slash", func(q url.Values) {
			q.Set("redirect_uri", redirectURI+"/")
		}, "redirect_uri"},
		{"redirect in upper case", func(q url.Values) {
			q.Set("redirect_uri", strings.ToUpper(redirectURI))
		}, "redirect_uri"},
		{"redirect with user info", func(q url.Values) {
			q.Set("redirect_uri", "https://rp.example@evil.example/callback")
		}, "redirect_uri"},
		// The checks before the redirect is trusted come first, so bad
		// PKCE does not open a redirect to an unregistered address.
		{"redirect unregistered and no PKCE", func(q url.Values) {
			q.Set("redirect_uri", "https://evil.example/callback")
			q.Del("code_challenge")
		}, "evil.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(clientID, redirectURI, "openid")
			tt.change(a.params)

			r := f.get(t, "/auth", a.params)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Empty(t, r.header.Get("Location"))
			assert.Contains(t, r.header.Get("Content-Type"), "text/html")
			assert.Contains(t, r.body, "Ошибка запроса")
			assert.Contains(t, r.body, htmlEscaped(tt.wantText))
			assert.NotContains(t, r.body, `name="txn"`)
		})
	}
}

// htmlEscaped escapes text as html/template does in element content.
func htmlEscaped(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

func TestAuthorizeErrorPageEscapesInput(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(`<script>alert(1)</script>`, redirectURI, "openid")

	r := f.get(t, "/auth", a.params)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.NotContains(t, r.body, "<script>")
	assert.Contains(t, r.body, "&lt;script&gt;")
}

func TestAuthorizeErrorRedirected(t *testing.T) {
	tests := []struct {
		name   string
		change func(q url.Values)
	}{
		{"PKCE missing", func(q url.Values) {
			q.Del("code_challenge")
			q.Del("code_challenge_method")
		}},
		{"challenge missing", func(q url.Values) { q.Del("code_challenge") }},
		{"method plain", func(q url.Values) { q.Set("code_challenge_method", "plain") }},
		{"method missing", func(q url.Values) { q.Del("code_challenge_method") }},
		{"method lower case", func(q url.Values) { q.Set("code_challenge_method", "s256") }},
		{"response type token", func(q url.Values) { q.Set("response_type", "token") }},
		{"response type id_token", func(q url.Values) { q.Set("response_type", "id_token") }},
		{"response type hybrid", func(q url.Values) { q.Set("response_type", "code id_token") }},
		{"response type missing", func(q url.Values) { q.Del("response_type") }},
		{"scope without openid", func(q url.Values) { q.Set("scope", "profile") }},
		{"scope with openid inside a word", func(q url.Values) { q.Set("scope", "openidx") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(clientID, redirectURI, "openid profile")
			tt.change(a.params)

			back := f.get(t, "/auth", a.params).location(t)
			assert.Equal(t, redirectURI, back.Scheme+"://"+back.Host+back.Path)
			q := back.Query()
			// NOTE: RFC 6749 section 4.1.2.1 names unsupported_response_type
			// for a bad response_type. The fake sends invalid_request for
			// every failed check, so only the presence of an error is checked.
			assert.NotEmpty(t, q.Get("error"))
			assert.NotEmpty(t, q.Get("error_description"))
			assert.Equal(t, "state-1", q.Get("state"))
			assert.Equal(t, f.url, q.Get("iss"))
			assert.Empty(t, q.Get("code"))
		})
	}
}

func TestAuthorizeRequireConfirmation(t *testing.T) {
	f := newFixture(t, func(c *provider.Config) { c.RequireConfirmation = true })
	a := newAttempt(clientID, redirectURI, "openid")

	q := f.get(t, "/auth", a.params).location(t).Query()
	assert.Equal(t, "unconfirmed_request", q.Get("error"))
	assert.Equal(t, "state-1", q.Get("state"))
	assert.Empty(t, q.Get("code"))
}

func TestLoginPageListsPersons(t *testing.T) {
	f := newFixture(t, nil)
	page := f.get(t, "/auth", newAttempt(clientID, redirectURI, "openid").params)
	require.Equal(t, http.StatusOK, page.status)

	assert.Equal(t, "no-store", page.header.Get("Cache-Control"))
	for _, p := range persons.Default().All() {
		assert.Contains(t, page.body, p.PersonalNumber)
		assert.Contains(t, page.body, `id="person-`)
	}
}

func TestLoginRejected(t *testing.T) {
	tests := []struct {
		name   string
		txn    func(real string) string
		person string
	}{
		{"unknown transaction", func(string) string { return "no-such-txn" }, "1"},
		{"empty transaction", func(string) string { return "" }, "1"},
		{"unknown person", func(real string) string { return real }, "999"},
		{"person zero", func(real string) string { return real }, "0"},
		{"person not a number", func(real string) string { return real }, "one"},
		{"person missing", func(real string) string { return real }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			txn := f.loginPage(t, newAttempt(clientID, redirectURI, "openid").params)

			r := f.pickPerson(t, tt.txn(txn), tt.person)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Empty(t, r.header.Get("Location"))
			assert.Contains(t, r.body, "Ошибка входа")
		})
	}
}

func TestLoginTransactionSingleUse(t *testing.T) {
	f := newFixture(t, nil)
	txn := f.loginPage(t, newAttempt(clientID, redirectURI, "openid").params)

	first := f.pickPerson(t, txn, "2")
	assert.NotEmpty(t, first.location(t).Query().Get("code"))

	again := f.pickPerson(t, txn, "2")
	assert.Equal(t, http.StatusBadRequest, again.status)
	assert.Empty(t, again.header.Get("Location"))
}

func TestLoginTransactionExpired(t *testing.T) {
	f := newFixture(t, nil)
	txn := f.loginPage(t, newAttempt(clientID, redirectURI, "openid").params)
	f.clock.Advance(provider.RequestLifetime + time.Second)

	r := f.pickPerson(t, txn, "1")
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Empty(t, r.header.Get("Location"))
}

func TestAutoLogin(t *testing.T) {
	f := newFixture(t, func(c *provider.Config) { c.AutoLogin = 3 })
	a := newAttempt(clientID, redirectURI, "openid profile")

	code := f.get(t, "/auth", a.params).location(t).Query().Get("code")
	require.NotEmpty(t, code)
	tokens := f.exchange(t, a, code).json(t)
	claims := f.idTokenClaims(t, tokens["id_token"].(string))
	assert.Equal(t, "fake-person-3", claims["sub"])

	f.p.SetAutoLogin(0)
	assert.NotEmpty(t, f.loginPage(t, a.params), "0 shows the login page again")
}

func TestCodeExchange(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile")
	back := f.pickPerson(t, f.loginPage(t, a.params), "1").location(t)
	assert.Equal(t, "state-1", back.Query().Get("state"))
	assert.Equal(t, f.url, back.Query().Get("iss"))

	r := f.exchange(t, a, back.Query().Get("code"))
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	tokens := r.json(t)
	assert.Equal(t, "Bearer", tokens["token_type"])
	assert.NotEmpty(t, tokens["access_token"])
	assert.NotContains(t, tokens, "refresh_token", "no offline_access, no refresh token")

	claims := f.idTokenClaims(t, tokens["id_token"].(string))
	assert.Equal(t, f.url, claims["iss"])
	assert.Equal(t, clientID, claims["aud"])
	assert.Equal(t, "fake-person-1", claims["sub"])
	assert.Equal(t, "nonce-1", claims["nonce"])
	assert.NotContains(t, claims, "serialNumber", "personal data stays in userinfo")
}

func TestCodeExchangeClientSecretPost(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid")
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {f.code(t, a)},
		"redirect_uri": {redirectURI}, "code_verifier": {a.verifier},
		"client_id": {clientID}, "client_secret": {clientSecret},
	}

	r := f.postForm(t, "/token", form, "", "")
	assert.Equal(t, http.StatusOK, r.status, r.body)
}

func TestCodeExchangePublicClient(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(publicID, publicRedirect, "openid")
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {f.code(t, a)},
		"redirect_uri": {publicRedirect}, "code_verifier": {a.verifier},
		"client_id": {publicID},
	}

	r := f.postForm(t, "/token", form, "", "")
	assert.Equal(t, http.StatusOK, r.status, r.body)
}

func TestCodeReuse(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid")
	code := f.code(t, a)
	require.Equal(t, http.StatusOK, f.exchange(t, a, code).status)

	assertOAuthError(t, f.exchange(t, a, code), http.StatusBadRequest, "invalid_grant")
}

func TestCodeReplayableOnRequest(t *testing.T) {
	f := newFixture(t, nil)
	f.p.SetMisbehaviour(provider.Misbehaviour{ReplayableCodes: true})
	a := newAttempt(clientID, redirectURI, "openid")
	code := f.code(t, a)

	assert.Equal(t, http.StatusOK, f.exchange(t, a, code).status)
	assert.Equal(t, http.StatusOK, f.exchange(t, a, code).status)
}

func TestCodeExchangeRejected(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fixture, form url.Values)
		user   string
		secret string
	}{
		{"wrong verifier", func(_ *fixture, form url.Values) {
			form.Set("code_verifier", oauth2.GenerateVerifier())
		}, clientID, clientSecret},
		{"verifier missing", func(_ *fixture, form url.Values) {
			form.Del("code_verifier")
		}, clientID, clientSecret},
		{"challenge sent as verifier", func(_ *fixture, form url.Values) {
			form.Set("code_verifier", oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")))
		}, clientID, clientSecret},
		{"wrong redirect", func(_ *fixture, form url.Values) {
			form.Set("redirect_uri", "https://rp.example/other")
		}, clientID, clientSecret},
		{"redirect missing", func(_ *fixture, form url.Values) {
			form.Del("redirect_uri")
		}, clientID, clientSecret},
		{"unknown code", func(_ *fixture, form url.Values) {
			form.Set("code", "no-such-code")
		}, clientID, clientSecret},
		{"code missing", func(_ *fixture, form url.Values) {
			form.Del("code")
		}, clientID, clientSecret},
		{"code of another client", func(_ *fixture, _ url.Values) {}, otherID, otherSecret},
		{"code expired", func(f *fixture, _ url.Values) {
			f.clock.Advance(2 * time.Minute)
		}, clientID, clientSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(clientID, redirectURI, "openid")
			form := url.Values{
				"grant_type": {"authorization_code"}, "code": {f.code(t, a)},
				"redirect_uri": {redirectURI}, "code_verifier": {a.verifier},
			}
			tt.change(f, form)

			r := f.postForm(t, "/token", form, tt.user, tt.secret)
			assertOAuthError(t, r, http.StatusBadRequest, "invalid_grant")
			assert.NotContains(t, r.body, "access_token")
		})
	}
}

func TestTokenClientAuthentication(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		secret string
		form   url.Values
	}{
		{"wrong secret basic", clientID, "guess", nil},
		{"empty secret basic", clientID, "", nil},
		{"secret of another client", clientID, otherSecret, nil},
		{"unknown client basic", "nobody", "x", nil},
		{"wrong secret post", "", "", url.Values{
			"client_id": {clientID}, "client_secret": {"guess"},
		}},
		{"secret missing post", "", "", url.Values{"client_id": {clientID}}},
		{"no client at all", "", "", url.Values{}},
		{"secret for a public client", "", "", url.Values{
			"client_id": {publicID}, "client_secret": {"x"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			a := newAttempt(clientID, redirectURI, "openid")
			form := url.Values{
				"grant_type": {"authorization_code"}, "code": {f.code(t, a)},
				"redirect_uri": {redirectURI}, "code_verifier": {a.verifier},
			}
			for k, v := range tt.form {
				form[k] = v
			}

			r := f.postForm(t, "/token", form, tt.user, tt.secret)
			assertOAuthError(t, r, http.StatusUnauthorized, "invalid_client")

			// A failed authentication does not burn the code.
			assert.Equal(t, http.StatusOK, f.exchange(t, a, form.Get("code")).status)
		})
	}
}

func TestTokenUnsupportedGrant(t *testing.T) {
	for _, grant := range []string{"", "password", "client_credentials", "implicit"} {
		t.Run(grant, func(t *testing.T) {
			f := newFixture(t, nil)
			r := f.postForm(t, "/token", url.Values{"grant_type": {grant}}, clientID, clientSecret)
			assertOAuthError(t, r, http.StatusBadRequest, "unsupported_grant_type")
		})
	}
}

func TestTokenMethodGet(t *testing.T) {
	f := newFixture(t, nil)
	r := f.get(t, "/token", url.Values{"grant_type": {"authorization_code"}})
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
}

func refresh(t *testing.T, f *fixture, token, user, secret string) response {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}
	return f.postForm(t, "/token", form, user, secret)
}

func TestRefreshTokenRotation(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile offline_access")
	first := f.exchange(t, a, f.code(t, a)).json(t)
	refresh1, _ := first["refresh_token"].(string)
	require.NotEmpty(t, refresh1, "offline_access gives a refresh token")

	r := refresh(t, f, refresh1, clientID, clientSecret)
	require.Equal(t, http.StatusOK, r.status, r.body)
	second := r.json(t)
	refresh2, _ := second["refresh_token"].(string)
	assert.NotEmpty(t, refresh2)
	assert.NotEqual(t, refresh1, refresh2)
	assert.NotEqual(t, first["access_token"], second["access_token"])
	claims := f.idTokenClaims(t, second["id_token"].(string))
	assert.NotContains(t, claims, "nonce", "a refreshed ID token carries no nonce")
	assert.Equal(t, "fake-person-1", claims["sub"])

	// The old refresh token served once; the new one still works.
	assertOAuthError(t, refresh(t, f, refresh1, clientID, clientSecret),
		http.StatusBadRequest, "invalid_grant")
	assert.Equal(t, http.StatusOK, refresh(t, f, refresh2, clientID, clientSecret).status)
}

func TestRefreshTokenRejected(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid offline_access")
	token := f.exchange(t, a, f.code(t, a)).json(t)["refresh_token"].(string)

	assertOAuthError(t, refresh(t, f, token, otherID, otherSecret),
		http.StatusBadRequest, "invalid_grant")
	assertOAuthError(t, refresh(t, f, "", clientID, clientSecret),
		http.StatusBadRequest, "invalid_grant")
	assertOAuthError(t, refresh(t, f, "no-such-token", clientID, clientSecret),
		http.StatusBadRequest, "invalid_grant")
	assertOAuthError(t, refresh(t, f, token, clientID, "guess"),
		http.StatusUnauthorized, "invalid_client")

	// None of the failures above used the token up.
	assert.Equal(t, http.StatusOK, refresh(t, f, token, clientID, clientSecret).status)
}

func (f *fixture) userinfo(t *testing.T, authorization string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+"/me", nil)
	require.NoError(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return f.do(t, req)
}

func TestUserinfo(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile residence_place")
	access := f.exchange(t, a, f.code(t, a)).json(t)["access_token"].(string)

	r := f.userinfo(t, "Bearer "+access)
	require.Equal(t, http.StatusOK, r.status, r.body)
	claims := r.json(t)
	person := persons.Default().ByID(1)
	assert.Equal(t, person.Subject(), claims["sub"])
	assert.Equal(t, person.PersonalNumber, claims["serialNumber"])
	assert.Equal(t, person.Names.Russian.Family, claims["surname"])
	assert.Equal(t, map[string]any{"full_address": person.ResidencePlace.FullAddress,
		"address_id": person.ResidencePlace.AddressID}, claims["residence_place"])
}

func TestUserinfoUnauthorized(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile")
	tokens := f.exchange(t, a, f.code(t, a)).json(t)
	access := tokens["access_token"].(string)

	tests := []struct {
		name          string
		authorization string
	}{
		{"header missing", ""},
		{"bearer without token", "Bearer "},
		{"unknown token", "Bearer no-such-token"},
		{"token with suffix", "Bearer " + access + "x"},
		{"basic scheme", "Basic " + base64.StdEncoding.EncodeToString([]byte(access))},
		{"token without scheme", access},
		{"ID token instead", "Bearer " + tokens["id_token"].(string)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.userinfo(t, tt.authorization)
			assertOAuthError(t, r, http.StatusUnauthorized, "invalid_token")
			assert.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer")
			assert.NotContains(t, r.body, "serialNumber")
		})
	}
}

func TestUserinfoExpiredToken(t *testing.T) {
	f := newFixture(t, nil)
	a := newAttempt(clientID, redirectURI, "openid profile")
	access := f.exchange(t, a, f.code(t, a)).json(t)["access_token"].(string)
	f.clock.Advance(11 * time.Minute)

	assertOAuthError(t, f.userinfo(t, "Bearer "+access), http.StatusUnauthorized, "invalid_token")
}

func TestUserInfoScopes(t *testing.T) {
	person := persons.Default().ByID(2)

	bare := provider.UserInfo(person, []string{"openid"})
	assert.Equal(t, map[string]any{"sub": person.Subject()}, bare)

	profile := provider.UserInfo(person, []string{"openid", "profile"})
	assert.Equal(t, person.PersonalNumber, profile["serialNumber"])
	assert.Equal(t, "female", profile["gender"])
	assert.NotContains(t, profile, "residence_place")

	place := provider.UserInfo(person, []string{"openid", "residence_place"})
	assert.NotContains(t, place, "serialNumber")
	assert.Contains(t, place, "residence_place")

	homeless := *person
	homeless.ResidencePlace = nil
	assert.NotContains(t, provider.UserInfo(&homeless, []string{"residence_place"}),
		"residence_place")
}

func (f *fixture) idToken(t *testing.T, client, secret, redirect string) string {
	t.Helper()
	a := newAttempt(client, redirect, "openid")
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {f.code(t, a)},
		"redirect_uri": {redirect}, "code_verifier": {a.verifier},
	}
	r := f.postForm(t, "/token", form, client, secret)
	require.Equal(t, http.StatusOK, r.status, r.body)
	return r.json(t)["id_token"].(string)
}

func TestEndSessionRedirects(t *testing.T) {
	f := newFixture(t, nil)
	hint := f.idToken(t, clientID, clientSecret, redirectURI)

	back := f.get(t, "/session/end", url.Values{
		"id_token_hint": {hint}, "post_logout_redirect_uri": {logoutURI}, "state": {"bye"},
	}).location(t)
	assert.Equal(t, logoutURI+"?state=bye", back.String())

	back = f.get(t, "/session/end", url.Values{
		"id_token_hint": {hint}, "post_logout_redirect_uri": {logoutURI},
	}).location(t)
	assert.Equal(t, logoutURI, back.String())
}

func TestEndSessionExpiredHint(t *testing.T) {
	f := newFixture(t, nil)
	hint := f.idToken(t, clientID, clientSecret, redirectURI)
	f.clock.Advance(24 * time.Hour)

	back := f.get(t, "/session/end", url.Values{
		"id_token_hint": {hint}, "post_logout_redirect_uri": {logoutURI},
	}).location(t)
	assert.Equal(t, logoutURI, back.String())
}

func TestEndSessionNoRedirect(t *testing.T) {
	f := newFixture(t, nil)
	hint := f.idToken(t, clientID, clientSecret, redirectURI)
	otherHint := f.idToken(t, otherID, otherSecret, otherRedirect)
	f.p.SetMisbehaviour(provider.Misbehaviour{BadSignature: true})
	forgedHint := f.idToken(t, clientID, clientSecret, redirectURI)
	f.p.SetMisbehaviour(provider.Misbehaviour{WrongIssuer: true})
	foreignHint := f.idToken(t, clientID, clientSecret, redirectURI)
	f.p.SetMisbehaviour(provider.Misbehaviour{})

	parts := strings.Split(hint, ".")
	unsigned := parts[0] + "." + parts[1] + "."

	tests := []struct {
		name   string
		hint   string
		target string
	}{
		{"unregistered target", hint, "https://evil.example/"},
		{"target with extra path", hint, logoutURI + "evil"},
		{"target of another client", hint, "https://other.example/"},
		{"hint missing", "", logoutURI},
		{"hint of another client", otherHint, logoutURI},
		{"hint garbage", "not.a.token", logoutURI},
		{"hint unsigned", unsigned, logoutURI},
		{"hint signed by another key", forgedHint, logoutURI},
		{"hint from another issuer", foreignHint, logoutURI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.get(t, "/session/end", url.Values{
				"id_token_hint": {tt.hint}, "post_logout_redirect_uri": {tt.target},
			})
			assert.Equal(t, http.StatusOK, r.status)
			assert.Empty(t, r.header.Get("Location"))
			assert.Contains(t, r.body, "Выход выполнен")
		})
	}
}

func TestRegister(t *testing.T) {
	f := newFixture(t, nil)
	const added = "https://rp.example/second"
	a := newAttempt(clientID, added, "openid")
	assert.Equal(t, http.StatusBadRequest, f.get(t, "/auth", a.params).status)

	require.NoError(t, f.p.Register(clientID, []string{added}, nil))
	assert.NotEmpty(t, f.loginPage(t, a.params))
	assert.NotEmpty(t, f.loginPage(t, newAttempt(clientID, redirectURI, "openid").params),
		"the earlier address stays registered")

	assert.ErrorContains(t, f.p.Register("nobody", []string{added}, nil), `"nobody"`)
}

// envelopedQuery seals an authorization request as the КПСИС does and
// returns the query of the enveloped URL with the request ID.
func (f *fixture) envelopedQuery(t *testing.T, signer envelope.Signer,
	change func(*provider.AuthRequest)) (url.Values, string) {

	t.Helper()
	verifier := oauth2.GenerateVerifier()
	req := provider.AuthRequest{
		RequestID: "req-" + verifier[:8], ClientID: clientID, RedirectURI: redirectURI,
		Scope: "openid profile", State: "state-e", Nonce: "nonce-e",
		CodeChallenge:       oauth2.S256ChallengeFromVerifier(verifier),
		CodeChallengeMethod: "S256",
		ExpiresAt:           f.clock.Now().Add(provider.RequestLifetime).Unix(),
	}
	if change != nil {
		change(&req)
	}
	text, err := envelope.Seal(signer, req)
	require.NoError(t, err)
	return url.Values{"client_id": {clientID}, "envelope": {text}}, req.RequestID
}

func decodeData(t *testing.T, back *url.URL) provider.CallbackData {
	t.Helper()
	assert.Equal(t, []string{"data"}, keys(back.Query()), "the response is a single data parameter")
	raw, err := base64.RawURLEncoding.DecodeString(back.Query().Get("data"))
	require.NoError(t, err)
	var data provider.CallbackData
	require.NoError(t, json.Unmarshal(raw, &data))
	return data
}

func keys(q url.Values) []string {
	var out []string
	for k := range q {
		out = append(out, k)
	}
	return out
}

func TestEnvelopedRequest(t *testing.T) {
	f := newFixture(t, nil)
	q, requestID := f.envelopedQuery(t, f.kpsis, nil)
	f.p.Confirm(requestID)

	back := f.pickPerson(t, f.loginPage(t, q), "2").location(t)
	data := decodeData(t, back)
	assert.NotEmpty(t, data.Code)
	assert.Equal(t, "state-e", data.State)
	assert.Equal(t, f.url, data.Issuer)
	assert.Empty(t, data.Error)
}

func TestEnvelopedUnconfirmed(t *testing.T) {
	f := newFixture(t, nil)
	q, requestID := f.envelopedQuery(t, f.kpsis, nil)
	f.p.Confirm("another-request")

	data := decodeData(t, f.get(t, "/auth", q).location(t))
	assert.Equal(t, "unconfirmed_request", data.Error)
	assert.Equal(t, "state-e", data.State)
	assert.Empty(t, data.Code)

	// A confirmation serves one request only.
	f.p.Confirm(requestID)
	assert.NotEmpty(t, f.loginPage(t, q))
	data = decodeData(t, f.get(t, "/auth", q).location(t))
	assert.Equal(t, "unconfirmed_request", data.Error)
}

func TestEnvelopedConfirmationExpired(t *testing.T) {
	f := newFixture(t, nil)
	q, requestID := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
		r.ExpiresAt = f.clock.Now().Add(time.Hour).Unix()
	})
	f.p.Confirm(requestID)
	f.clock.Advance(provider.RequestLifetime + time.Second)

	data := decodeData(t, f.get(t, "/auth", q).location(t))
	assert.Equal(t, "unconfirmed_request", data.Error)
}

func TestEnvelopedCheckFailureRedirected(t *testing.T) {
	f := newFixture(t, nil)
	q, requestID := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
		r.CodeChallengeMethod = "plain"
	})
	f.p.Confirm(requestID)

	data := decodeData(t, f.get(t, "/auth", q).location(t))
	assert.Equal(t, "invalid_request", data.Error)
	assert.Empty(t, data.Code)
}

func TestEnvelopedRejectedWithoutRedirect(t *testing.T) {
	rogue, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	tests := []struct {
		name  string
		query func(f *fixture) url.Values
	}{
		{"signed by another key", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, rogue, nil)
			return q
		}},
		{"signed for another client", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
				r.ClientID = otherID
			})
			return q
		}},
		{"client without a КПСИС key", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
				r.ClientID = otherID
				r.RedirectURI = otherRedirect
			})
			q.Set("client_id", otherID)
			return q
		}},
		{"unregistered redirect", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
				r.RedirectURI = "https://evil.example/callback"
			})
			return q
		}},
		{"expired", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
				r.ExpiresAt = f.clock.Now().Add(-time.Second).Unix()
			})
			return q
		}},
		{"expiry missing", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
				r.ExpiresAt = 0
			})
			return q
		}},
		{"envelope empty", func(*fixture) url.Values {
			return url.Values{"client_id": {clientID}, "envelope": {""}}
		}},
		{"envelope garbage", func(*fixture) url.Values {
			return url.Values{"client_id": {clientID}, "envelope": {"%%%"}}
		}},
		{"client missing", func(f *fixture) url.Values {
			q, _ := f.envelopedQuery(t, f.kpsis, nil)
			q.Del("client_id")
			return q
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			r := f.get(t, "/auth", tt.query(f))
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Empty(t, r.header.Get("Location"))
			assert.Contains(t, r.body, "Ошибка запроса")
		})
	}
}

func TestEnvelopedCodeExchange(t *testing.T) {
	f := newFixture(t, nil)
	verifier := oauth2.GenerateVerifier()
	q, requestID := f.envelopedQuery(t, f.kpsis, func(r *provider.AuthRequest) {
		r.CodeChallenge = oauth2.S256ChallengeFromVerifier(verifier)
	})
	f.p.Confirm(requestID)
	data := decodeData(t, f.pickPerson(t, f.loginPage(t, q), "1").location(t))

	a := &attempt{verifier: verifier, params: url.Values{"redirect_uri": {redirectURI}}}
	r := f.exchange(t, a, data.Code)
	require.Equal(t, http.StatusOK, r.status, r.body)
	claims := f.idTokenClaims(t, r.json(t)["id_token"].(string))
	assert.Equal(t, "nonce-e", claims["nonce"])
}
