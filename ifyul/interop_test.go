package ifyul_test

// Interoperability with zitadel/oidc v3.52.0, an independent OpenID Connect
// implementation. Its README states that its relying party is certified by
// the OpenID Foundation for the basic and config profiles; its provider is
// not certified. The SDK logs in against zitadel's provider, and zitadel's
// relying party logs in against the fake ЕС ИФЮЛ, both on 127.0.0.1 over
// real HTTP.

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/client/rp"
	httphelper "github.com/zitadel/oidc/v3/pkg/http"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// interopPerson is the one user of the zitadel provider. zitadel's example
// storage has no personal number claim, so the username carries it and the
// SDK reads it from "preferred_username" through Config.Claims.
var interopPerson = &storage.User{
	ID:        "person-1",
	Username:  "3150385H001PB7",
	Password:  "not-a-secret",
	FirstName: "Иван",
	LastName:  "Иванов",
}

// interopUsers is a storage.UserStore holding interopPerson.
type interopUsers struct{}

func (interopUsers) GetUserByID(id string) *storage.User {
	if id == interopPerson.ID {
		return interopPerson
	}
	return nil
}

func (interopUsers) GetUserByUsername(name string) *storage.User {
	if name == interopPerson.Username {
		return interopPerson
	}
	return nil
}

func (interopUsers) ExampleClientID() string { return "service" }

// startZitadelProvider serves zitadel's OpenID provider with its in-memory
// example storage and one confidential client. Its login page logs
// interopPerson in at once and returns to the provider.
func startZitadelProvider(t *testing.T, clientID, secret, redirectURI string) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	issuer := "http://" + srv.Listener.Addr().String()

	store := storage.NewStorageWithClients(interopUsers{}, map[string]*storage.Client{
		clientID: storage.WebClient(clientID, secret, redirectURI),
	})
	provider, err := op.NewProvider(&op.Config{
		CryptoKey:             sha256.Sum256([]byte(rand.Text())),
		CodeMethodS256:        true,
		GrantTypeRefreshToken: true,
	}, store, op.StaticIssuer(issuer), op.WithAllowInsecure())
	require.NoError(t, err)

	callbackURL := op.AuthCallbackURL(provider)
	login := func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("authRequestID")
		err := store.CheckUsernamePassword(interopPerson.Username, interopPerson.Password, id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callbackURL(r.Context(), id), http.StatusFound)
	}
	mux := http.NewServeMux()
	mux.Handle("/login/username",
		op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(login))
	mux.Handle("/", provider)
	srv.Config.Handler = mux
	srv.Start()
	return issuer
}

