// Package provider is the fake ЕС ИФЮЛ OpenID provider: discovery,
// authorization with a login page where a tester picks a test person,
// token (authorization code with PKCE, refresh for offline_access),
// userinfo, JWKS and end session.
//
// It accepts two kinds of authorization request. A plain OpenID Connect
// request (client_id, redirect_uri, state, nonce, code_challenge) is
// answered with code, state and iss, as any standard provider does. An
// enveloped request, built and signed by a КПСИС, must first be confirmed by
// the client program; it is answered with the single parameter "data", as
// the real provider is seen to do. The Misbehaviour switches make it issue
// wrong tokens on purpose, for negative tests of relying parties.
package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/persons"
)

// Client is a relying party registered with the provider.
type Client struct {
	ID string
	// Secret authenticates the client at the token endpoint; empty for a
	// public client, which must use PKCE (as every client must here).
	Secret                 string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	// RequestVerifier checks the signature of the client's enveloped
	// requests, made by its КПСИС. Nil means the client sends none.
	RequestVerifier envelope.Verifier
}

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's URL, the "iss" of its tokens.
	Issuer  string
	Persons *persons.Set
	Clients []Client
	// AutoLogin, when positive, logs in the test person with that ID
	// without showing the login page.
	AutoLogin int
	// RequireConfirmation makes every authorization request need the
	// client program's confirmation, so plain requests are refused.
	RequireConfirmation bool
	// Certificates are the persons' certificates by person ID, sent for the
	// CertificatesScope scope.
	Certificates map[int]PersonCertificates
	Switch       *fault.Switch
	Logger       *slog.Logger
	Now          func() time.Time
}

// Misbehaviour makes the provider break the protocol on purpose. Where
// several switches change the same part of a response, the earlier field wins.
type Misbehaviour struct {
	WrongIssuer     bool // ID tokens name another issuer
	WrongAudience   bool // ID tokens name another audience
	BadSignature    bool // ID tokens are signed by a key not in the JWKS
	OmitNonce       bool // ID tokens carry no nonce
	ExpiredToken    bool // ID tokens expired an hour ago
	ReplayableCodes bool // an authorization code can be exchanged twice
	WrongIssParam   bool // the authorization response's iss names another issuer

	OmitIssParam  bool // the authorization response carries no iss
	ReplayIDToken bool // the token response repeats the client's previous ID token
	AlgNone       bool // ID tokens are unsigned, with alg "none"
	AlgHS256      bool // ID tokens are signed with HMAC-SHA256 keyed by the client secret
	ExtraAudience bool // ID tokens name a second audience besides the client
	// AuthorizedParty goes into the ID tokens' "azp" claim; empty leaves it out.
	AuthorizedParty   string
	IssuedInFuture    bool // ID tokens are issued ("iat") five minutes from now
	NotYetValid       bool // ID tokens carry "nbf" three minutes from now
	ExpiredWithinSkew bool // ID tokens expired 30 seconds ago
	RotateKey         bool // tokens are signed with a second key, listed first in the JWKS
	UnknownKeyID      bool // ID tokens name a random key ID the JWKS does not contain

	SignedUserInfo   bool // userinfo is a JWT signed like the ID tokens (application/jwt)
	TamperedUserInfo bool // userinfo is a signed JWT whose claims were changed after signing

	DenyAccess         bool // the authorization response is the error access_denied
	RejectCodes        bool // the token endpoint refuses every code with invalid_grant
	RejectAccessTokens bool // the userinfo endpoint refuses every access token

	TokenJSONWithoutCharset bool // token responses are "application/json" without a charset
	TokenAsTextPlain        bool // token responses are JSON labelled "text/plain"
	TokenAsForm             bool // token responses are form-encoded
	ErrorsWithStatus200     bool // token and userinfo error responses carry HTTP 200
}

// Provider is the fake OpenID provider. Create it with New.
type Provider struct {
	cfg   Config
	key   *ecdsa.PrivateKey
	rogue *ecdsa.PrivateKey
	keyID string
	// nextKey is the key RotateKey switches to, published with nextKeyID.
	nextKey      *ecdsa.PrivateKey
	nextKeyID    string
	handler      http.Handler
	jwksRequests atomic.Int64

	clientsMu sync.RWMutex

	mu          sync.Mutex
	misbehave   Misbehaviour
	confirmed   map[string]time.Time // request IDs the client program confirmed
	pending     map[string]*authRequest
	codes       map[string]*grant
	accessToks  map[string]*grant
	refreshToks map[string]*grant
	// lastIDToken holds the latest ID token issued for a code, by client,
	// for ReplayIDToken.
	lastIDToken map[string]string
}

