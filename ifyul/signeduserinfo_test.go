package ifyul

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newUserInfoClient returns a client whose provider is already discovered
// and trusts only key.
func newUserInfoClient(t testing.TB, key *testSigningKey) *Client {
	t.Helper()
	c := newTestClient(t, nil)
	c.providers.info = &providerInfo{
		meta: discovery{Issuer: c.cfg.Authority},
		keySet: recordingKeySet{inner: &oidc.StaticKeySet{
			PublicKeys: []crypto.PublicKey{&key.key.PublicKey}}},
		algs: []string{"ES256"},
	}
	return c
}

// signedUserInfo returns userinfo claims for client "client" from the real
// provider's issuer, changed by change, signed by key.
func signedUserInfo(t testing.TB, key *testSigningKey, change func(map[string]any)) string {
	t.Helper()
	claims := map[string]any{
		"iss": DefaultAuthority, "aud": "client", "sub": "person-1",
		"serialNumber": "3150385H001PB7",
	}
	if change != nil {
		change(claims)
	}
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	return key.sign(t, key.id, string(payload))
}

func TestVerifyUserInfoJWT(t *testing.T) {
	key := newTestSigningKey(t, "k")
	other := newTestSigningKey(t, "k")
	c := newUserInfoClient(t, key)
	valid := signedUserInfo(t, key, nil)
	header, _, _ := strings.Cut(valid, ".")
	_, signature, _ := strings.Cut(valid[len(header)+1:], ".")

	multi, err := jose.NewMultiSigner([]jose.SigningKey{
		{Algorithm: jose.ES256, Key: key.key}, {Algorithm: jose.ES256, Key: other.key},
	}, nil)
	require.NoError(t, err)
	twice, err := multi.Sign([]byte(`{"iss":"` + DefaultAuthority + `","aud":"client"}`))
	require.NoError(t, err)

	cases := []struct {
		name     string
		token    string
		want     error
		wantText string
	}{
		{"valid", valid, nil, ""},
		{"audience list", signedUserInfo(t, key, func(c map[string]any) {
			c["aud"] = []string{"other", "client"}
		}), nil, ""},
		{"other issuer", signedUserInfo(t, key, func(c map[string]any) {
			c["iss"] = "https://evil.example"
		}), ErrWrongIssuer, `issuer "https://evil.example", expected "https://esiful.gov.by"`},
		{"issuer missing", signedUserInfo(t, key, func(c map[string]any) { delete(c, "iss") }),
			ErrWrongIssuer, `issuer "", expected`},
		{"issuer a number", signedUserInfo(t, key, func(c map[string]any) { c["iss"] = 1 }),
			ErrWrongIssuer, `issuer ""`},
		{"other audience", signedUserInfo(t, key, func(c map[string]any) { c["aud"] = "other" }),
			ErrWrongAudience, `audience "other", expected "client"`},
		{"audience list without the client", signedUserInfo(t, key, func(c map[string]any) {
			c["aud"] = []string{"other"}
		}), ErrWrongAudience, `audience ["other"]`},
		{"audience missing", signedUserInfo(t, key, func(c map[string]any) { delete(c, "aud") }),
			ErrWrongAudience, `signed userinfo has no "aud", expected "client"`},
		{"audience a number", signedUserInfo(t, key, func(c map[string]any) { c["aud"] = 5 }),
			ErrWrongAudience, "audience 5"},
		{"signed by another key", signedUserInfo(t, other, nil), ErrBadSignature, ""},
		{"claims changed after signing", header + "." +
			b64(`{"iss":"`+DefaultAuthority+`","aud":"client","serialNumber":"0000000A000PB2"}`) +
			"." + signature, ErrBadSignature, ""},
		{"alg none", b64(`{"alg":"none"}`) + "." + b64(`{"aud":"client"}`) + ".",
			ErrBadSignature, "unexpected signature algorithm"},
		{"alg HS256", b64(`{"alg":"HS256"}`) + "." + b64(`{"aud":"client"}`) + ".c2ln",
			ErrBadSignature, "unexpected signature algorithm"},
		{"two signatures", twice.FullSerialize(), ErrBadSignature, "2 signatures, expected 1"},
		{"encrypted", "a.b.c.d.e", ErrBadSignature, "encrypted userinfo (JWE) is not supported"},
		{"not a JWT", "hello", ErrBadSignature, "signed userinfo"},
		{"empty", "", ErrBadSignature, "signed userinfo"},
		{"claims not an object", key.sign(t, "k", `["iss"]`), ErrInvalidToken,
			"signed userinfo claims"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims, err := c.verifyUserInfoJWT(t.Context(), tc.token)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, `"3150385H001PB7"`, string(claims["serialNumber"]))
				return
			}
			assert.Nil(t, claims)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.ErrorContains(t, err, tc.wantText)
		})
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecodeUserInfo(t *testing.T) {
	key := newTestSigningKey(t, "k")
	c := newUserInfoClient(t, key)
	jwt := signedUserInfo(t, key, nil)

	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantCode    string
		wantText    string
	}{
		{"JSON", 200, "application/json", `{"serialNumber": "3150385H001PB7"}`, "", ""},
		{"JSON with charset", 200, "application/json; charset=utf-8",
			`{"serialNumber": "3150385H001PB7"}`, "", ""},
		{"text/plain holding JSON", 200, "text/plain", `{"serialNumber": "3150385H001PB7"}`,
			"", ""},
		{"signed", 200, "application/jwt", jwt, "", ""},
		{"signed with a charset and a newline", 200, "application/jwt; charset=utf-8",
			jwt + "\r\n", "", ""},
		{"error with HTTP 200", 200, "application/json",
			`{"error": "invalid_token", "error_description": "expired"}`, "invalid_token", ""},
		{"error with a description of the wrong type", 200, "application/json",
			`{"error": "invalid_token", "error_description": 5}`, "invalid_token", ""},
		{"error member not a string", 200, "application/json",
			`{"error": {"x": 1}, "serialNumber": "3150385H001PB7"}`, "", ""},
		{"HTML", 200, "text/html", `<html></html>`, "", `"text/html" is not JSON`},
		{"signed but garbage", 200, "application/jwt", `{"serialNumber": "x"}`, "",
			"signed userinfo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims, err := c.decodeUserInfo(t.Context(), &response{status: tc.status,
				contentType: tc.contentType, body: []byte(tc.body)})
			switch {
			case tc.wantCode != "":
				var pe *ProtocolError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.wantCode, pe.Code)
				assert.Equal(t, tc.status, pe.HTTPStatus)
				assert.Equal(t, sourceProvider, pe.Source)
			case tc.wantText != "":
				assert.ErrorContains(t, err, tc.wantText)
			default:
				require.NoError(t, err)
				assert.Equal(t, `"3150385H001PB7"`, string(claims["serialNumber"]))
			}
		})
	}
}

