package provider

import (
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
	if !ok || g == nil || p.cfg.Now().After(g.expiresAt) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, oauthError("invalid_token",
			"access token unknown or expired"))
		return
	}
	writeJSON(w, http.StatusOK, UserInfo(g.person, strings.Fields(g.req.Scope)))
}

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
	if slices.Contains(scopes, "residence_place") && person.ResidencePlace != nil {
		place := map[string]string{}
		if person.ResidencePlace.FullAddress != "" {
			place["full_address"] = person.ResidencePlace.FullAddress
		}
		claims["residence_place"] = place
	}
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
	var claims jwt.Claims
	if err := tok.Claims(&p.key.PublicKey, &claims); err != nil || claims.Issuer != p.cfg.Issuer {
		return ""
	}
	if len(claims.Audience) != 1 {
		return ""
	}
	return claims.Audience[0]
}
