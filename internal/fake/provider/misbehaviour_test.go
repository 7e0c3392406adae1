package provider_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

// jwsParts splits a compact JWS and decodes its header and payload.
func jwsParts(t *testing.T, token string) (map[string]any, map[string]any, string) {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3, token)
	decode := func(part string) map[string]any {
		raw, err := base64.RawURLEncoding.DecodeString(part)
		require.NoError(t, err)
		v := map[string]any{}
		require.NoError(t, json.Unmarshal(raw, &v))
		return v
	}
	return decode(parts[0]), decode(parts[1]), parts[2]
}

// jwks returns the provider's published keys.
func (f *fixture) jwks(t *testing.T) jose.JSONWebKeySet {
	t.Helper()
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(f.get(t, "/jwks", nil).body), &set))
	return set
}

// tokensWith runs a login with the misbehaviour set and returns the token
// endpoint's response.
func tokensWith(t *testing.T, f *fixture, m provider.Misbehaviour) map[string]any {
	t.Helper()
	f.p.SetMisbehaviour(m)
	a := newAttempt(clientID, redirectURI, "openid profile")
	r := f.exchange(t, a, f.code(t, a))
	require.Equal(t, http.StatusOK, r.status, r.body)
	return r.json(t)
}

func TestIDTokenAlgNone(t *testing.T) {
	f := newFixture(t, nil)
	token := tokensWith(t, f, provider.Misbehaviour{AlgNone: true})["id_token"].(string)

	header, claims, signature := jwsParts(t, token)
	assert.Equal(t, "none", header["alg"])
	assert.Empty(t, signature)
	assert.Equal(t, clientID, claims["aud"])
	_, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	assert.Error(t, err, "an ES256 verifier refuses the token")
}

func TestIDTokenAlgHS256(t *testing.T) {
	f := newFixture(t, nil)
	token := tokensWith(t, f, provider.Misbehaviour{AlgHS256: true})["id_token"].(string)

	header, claims, signature := jwsParts(t, token)
	assert.Equal(t, "HS256", header["alg"])
	assert.Equal(t, "fake-person-1", claims["sub"])
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(token[:strings.LastIndex(token, ".")]))
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), signature,
		"the MAC is keyed by the client secret")
}

func TestIDTokenAudienceAndAuthorizedParty(t *testing.T) {
	cases := []struct {
		name      string
		misbehave provider.Misbehaviour
		wantAud   any
		wantAzp   any
	}{
		{"normal", provider.Misbehaviour{}, clientID, nil},
		{"extra audience", provider.Misbehaviour{ExtraAudience: true},
			[]any{clientID, "another-client"}, nil},
		{"extra audience with azp", provider.Misbehaviour{ExtraAudience: true,
			AuthorizedParty: clientID}, []any{clientID, "another-client"}, clientID},
		{"azp of another client", provider.Misbehaviour{AuthorizedParty: "another-client"},
			clientID, "another-client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			claims := f.idTokenClaims(t, tokensWith(t, f, tc.misbehave)["id_token"].(string))
			assert.Equal(t, tc.wantAud, claims["aud"])
			assert.Equal(t, tc.wantAzp, claims["azp"])
		})
	}
}

func TestIDTokenTimes(t *testing.T) {
	cases := []struct {
		name      string
		misbehave provider.Misbehaviour
		iat       time.Duration
		exp       time.Duration
		nbf       time.Duration // zero: no nbf claim
	}{
		{"normal", provider.Misbehaviour{}, 0, 10 * time.Minute, 0},
		{"issued in the future", provider.Misbehaviour{IssuedInFuture: true},
			5 * time.Minute, 15 * time.Minute, 0},
		{"not yet valid", provider.Misbehaviour{NotYetValid: true},
			0, 10 * time.Minute, 3 * time.Minute},
		{"expired within the skew", provider.Misbehaviour{ExpiredWithinSkew: true},
			-10 * time.Minute, -30 * time.Second, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			now := f.clock.Now().Unix()
			claims := f.idTokenClaims(t, tokensWith(t, f, tc.misbehave)["id_token"].(string))

			assert.Equal(t, float64(now+int64(tc.iat/time.Second)), claims["iat"])
			assert.Equal(t, float64(now+int64(tc.exp/time.Second)), claims["exp"])
			if tc.nbf == 0 {
				assert.NotContains(t, claims, "nbf")
			} else {
				assert.Equal(t, float64(now+int64(tc.nbf/time.Second)), claims["nbf"])
			}
		})
	}
}