func TestInteropSDKWithZitadelProvider(t *testing.T) {
	const clientID, secret = "sdk-client", "sdk-secret"
	mux := http.NewServeMux()
	rpSrv := httptest.NewServer(mux)
	t.Cleanup(rpSrv.Close)
	issuer := startZitadelProvider(t, clientID, secret, rpSrv.URL+"/callback")

	claims := ifyul.DefaultClaimMap
	claims.PersonalNumber = "preferred_username"
	claims.Russian = ifyul.NameClaims{Family: "family_name", Given: "given_name"}
	var (
		mu        sync.Mutex
		failure   error
		authorize url.Values
	)
	client, err := ifyul.New(ifyul.Config{
		Authority:    issuer,
		ClientID:     clientID,
		ClientSecret: secret,
		RedirectURL:  rpSrv.URL + "/callback",
		Claims:       &claims,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			mu.Lock()
			failure = err
			mu.Unlock()
			ifyul.WriteErrorPage(w, r, err)
		},
	})
	require.NoError(t, err)
	mux.Handle("GET /login", client.LoginHandler())
	mux.Handle("GET /callback", client.CallbackHandler())
	mux.Handle("GET /me", client.RequireSession("/login",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, _ := ifyul.SessionFromContext(r.Context())
			_ = json.NewEncoder(w).Encode(s.Identity)
		})))

	browser := ifyultest.NewBrowser()
	browser.HTTP.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), issuer) && req.URL.Query().Has("client_id") {
			authorize = req.URL.Query()
		}
		return nil
	}
	page, err := browser.Get(rpSrv.URL + "/login?return_to=/me")
	require.NoError(t, err)
	mu.Lock()
	require.NoError(t, failure)
	mu.Unlock()

	id := identityOf(t, page)
	assert.Equal(t, "/me", page.URL.Path)
	assert.Equal(t, issuer, id.Issuer)
	assert.Equal(t, "person-1", id.Subject)
	assert.Equal(t, "3150385H001PB7", id.PersonalNumber.String())
	assert.Equal(t, "Иванов", id.Names.Russian.Family)
	assert.Equal(t, "Иван", id.Names.Russian.Given)
	assert.Equal(t, ifyul.SexMale, id.Sex, "from the personal number")
	assert.Equal(t, `"`+clientID+`"`, string(id.Claims["azp"]))
	require.NotNil(t, authorize, "the browser went through zitadel's authorization endpoint")
	assert.Equal(t, "S256", authorize.Get("code_challenge_method"))
	assert.NotEmpty(t, authorize.Get("nonce"))
	assert.NotEmpty(t, authorize.Get("state"))
}

// zitadelLogin is what the zitadel relying party's callback reports.
type zitadelLogin struct {
	IDToken     *oidc.IDTokenClaims `json:"id_token"`
	UserInfo    *oidc.UserInfo      `json:"userinfo"`
	AccessToken string              `json:"access_token"`
}

// zitadelRelyingParty is zitadel's relying party registered with the fake
// ЕС ИФЮЛ for the direct flow, with PKCE, served on loopback.
type zitadelRelyingParty struct {
	fake *ifyultest.Server
	url  string

	mu        sync.Mutex
	rejection string
	// authorize is the query of the last authorization request.
	authorize url.Values
}

func newZitadelRelyingParty(t *testing.T) *zitadelRelyingParty {
	t.Helper()
	fake, err := ifyultest.Start(ifyultest.Options{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	z := &zitadelRelyingParty{fake: fake, url: srv.URL}

	cfg := fake.Config(ifyultest.DirectFlow, srv.URL+"/callback", "")
	cookies := httphelper.NewCookieHandler(randomKey(), randomKey(), httphelper.WithUnsecure())
	reject := func(w http.ResponseWriter, _ *http.Request, desc string, _ string) {
		z.mu.Lock()
		z.rejection = desc
		z.mu.Unlock()
		http.Error(w, desc, http.StatusUnauthorized)
	}
	party, err := rp.NewRelyingPartyOIDC(t.Context(), cfg.Authority, cfg.ClientID,
		cfg.ClientSecret, cfg.RedirectURL, []string{"openid", "profile", "residence_place"},
		rp.WithPKCE(cookies), rp.WithHTTPClient(fake.Client()),
		rp.WithSigningAlgsFromDiscovery(), rp.WithUnauthorizedHandler(reject),
		rp.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, code, desc,
			state string) {
			reject(w, r, code+": "+desc, state)
		}))
	require.NoError(t, err)

	mux.Handle("/login", rp.AuthURLHandler(rand.Text, party))
	mux.Handle("/callback", rp.CodeExchangeHandler(rp.UserinfoCallback(
		func(w http.ResponseWriter, _ *http.Request, tokens *oidc.Tokens[*oidc.IDTokenClaims],
			_ string, _ rp.RelyingParty, info *oidc.UserInfo) {

			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(zitadelLogin{IDToken: tokens.IDTokenClaims,
				UserInfo: info, AccessToken: tokens.AccessToken})
		}), party))
	return z
}

// randomKey returns 32 random bytes, for the relying party's cookie keys.
func randomKey() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return key
}

