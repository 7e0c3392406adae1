package provider

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/esiful/sdk-go/internal/fake/persons"
)

// grant is what an authorization code, access token or refresh token stands
// for.
type grant struct {
	req       AuthRequest
	person    *persons.Person
	authTime  time.Time
	expiresAt time.Time
	used      bool
	// issued lists the access and refresh tokens issued for a code, so
	// that a replayed code revokes them (RFC 6749 section 4.1.2).
	issued []string
}

// refreshTokenLifetime bounds a refresh token of the fake.
const refreshTokenLifetime = 24 * time.Hour

const accessTokenLifetime = 10 * time.Minute

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.writeTokenResponse(w, http.StatusBadRequest, oauthError("invalid_request", err.Error()))
		return
	}
	c, status, err := p.authenticateClient(r)
	if err != nil {
		if _, _, basic := r.BasicAuth(); basic {
			// RFC 6749 section 5.2: a failed Basic authentication gets a
			// challenge for the scheme the client used.
			w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		}
		p.writeTokenResponse(w, status, oauthError("invalid_client", err.Error()))
		return
	}

	var g *grant
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		if p.misbehaviour().RejectCodes {
			p.writeTokenResponse(w, http.StatusBadRequest, oauthError("invalid_grant",
				"authorization code refused"))
			return
		}
		g, err = p.redeemCode(c, r)
	case "refresh_token":
		g, err = p.redeemRefreshToken(c, r)
	default:
		p.writeTokenResponse(w, http.StatusBadRequest, oauthError("unsupported_grant_type",
			fmt.Sprintf("grant_type %q", r.PostForm.Get("grant_type"))))
		return
	}
	if err != nil {
		p.writeTokenResponse(w, http.StatusBadRequest, oauthError("invalid_grant", err.Error()))
		return
	}

	answer, err := p.issueTokens(g, r.PostForm.Get("grant_type") == "authorization_code")
	if err != nil {
		p.writeTokenResponse(w, http.StatusInternalServerError,
			oauthError("server_error", err.Error()))
		return
	}
	p.cfg.Logger.Info("provider: tokens issued", "client_id", c.ID, "person", g.person.ID)
	p.writeTokenResponse(w, http.StatusOK, answer)
}

// authenticateClient reads client_secret_basic, client_secret_post, or a
// bare client_id for a public client.
func (p *Provider) authenticateClient(r *http.Request) (*Client, int, error) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c := p.client(id)
	if c == nil {
		return nil, http.StatusUnauthorized, fmt.Errorf("unknown client_id %q", id)
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		return nil, http.StatusUnauthorized, fmt.Errorf("wrong client secret for %q", id)
	}
	return c, 0, nil
}

func (p *Provider) redeemCode(c *Client, r *http.Request) (*grant, error) {
	code := r.PostForm.Get("code")
	p.mu.Lock()
	defer p.mu.Unlock()

	g := p.codes[code]
	switch {
	case g == nil:
		return nil, fmt.Errorf("unknown authorization code")
	case g.used && !p.misbehave.ReplayableCodes:
		for _, token := range g.issued {
			delete(p.accessToks, token)
			delete(p.refreshToks, token)
		}
		return nil, fmt.Errorf("authorization code already used; its tokens are revoked")
	case p.cfg.Now().After(g.expiresAt):
		return nil, fmt.Errorf("authorization code expired")
	case g.req.ClientID != c.ID:
		return nil, fmt.Errorf("authorization code issued to another client")
	case g.req.RedirectURI != r.PostForm.Get("redirect_uri"):
		return nil, fmt.Errorf("redirect_uri differs from the authorization request")
	case !pkceMatches(g.req.CodeChallenge, r.PostForm.Get("code_verifier")):
		return nil, fmt.Errorf("code_verifier does not match code_challenge")
	}
	g.used = true
	return g, nil
}

// pruneExpired forgets expired codes and tokens and abandoned login
// requests, so that a long-running fake does not grow without bound. A used
// code is kept until it expires, to detect its replay. The caller holds
// p.mu.
func (p *Provider) pruneExpired() {
	now := p.cfg.Now()
	for _, m := range []map[string]*grant{p.codes, p.accessToks, p.refreshToks} {
		for k, g := range m {
			if now.After(g.expiresAt) {
				delete(m, k)
			}
		}
	}
	for k, req := range p.pending {
		if now.After(req.expiresAt) {
			delete(p.pending, k)
		}
	}
}

// pkceMatches checks an S256 code challenge (RFC 7636 section 4.6).
func pkceMatches(challenge, verifier string) bool {
	if verifier == "" {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	computed := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(computed), []byte(challenge)) == 1
}