func TestRotateKey(t *testing.T) {
	f := newFixture(t, nil)
	before := f.jwks(t)
	require.Len(t, before.Keys, 1)

	token := tokensWith(t, f, provider.Misbehaviour{RotateKey: true})["id_token"].(string)
	after := f.jwks(t)
	require.Len(t, after.Keys, 2)
	assert.Equal(t, before.Keys[0].KeyID, after.Keys[1].KeyID, "the old key stays listed")
	assert.NotEqual(t, before.Keys[0].KeyID, after.Keys[0].KeyID)

	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	require.NoError(t, err)
	assert.Equal(t, after.Keys[0].KeyID, parsed.Headers[0].KeyID)
	var claims jwt.Claims
	assert.NoError(t, parsed.Claims(after.Keys[0].Key, &claims), "the new key signs")
	assert.Error(t, parsed.Claims(before.Keys[0].Key, &claims))
	assert.Equal(t, 2, f.p.JWKSRequests())
}

func TestUnknownKeyID(t *testing.T) {
	f := newFixture(t, nil)
	m := provider.Misbehaviour{UnknownKeyID: true}
	first := tokensWith(t, f, m)["id_token"].(string)
	second := tokensWith(t, f, m)["id_token"].(string)
	set := f.jwks(t)

	kids := map[string]bool{}
	for _, token := range []string{first, second} {
		parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
		require.NoError(t, err)
		kid := parsed.Headers[0].KeyID
		assert.Empty(t, set.Key(kid), "kid %q is not in the JWKS", kid)
		kids[kid] = true
		var claims jwt.Claims
		assert.NoError(t, parsed.Claims(set.Keys[0].Key, &claims),
			"the token is signed by the published key all the same")
	}
	assert.Len(t, kids, 2, "each token names a new key ID")
}

func TestReplayIDToken(t *testing.T) {
	f := newFixture(t, nil)
	first := tokensWith(t, f, provider.Misbehaviour{})["id_token"].(string)
	replayed := tokensWith(t, f, provider.Misbehaviour{ReplayIDToken: true})["id_token"].(string)
	fresh := tokensWith(t, f, provider.Misbehaviour{})["id_token"].(string)

	assert.Equal(t, first, replayed)
	assert.NotEqual(t, first, fresh)
}

// userinfoWith logs in and reads userinfo with the misbehaviour set.
func userinfoWith(t *testing.T, f *fixture, m provider.Misbehaviour) response {
	t.Helper()
	access := tokensWith(t, f, provider.Misbehaviour{})["access_token"].(string)
	f.p.SetMisbehaviour(m)
	return f.userinfo(t, "Bearer "+access)
}

func TestSignedUserInfo(t *testing.T) {
	cases := []struct {
		name      string
		misbehave provider.Misbehaviour
		wantIss   func(f *fixture) string
		wantAud   string
	}{
		{"signed", provider.Misbehaviour{SignedUserInfo: true},
			func(f *fixture) string { return f.url }, clientID},
		{"wrong issuer", provider.Misbehaviour{SignedUserInfo: true, WrongIssuer: true},
			func(f *fixture) string { return f.url + "/evil" }, clientID},
		{"wrong audience", provider.Misbehaviour{SignedUserInfo: true, WrongAudience: true},
			func(f *fixture) string { return f.url }, "another-client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			r := userinfoWith(t, f, tc.misbehave)
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, "application/jwt", r.header.Get("Content-Type"))

			claims := f.idTokenClaims(t, r.body)
			assert.Equal(t, tc.wantIss(f), claims["iss"])
			assert.Equal(t, tc.wantAud, claims["aud"])
			assert.Equal(t, persons.Default().ByID(1).PersonalNumber, claims["serialNumber"])
		})
	}
}

func TestTamperedUserInfo(t *testing.T) {
	f := newFixture(t, nil)
	r := userinfoWith(t, f, provider.Misbehaviour{TamperedUserInfo: true})
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "application/jwt", r.header.Get("Content-Type"))

	_, claims, _ := jwsParts(t, r.body)
	assert.Equal(t, "0000000A000PB2", claims["serialNumber"])
	parsed, err := jwt.ParseSigned(r.body, []jose.SignatureAlgorithm{jose.ES256})
	require.NoError(t, err)
	var verified map[string]any
	assert.Error(t, parsed.Claims(f.jwks(t).Keys[0].Key, &verified),
		"the signature no longer matches the claims")
}