func TestAudienceContains(t *testing.T) {
	cases := []struct {
		raw  string
		want bool
	}{
		{`"client"`, true},
		{`["client"]`, true},
		{`["a", "client"]`, true},
		{`"client2"`, false},
		{`["client2"]`, false},
		{`[]`, false},
		{`""`, false},
		{`null`, false},
		{`5`, false},
		{`[5, "client"]`, false},
		{`{"client": true}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			assert.Equal(t, tc.want, audienceContains(json.RawMessage(tc.raw), "client"))
		})
	}
}

func FuzzDecodeUserInfo(f *testing.F) {
	key := newTestSigningKey(f, "k")
	f.Add("application/jwt", []byte(signedUserInfo(f, key, nil)))
	f.Add("application/jwt", []byte("eyJhbGciOiJub25lIn0.e30."))
	f.Add("application/json", []byte(`{"error": "invalid_token"}`))
	f.Add("text/plain", []byte(`{"sub": "x"}`))
	f.Add("application/jwt; charset=\"", []byte("a.b.c.d.e"))

	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		c := newUserInfoClient(t, key)
		claims, err := c.decodeUserInfo(t.Context(), &response{status: 200,
			contentType: contentType, body: body})
		if err != nil {
			require.Nil(t, claims)
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				require.NotEmpty(t, err.Error())
			}
			return
		}
		if mediaType, _, _ := mime.ParseMediaType(contentType); mediaType == "application/jwt" {
			require.True(t, audienceContains(claims["aud"], "client"),
				"a signed response names the client")
			require.Equal(t, `"`+DefaultAuthority+`"`, string(claims["iss"]))
		}
	})
}