// New returns a provider with a fresh signing key.
func New(cfg Config) (*Provider, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	rogue, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	nextKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if cfg.Switch == nil {
		cfg.Switch = &fault.Switch{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Provider{
		cfg: cfg, key: key, rogue: rogue, keyID: randomID()[:12],
		nextKey: nextKey, nextKeyID: randomID()[:12],
		lastIDToken: map[string]string{},
		confirmed:   map[string]time.Time{},
		pending:     map[string]*authRequest{},
		codes:       map[string]*grant{},
		accessToks:  map[string]*grant{},
		refreshToks: map[string]*grant{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /auth", p.authorize)
	mux.HandleFunc("POST /auth/login", p.login)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /me", p.userinfo)
	mux.HandleFunc("POST /me", p.userinfo)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /session/end", p.endSession)
	p.handler = cfg.Switch.Wrap(mux, oauthError)
	return p, nil
}

// ServeHTTP implements http.Handler.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.cfg.Logger.Info("provider", "method", r.Method, "path", r.URL.Path)
	p.handler.ServeHTTP(w, r)
}

// SetMisbehaviour replaces the misbehaviour switches.
func (p *Provider) SetMisbehaviour(m Misbehaviour) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.misbehave = m
}

func (p *Provider) misbehaviour() Misbehaviour {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.misbehave
}

// SetAutoLogin makes the provider log in the person with the ID without the
// login page; 0 shows the page again.
func (p *Provider) SetAutoLogin(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg.AutoLogin = id
}

// Confirm records that the client program accepted the signed request with
// this ID. The provider then accepts the matching enveloped request once.
func (p *Provider) Confirm(requestID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.cfg.Now()
	for id, until := range p.confirmed {
		if now.After(until) {
			delete(p.confirmed, id)
		}
	}
	p.confirmed[requestID] = now.Add(RequestLifetime)
}

// takeConfirmation reports whether the request was confirmed, and forgets
// the confirmation so it serves one request only.
func (p *Provider) takeConfirmation(requestID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	until, ok := p.confirmed[requestID]
	delete(p.confirmed, requestID)
	return ok && !p.cfg.Now().After(until)
}

// client returns a copy of the client's registration, or nil.
func (p *Provider) client(id string) *Client {
	p.clientsMu.RLock()
	defer p.clientsMu.RUnlock()
	for _, c := range p.cfg.Clients {
		if c.ID == id {
			return &c
		}
	}
	return nil
}

// Register adds redirect URIs to a registered client, as the operator does
// when a consumer registers a new address of its system.
func (p *Provider) Register(clientID string, redirectURIs, postLogoutURIs []string) error {
	p.clientsMu.Lock()
	defer p.clientsMu.Unlock()
	for i := range p.cfg.Clients {
		c := &p.cfg.Clients[i]
		if c.ID == clientID {
			c.RedirectURIs = append(slices.Clone(c.RedirectURIs), redirectURIs...)
			c.PostLogoutRedirectURIs = append(slices.Clone(c.PostLogoutRedirectURIs),
				postLogoutURIs...)
			return nil
		}
	}
	return fmt.Errorf("provider: no client %q", clientID)
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	iss := p.cfg.Issuer
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                 iss,
		"authorization_endpoint": iss + "/auth",
		"token_endpoint":         iss + "/token",
		"userinfo_endpoint":      iss + "/me",
		"jwks_uri":               iss + "/jwks",
		"end_session_endpoint":   iss + "/session/end",
		"scopes_supported": []string{"openid", "profile", "offline_access",
			"residence_place", "stay_place", CertificatesScope},
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"claims_supported": []string{"sub", "serialNumber", "surname", "name", "givenName",
			"surname_be", "name_be", "givenName_be", "surname_la", "name_la",
			"birthdate", "gender", "residence_place", "stay_place",
			"certificates", "attribute_certificates"},
		"authorization_response_iss_parameter_supported": true,
	})
}

func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	p.jwksRequests.Add(1)
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: p.publishedKeys(p.misbehaviour())})
}

// JWKSRequests returns how many times the JWKS has been served, so that
// tests can check how often a relying party fetches it.
func (p *Provider) JWKSRequests() int { return int(p.jwksRequests.Load()) }

func oauthError(code, description string) any {
	return map[string]string{"error": code, "error_description": description}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