func TestTokenResponseFormats(t *testing.T) {
	cases := []struct {
		name        string
		misbehave   provider.Misbehaviour
		contentType string
		decode      func(body string) (map[string]string, error)
	}{
		{"JSON with charset", provider.Misbehaviour{}, "application/json; charset=utf-8",
			decodeJSONBody},
		{"JSON without charset", provider.Misbehaviour{TokenJSONWithoutCharset: true},
			"application/json", decodeJSONBody},
		{"text/plain holding JSON", provider.Misbehaviour{TokenAsTextPlain: true},
			"text/plain", decodeJSONBody},
		{"form", provider.Misbehaviour{TokenAsForm: true},
			"application/x-www-form-urlencoded", decodeFormBody},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/success", func(t *testing.T) {
			f := newFixture(t, nil)
			f.p.SetMisbehaviour(tc.misbehave)
			a := newAttempt(clientID, redirectURI, "openid")
			r := f.exchange(t, a, f.code(t, a))

			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, tc.contentType, r.header.Get("Content-Type"))
			answer, err := tc.decode(r.body)
			require.NoError(t, err, r.body)
			assert.NotEmpty(t, answer["access_token"])
			assert.Equal(t, "Bearer", answer["token_type"])
			assert.Equal(t, "600", answer["expires_in"])
			assert.Equal(t, f.url, f.idTokenClaims(t, answer["id_token"])["iss"])
		})
		for _, status200 := range []bool{false, true} {
			name := tc.name + "/error"
			wantStatus := http.StatusBadRequest
			if status200 {
				name += " with HTTP 200"
				wantStatus = http.StatusOK
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, nil)
				m := tc.misbehave
				m.RejectCodes = true
				m.ErrorsWithStatus200 = status200
				f.p.SetMisbehaviour(m)
				a := newAttempt(clientID, redirectURI, "openid")
				r := f.exchange(t, a, f.code(t, a))

				assert.Equal(t, wantStatus, r.status, r.body)
				assert.Equal(t, tc.contentType, r.header.Get("Content-Type"))
				answer, err := tc.decode(r.body)
				require.NoError(t, err, r.body)
				assert.Equal(t, "invalid_grant", answer["error"])
				assert.Equal(t, "authorization code refused", answer["error_description"])
				assert.NotContains(t, answer, "access_token")
			})
		}
	}
}

func decodeJSONBody(body string) (map[string]string, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		return nil, err
	}
	answer := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			answer[k] = v
		default:
			encoded, _ := json.Marshal(v)
			answer[k] = string(encoded)
		}
	}
	return answer, nil
}

func decodeFormBody(body string) (map[string]string, error) {
	form, err := url.ParseQuery(body)
	if err != nil {
		return nil, err
	}
	answer := map[string]string{}
	for k := range form {
		answer[k] = form.Get(k)
	}
	return answer, nil
}

func TestUserinfoRejectedWithStatus200(t *testing.T) {
	f := newFixture(t, nil)
	r := userinfoWith(t, f, provider.Misbehaviour{RejectAccessTokens: true,
		ErrorsWithStatus200: true})

	assertOAuthError(t, r, http.StatusOK, "invalid_token")
	assert.NotContains(t, r.body, "serialNumber")
}

func TestUserinfoRejected(t *testing.T) {
	f := newFixture(t, nil)
	r := userinfoWith(t, f, provider.Misbehaviour{RejectAccessTokens: true})

	assertOAuthError(t, r, http.StatusUnauthorized, "invalid_token")
	assert.Contains(t, r.header.Get("WWW-Authenticate"), "invalid_token")
}

func TestAuthorizationResponseMisbehaviour(t *testing.T) {
	cases := []struct {
		name      string
		misbehave provider.Misbehaviour
		check     func(t *testing.T, f *fixture, q url.Values)
	}{
		{"iss omitted", provider.Misbehaviour{OmitIssParam: true},
			func(t *testing.T, _ *fixture, q url.Values) {
				assert.NotContains(t, q, "iss")
				assert.NotEmpty(t, q.Get("code"))
			}},
		{"access denied", provider.Misbehaviour{DenyAccess: true},
			func(t *testing.T, f *fixture, q url.Values) {
				assert.Equal(t, "access_denied", q.Get("error"))
				assert.Equal(t, "state-1", q.Get("state"))
				assert.Equal(t, f.url, q.Get("iss"))
				assert.Empty(t, q.Get("code"))
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *provider.Config) { c.AutoLogin = 1 })
			f.p.SetMisbehaviour(tc.misbehave)
			a := newAttempt(clientID, redirectURI, "openid")
			tc.check(t, f, f.get(t, "/auth", a.params).location(t).Query())
		})
	}
}

func TestEndSessionAfterKeyRotation(t *testing.T) {
	f := newFixture(t, nil)
	f.p.SetMisbehaviour(provider.Misbehaviour{RotateKey: true})
	hint := f.idToken(t, clientID, clientSecret, redirectURI)

	back := f.get(t, "/session/end", url.Values{
		"id_token_hint": {hint}, "post_logout_redirect_uri": {logoutURI},
	}).location(t)
	assert.Equal(t, logoutURI, back.String(), "a hint signed with the new key is accepted")
}
