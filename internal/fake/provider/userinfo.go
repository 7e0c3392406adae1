package provider

import (
	"crypto/ecdsa"
	"net/http"
	"net/url"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/esiful/sdk-go/internal/fake/persons"
)

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	// The scheme name is case-insensitive (RFC 9110 section 11.1).
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	ok = ok && strings.EqualFold(scheme, "Bearer")
	p.mu.Lock()
	g := p.accessToks[token]
	p.mu.Unlock()
	m := p.misbehaviour()
	if !ok || g == nil || p.cfg.Now().After(g.expiresAt) || m.RejectAccessTokens {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		p.writeErrorResponse(w, http.StatusUnauthorized, "invalid_token",
			"access token unknown or expired")
		return
	}
	claims := UserInfo(g.person, strings.Fields(g.req.Scope))
	p.addCertificateClaims(claims, g.person.ID, strings.Fields(g.req.Scope))
	if m.SignedUserInfo || m.TamperedUserInfo {
		p.writeSignedUserInfo(w, m, g.req.ClientID, claims)
		return
	}
	writeJSON(w, http.StatusOK, claims)
}

// writeSignedUserInfo answers userinfo as a signed JWT (OpenID Connect Core
// 5.3.2) with "iss" and "aud", signed as the ID tokens are. WrongIssuer and
// WrongAudience apply to it too.
func (p *Provider) writeSignedUserInfo(w http.ResponseWriter, m Misbehaviour, clientID string,
	claims map[string]any) {

	claims["iss"] = p.cfg.Issuer
	claims["aud"] = clientID
	if m.WrongIssuer {
		claims["iss"] = p.cfg.Issuer + "/evil"
	}
	if m.WrongAudience {
		claims["aud"] = "another-client"
	}
	token, err := p.signClaims(m, clientID, claims)
	if err == nil && m.TamperedUserInfo {
		claims["serialNumber"] = tamperedPersonalNumber
		token, err = tamperPayload(token, claims)
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, oauthError("server_error", err.Error()))
		return
	}
	writeBody(w, http.StatusOK, "application/jwt", []byte(token))
}

// tamperedPersonalNumber is a valid personal number of nobody among the test
// persons, put into a tampered userinfo.
const tamperedPersonalNumber = "0000000A000PB2"

// UserInfo returns the userinfo claims of a person for the granted scopes,
// named as the real provider is seen to name them ("serialNumber",
// "surname", "name", "givenName", "residence_place.full_address") plus the
// SDK's guesses for the names in Belarusian and Latin, birth date and sex.
func UserInfo(person *persons.Person, scopes []string) map[string]any {
	claims := map[string]any{"sub": person.Subject()}
	if slices.Contains(scopes, "profile") {
		n := person.Names
		for k, v := range map[string]string{
			"serialNumber": person.PersonalNumber,
			"surname":      n.Russian.Family, "name": n.Russian.Given,
			"givenName":  n.Russian.Patronymic,
			"surname_be": n.Belarusian.Family, "name_be": n.Belarusian.Given,
			"givenName_be": n.Belarusian.Patronymic,
			"surname_la":   n.Latin.Family, "name_la": n.Latin.Given,
			"birthdate": person.BirthDate,
			"gender":    map[string]string{"M": "male", "F": "female"}[person.Sex],
		} {
			if v != "" {
				claims[k] = v
			}
		}
	}
	addPlaceClaims(claims, person, scopes)
	return claims
}

// endSession ends the provider's session (RP-initiated logout). The
// post-logout redirect is followed only when it is registered for the
// client the id_token_hint names.
func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("post_logout_redirect_uri")
	clientID := p.hintAudience(q.Get("id_token_hint"))
	if c := p.client(clientID); target != "" && c != nil &&
		slices.Contains(c.PostLogoutRedirectURIs, target) {
		if state := q.Get("state"); state != "" {
			u, err := url.Parse(target)
			if err == nil {
				values := u.Query()
				values.Set("state", state)
				u.RawQuery = values.Encode()
				target = u.String()
			}
		}
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	p.writePage(w, http.StatusOK, "Выход выполнен", "Вы вышли из ЕС ИФЮЛ.")
}

// hintAudience returns the client an ID token of this provider was issued
// to, or "" when the hint is not such a token. An expired hint is fine.
func (p *Provider) hintAudience(hint string) string {
	tok, err := jwt.ParseSigned(hint, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return ""
	}
	for _, key := range []*ecdsa.PublicKey{&p.key.PublicKey, &p.nextKey.PublicKey} {
		var claims jwt.Claims
		if tok.Claims(key, &claims) != nil || claims.Issuer != p.cfg.Issuer {
			continue
		}
		if len(claims.Audience) != 1 {
			return ""
		}
		return claims.Audience[0]
	}
	return ""
}