// login runs a login of the person through the fake's login page.
func (z *zitadelRelyingParty) login(t *testing.T, personID int) (*ifyultest.Page, string) {
	t.Helper()
	z.mu.Lock()
	z.rejection = ""
	z.mu.Unlock()
	browser := ifyultest.NewBrowser()
	browser.HTTP.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth" {
			z.mu.Lock()
			z.authorize = req.URL.Query()
			z.mu.Unlock()
		}
		return nil
	}
	page, err := browser.Login(z.url+"/login", personID)
	require.NoError(t, err)
	z.mu.Lock()
	defer z.mu.Unlock()
	return page, z.rejection
}

func TestInteropZitadelRelyingPartyWithFake(t *testing.T) {
	z := newZitadelRelyingParty(t)
	page, rejection := z.login(t, 2)
	require.Empty(t, rejection)
	require.Equal(t, http.StatusOK, page.Status, page.Body)

	var got zitadelLogin
	require.NoError(t, json.Unmarshal([]byte(page.Body), &got), page.Body)
	require.NotNil(t, got.IDToken)
	require.NotNil(t, got.UserInfo)
	assert.Equal(t, z.fake.ProviderURL, got.IDToken.Issuer)
	assert.Equal(t, "fake-person-2", got.IDToken.Subject)
	assert.Equal(t, []string{z.fake.ClientID}, []string(got.IDToken.Audience))
	assert.NotEmpty(t, got.AccessToken)
	assert.Equal(t, "fake-person-2", got.UserInfo.Subject)
	assert.Equal(t, "4220792C012PB1", got.UserInfo.Claims["serialNumber"])
	assert.Equal(t, "Ковалёва", got.UserInfo.Claims["surname"])
	assert.Contains(t, got.UserInfo.Claims, "residence_place")

	z.mu.Lock()
	defer z.mu.Unlock()
	assert.Equal(t, "S256", z.authorize.Get("code_challenge_method"))
	assert.Len(t, z.authorize.Get("code_challenge"), 43)
}

// TestInteropZitadelRejectsBrokenTokens shows that the fake's broken ID
// tokens break the rules for an independent verifier too, not only for
// this SDK's reading of them.
func TestInteropZitadelRejectsBrokenTokens(t *testing.T) {
	cases := []struct {
		name      string
		misbehave ifyultest.ProviderMisbehaviour
	}{
		{"signed by another key", ifyultest.ProviderMisbehaviour{BadSignature: true}},
		{"alg none", ifyultest.ProviderMisbehaviour{AlgNone: true}},
		{"HS256", ifyultest.ProviderMisbehaviour{AlgHS256: true}},
		{"unknown key ID", ifyultest.ProviderMisbehaviour{UnknownKeyID: true}},
		{"another issuer", ifyultest.ProviderMisbehaviour{WrongIssuer: true}},
		{"another audience", ifyultest.ProviderMisbehaviour{WrongAudience: true}},
		{"two audiences without azp", ifyultest.ProviderMisbehaviour{ExtraAudience: true}},
		{"azp of another client",
			ifyultest.ProviderMisbehaviour{AuthorizedParty: "another-client"}},
		{"issued in the future", ifyultest.ProviderMisbehaviour{IssuedInFuture: true}},
		{"expired", ifyultest.ProviderMisbehaviour{ExpiredToken: true}},
	}
	z := newZitadelRelyingParty(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z.fake.SetProviderMisbehaviour(tc.misbehave)
			page, rejection := z.login(t, 1)
			assert.Equal(t, http.StatusUnauthorized, page.Status, page.Body)
			assert.Contains(t, rejection, "failed to exchange token")
		})
	}

	z.fake.SetProviderMisbehaviour(ifyultest.ProviderMisbehaviour{})
	page, rejection := z.login(t, 1)
	assert.Empty(t, rejection, "a correct token passes again")
	assert.Equal(t, http.StatusOK, page.Status)
}