func (p *Provider) redeemRefreshToken(c *Client, r *http.Request) (*grant, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g := p.refreshToks[r.PostForm.Get("refresh_token")]
	if g == nil || g.req.ClientID != c.ID || p.cfg.Now().After(g.expiresAt) {
		return nil, fmt.Errorf("unknown refresh token")
	}
	// Rotate: a refresh token serves once.
	delete(p.refreshToks, r.PostForm.Get("refresh_token"))
	return g, nil
}

// issueTokens builds the token response. The nonce goes only into ID tokens
// issued for a code, not on refresh, as OpenID Connect Core 12.2 requires.
func (p *Provider) issueTokens(g *grant, withNonce bool) (map[string]any, error) {
	nonce := ""
	if withNonce {
		nonce = g.req.Nonce
	}
	idToken, err := p.signIDToken(g, nonce)
	if err != nil {
		return nil, err
	}
	if withNonce {
		idToken = p.replayIDToken(g.req.ClientID, idToken)
	}
	access := randomID()
	answer := map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   int(accessTokenLifetime / time.Second),
		"id_token":     idToken,
		"scope":        g.req.Scope,
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneExpired()
	p.accessToks[access] = &grant{req: g.req, person: g.person, authTime: g.authTime,
		expiresAt: p.cfg.Now().Add(accessTokenLifetime)}
	g.issued = append(g.issued, access)
	if slices.Contains(strings.Fields(g.req.Scope), "offline_access") {
		refresh := randomID()
		p.refreshToks[refresh] = &grant{req: g.req, person: g.person, authTime: g.authTime,
			expiresAt: p.cfg.Now().Add(refreshTokenLifetime)}
		g.issued = append(g.issued, refresh)
		answer["refresh_token"] = refresh
	}
	return answer, nil
}

// replayIDToken records idToken as the client's latest and returns it, or,
// under ReplayIDToken, returns the one recorded before.
func (p *Provider) replayIDToken(clientID, idToken string) string {
	replay := p.misbehaviour().ReplayIDToken
	p.mu.Lock()
	defer p.mu.Unlock()
	if previous, ok := p.lastIDToken[clientID]; ok && replay {
		return previous
	}
	p.lastIDToken[clientID] = idToken
	return idToken
}

// idTokenClaims are the claims of the fake's ID tokens. Personal data stays
// in userinfo, so the token, which also travels as id_token_hint, is lean.
type idTokenClaims struct {
	jwt.Claims
	AuthorizedParty string `json:"azp,omitempty"`
	Nonce           string `json:"nonce,omitempty"`
	AuthTime        int64  `json:"auth_time"`
}

func (p *Provider) signIDToken(g *grant, nonce string) (string, error) {
	m := p.misbehaviour()
	now := p.cfg.Now()
	claims := idTokenClaims{
		Claims: jwt.Claims{
			Issuer:   p.cfg.Issuer,
			Subject:  g.person.Subject(),
			Audience: jwt.Audience{g.req.ClientID},
			IssuedAt: jwt.NewNumericDate(now),
			Expiry:   jwt.NewNumericDate(now.Add(accessTokenLifetime)),
		},
		AuthorizedParty: m.AuthorizedParty,
		Nonce:           nonce,
		AuthTime:        g.authTime.Unix(),
	}
	switch {
	case m.WrongIssuer:
		claims.Issuer = p.cfg.Issuer + "/evil"
	case m.WrongAudience:
		claims.Audience = jwt.Audience{"another-client"}
	case m.OmitNonce:
		claims.Nonce = ""
	case m.ExpiredToken:
		claims.IssuedAt = jwt.NewNumericDate(now.Add(-2 * time.Hour))
		claims.Expiry = jwt.NewNumericDate(now.Add(-time.Hour))
	}
	if m.ExtraAudience {
		claims.Audience = append(claims.Audience, "another-client")
	}
	switch {
	case m.IssuedInFuture:
		claims.IssuedAt = jwt.NewNumericDate(now.Add(5 * time.Minute))
		claims.Expiry = jwt.NewNumericDate(now.Add(15 * time.Minute))
	case m.NotYetValid:
		claims.NotBefore = jwt.NewNumericDate(now.Add(3 * time.Minute))
	case m.ExpiredWithinSkew:
		claims.IssuedAt = jwt.NewNumericDate(now.Add(-10 * time.Minute))
		claims.Expiry = jwt.NewNumericDate(now.Add(-30 * time.Second))
	}
	return p.signClaims(m, g.req.ClientID, claims)
}
