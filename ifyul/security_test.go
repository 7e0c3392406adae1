package ifyul_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// loginWith logs person 1 in with the provider misbehaving. The КПСИС hands
// tokens on unchecked, so that only the SDK's own checks can stop a bad one.
func loginWith(t *testing.T, rp *relyingParty, b *ifyultest.Browser,
	m ifyultest.ProviderMisbehaviour) *ifyultest.Page {

	t.Helper()
	rp.fake.SetProviderMisbehaviour(m)
	rp.fake.SetKPSISMisbehaviour(ifyultest.KPSISMisbehaviour{PassTokensUnchecked: true})
	rp.mu.Lock()
	rp.lastErr = nil
	rp.mu.Unlock()
	page, err := b.Login(rp.srv.URL+"/login?return_to=/me", 1)
	require.NoError(t, err)
	return page
}

// assertLoggedIn checks that the login ended on /me with person 1.
func assertLoggedIn(t *testing.T, rp *relyingParty, page *ifyultest.Page) {
	t.Helper()
	require.NoError(t, rp.err())
	assert.Equal(t, "/me", page.URL.Path)
	assert.Equal(t, "3150385H001PB7", identityOf(t, page).PersonalNumber.String())
}

func TestMixUpDefenceIssMissing(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
	page := loginWith(t, rp, rp.fake.NewBrowser(),
		ifyultest.ProviderMisbehaviour{OmitIssParam: true})

	assert.ErrorIs(t, rp.err(), ifyul.ErrWrongIssuer)
	assert.ErrorContains(t, rp.err(), "response parameter iss missing")
	assert.Equal(t, http.StatusBadGateway, page.Status)
}

// recordingTransport keeps the form of every POST it carries.
type recordingTransport struct {
	base http.RoundTripper

	mu    sync.Mutex
	forms []url.Values
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.forms = append(r.forms, form)
		r.mu.Unlock()
	}
	return r.base.RoundTrip(req)
}

func (r *recordingTransport) posted() []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]url.Values(nil), r.forms...)
}

func TestDirectFlowSendsS256Challenge(t *testing.T) {
	recorder := &recordingTransport{base: http.DefaultTransport}
	rp := newRelyingParty(t, ifyultest.DirectFlow, func(cfg *ifyul.Config) {
		cfg.HTTPClient = &http.Client{Transport: recorder, Timeout: 30 * time.Second}
	})

	var challenges []url.Values
	for range 2 {
		b := rp.fake.NewBrowser()
		b.HTTP.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
			if req.URL.Path == "/auth" {
				challenges = append(challenges, req.URL.Query())
			}
			return nil
		}
		assertLoggedIn(t, rp, loginWith(t, rp, b, ifyultest.ProviderMisbehaviour{}))
	}

	forms := recorder.posted()
	require.Len(t, challenges, 2)
	require.Len(t, forms, 2, "one token request per login")
	for i, form := range forms {
		verifier := form.Get("code_verifier")
		assert.Len(t, verifier, 43, "32 random bytes, base64url-encoded")
		assert.Equal(t, "S256", challenges[i].Get("code_challenge_method"))
		assert.Equal(t, oauth2.S256ChallengeFromVerifier(verifier),
			challenges[i].Get("code_challenge"))
		assert.Equal(t, "authorization_code", form.Get("grant_type"))
	}
	assert.NotEqual(t, forms[0].Get("code_verifier"), forms[1].Get("code_verifier"),
		"each login has its own verifier")
}

func TestNonceSingleUse(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			rp := newRelyingParty(t, f.flow, nil)
			first := rp.fake.NewBrowser()
			assertLoggedIn(t, rp, loginWith(t, rp, first, ifyultest.ProviderMisbehaviour{}))

			// The provider hands out the ID token of the login above again:
			// valid, signed and unexpired, but bound to that login's nonce.
			replay := ifyultest.ProviderMisbehaviour{ReplayIDToken: true}
			for name, b := range map[string]*ifyultest.Browser{
				"another browser": rp.fake.NewBrowser(), "the same browser": first,
			} {
				page := loginWith(t, rp, b, replay)
				assert.ErrorIs(t, rp.err(), ifyul.ErrNonceMismatch, name)
				assert.Equal(t, http.StatusBadGateway, page.Status, name)
			}
		})
	}
}

func TestUnsignedAndHMACTokensRejected(t *testing.T) {
	cases := []struct {
		name      string
		misbehave ifyultest.ProviderMisbehaviour
	}{
		{"alg none", ifyultest.ProviderMisbehaviour{AlgNone: true}},
		{"HS256 keyed by the client secret", ifyultest.ProviderMisbehaviour{AlgHS256: true}},
	}
	for _, f := range flows {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				rp := newRelyingParty(t, f.flow, nil)
				page := loginWith(t, rp, rp.fake.NewBrowser(), tc.misbehave)

				assert.ErrorIs(t, rp.err(), ifyul.ErrBadSignature)
				assert.ErrorContains(t, rp.err(), "unexpected signature algorithm")
				assert.Equal(t, http.StatusBadGateway, page.Status)
			})
		}
	}
}

func TestAuthorizedPartyAndAudiences(t *testing.T) {
	cases := []struct {
		name      string
		extraAud  bool
		azpClient bool
		azp       string
		wantText  string
	}{
		{"two audiences without azp", true, false, "", `several audiences and no "azp"`},
		{"two audiences with azp of the client", true, true, "", ""},
		{"one audience with azp of the client", false, true, "", ""},
		{"one audience with azp of another client", false, false, "another-client",
			`authorized party "another-client"`},
		{"two audiences with azp of another client", true, false, "another-client",
			`authorized party "another-client"`},
	}
	for _, f := range flows {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				rp := newRelyingParty(t, f.flow, nil)
				m := ifyultest.ProviderMisbehaviour{ExtraAudience: tc.extraAud,
					AuthorizedParty: tc.azp}
				if tc.azpClient {
					m.AuthorizedParty = rp.fake.ClientID
				}
				page := loginWith(t, rp, rp.fake.NewBrowser(), m)

				if tc.wantText == "" {
					assertLoggedIn(t, rp, page)
					return
				}
				assert.ErrorIs(t, rp.err(), ifyul.ErrWrongAudience)
				assert.ErrorContains(t, rp.err(), tc.wantText)
			})
		}
	}
}

func TestTokenTimesWithClockSkew(t *testing.T) {
	cases := []struct {
		name      string
		misbehave ifyultest.ProviderMisbehaviour
		skew      time.Duration // zero: the default of one minute
		want      error
		wantText  string
	}{
		{"issued in the future", ifyultest.ProviderMisbehaviour{IssuedInFuture: true}, 0,
			ifyul.ErrInvalidToken, "issued in the future"},
		{"issued in the future within a long skew",
			ifyultest.ProviderMisbehaviour{IssuedInFuture: true}, 10 * time.Minute, nil, ""},
		{"not yet valid", ifyultest.ProviderMisbehaviour{NotYetValid: true}, 0,
			ifyul.ErrInvalidToken, "not valid before"},
		{"not yet valid within a long skew",
			ifyultest.ProviderMisbehaviour{NotYetValid: true}, 5 * time.Minute, nil, ""},
		{"expired within the skew", ifyultest.ProviderMisbehaviour{ExpiredWithinSkew: true},
			0, nil, ""},
		{"expired beyond a short skew",
			ifyultest.ProviderMisbehaviour{ExpiredWithinSkew: true}, 10 * time.Second,
			ifyul.ErrTokenExpired, "expired at"},
		{"expired an hour ago", ifyultest.ProviderMisbehaviour{ExpiredToken: true}, 0,
			ifyul.ErrTokenExpired, "expired at"},
	}
	for _, f := range flows {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				rp := newRelyingParty(t, f.flow, func(cfg *ifyul.Config) {
					cfg.ClockSkew = tc.skew
				})
				page := loginWith(t, rp, rp.fake.NewBrowser(), tc.misbehave)

				if tc.want == nil {
					assertLoggedIn(t, rp, page)
					return
				}
				assert.ErrorIs(t, rp.err(), tc.want)
				assert.ErrorContains(t, rp.err(), tc.wantText)
				assert.Equal(t, http.StatusBadGateway, page.Status)
			})
		}
	}
}

func TestJWKSRefetchedAfterKeyRotation(t *testing.T) {
	clk := &clock{}
	rp := newRelyingParty(t, ifyultest.DirectFlow, func(cfg *ifyul.Config) {
		cfg.Now = clk.now
	})
	assertLoggedIn(t, rp, loginWith(t, rp, rp.fake.NewBrowser(),
		ifyultest.ProviderMisbehaviour{}))
	require.Equal(t, 1, rp.fake.JWKSRequests())

	// The SDK refetches for an unknown key at most every 10 seconds.
	clk.advance(11 * time.Second)
	rotated := ifyultest.ProviderMisbehaviour{RotateKey: true}
	assertLoggedIn(t, rp, loginWith(t, rp, rp.fake.NewBrowser(), rotated))
	assert.Equal(t, 2, rp.fake.JWKSRequests(), "the new key was fetched once")

	assertLoggedIn(t, rp, loginWith(t, rp, rp.fake.NewBrowser(), rotated))
	assert.Equal(t, 2, rp.fake.JWKSRequests(), "the new key is cached")
}

func TestJWKSRefetchRateLimited(t *testing.T) {
	clk := &clock{}
	rp := newRelyingParty(t, ifyultest.DirectFlow, func(cfg *ifyul.Config) {
		cfg.Now = clk.now
	})
	unknownKey := ifyultest.ProviderMisbehaviour{UnknownKeyID: true}

	for period := 1; period <= 2; period++ {
		for range 3 {
			page := loginWith(t, rp, rp.fake.NewBrowser(), unknownKey)
			assert.ErrorIs(t, rp.err(), ifyul.ErrBadSignature)
			assert.Equal(t, http.StatusBadGateway, page.Status)
		}
		assert.Equal(t, period, rp.fake.JWKSRequests(),
			"one fetch per period, however many tokens name unknown keys")
		clk.advance(11 * time.Second)
	}

	assertLoggedIn(t, rp, loginWith(t, rp, rp.fake.NewBrowser(),
		ifyultest.ProviderMisbehaviour{}))
	assert.Equal(t, 2, rp.fake.JWKSRequests(), "the published key was cached all along")
}

func TestSignedUserInfo(t *testing.T) {
	cases := []struct {
		name      string
		misbehave ifyultest.ProviderMisbehaviour
		want      error
		wantText  string
	}{
		{"signed", ifyultest.ProviderMisbehaviour{SignedUserInfo: true}, nil, ""},
		{"tampered", ifyultest.ProviderMisbehaviour{TamperedUserInfo: true},
			ifyul.ErrBadSignature, "ifyul: userinfo: "},
		{"unsigned", ifyultest.ProviderMisbehaviour{SignedUserInfo: true, AlgNone: true},
			ifyul.ErrBadSignature, "signed userinfo"},
		{"signed with HMAC", ifyultest.ProviderMisbehaviour{SignedUserInfo: true,
			AlgHS256: true}, ifyul.ErrBadSignature, "signed userinfo"},
		{"signed by another key", ifyultest.ProviderMisbehaviour{SignedUserInfo: true,
			BadSignature: true}, ifyul.ErrBadSignature, "ifyul: userinfo: "},
		{"another issuer", ifyultest.ProviderMisbehaviour{SignedUserInfo: true,
			WrongIssuer: true}, ifyul.ErrWrongIssuer, "signed userinfo issuer"},
		{"another audience", ifyultest.ProviderMisbehaviour{SignedUserInfo: true,
			WrongAudience: true}, ifyul.ErrWrongAudience, "signed userinfo audience"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
			page := loginWith(t, rp, rp.fake.NewBrowser(), tc.misbehave)

			if tc.want == nil {
				assertLoggedIn(t, rp, page)
				id := identityOf(t, page)
				assert.Equal(t, "Иванов", id.Names.Russian.Family, "names come from the JWT")
				return
			}
			assert.ErrorIs(t, rp.err(), tc.want)
			assert.ErrorContains(t, rp.err(), tc.wantText)
			assert.Equal(t, http.StatusBadGateway, page.Status)
		})
	}
}

// tokenResponseForms are the forms in which providers send token responses.
var tokenResponseForms = []struct {
	name      string
	misbehave ifyultest.ProviderMisbehaviour
}{
	{"JSON with charset", ifyultest.ProviderMisbehaviour{}},
	{"JSON without charset", ifyultest.ProviderMisbehaviour{TokenJSONWithoutCharset: true}},
	{"text/plain holding JSON", ifyultest.ProviderMisbehaviour{TokenAsTextPlain: true}},
	{"form", ifyultest.ProviderMisbehaviour{TokenAsForm: true}},
}

func TestTokenResponseForms(t *testing.T) {
	for _, form := range tokenResponseForms {
		t.Run(form.name, func(t *testing.T) {
			rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
			assertLoggedIn(t, rp, loginWith(t, rp, rp.fake.NewBrowser(), form.misbehave))
		})
	}
}

func TestTokenErrorResponseForms(t *testing.T) {
	for _, form := range tokenResponseForms {
		for _, status := range []int{http.StatusBadRequest, http.StatusOK} {
			t.Run(form.name+"/"+http.StatusText(status), func(t *testing.T) {
				rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
				m := form.misbehave
				m.RejectCodes = true
				m.ErrorsWithStatus200 = status == http.StatusOK
				loginWith(t, rp, rp.fake.NewBrowser(), m)

				var pe *ifyul.ProtocolError
				require.ErrorAs(t, rp.err(), &pe)
				assert.Equal(t, "provider", pe.Source)
				assert.Equal(t, "invalid_grant", pe.Code)
				assert.Equal(t, "authorization code refused", pe.Description)
				assert.Equal(t, status, pe.HTTPStatus)
				assert.NotErrorIs(t, rp.err(), ifyul.ErrProviderUnavailable)
			})
		}
	}
}

func TestUserinfoErrorResponses(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusOK} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
			loginWith(t, rp, rp.fake.NewBrowser(), ifyultest.ProviderMisbehaviour{
				RejectAccessTokens: true, ErrorsWithStatus200: status == http.StatusOK,
			})

			var pe *ifyul.ProtocolError
			require.ErrorAs(t, rp.err(), &pe)
			assert.Equal(t, "invalid_token", pe.Code)
			assert.Equal(t, "access token unknown or expired", pe.Description)
			assert.Equal(t, status, pe.HTTPStatus)
			assert.ErrorContains(t, rp.err(), "ifyul: userinfo: ")
		})
	}
}

func TestAuthorizationErrorCarriesCode(t *testing.T) {
	sources := map[ifyultest.Flow]string{
		ifyultest.DirectFlow: "provider", ifyultest.KPSISFlow: "КПСИС",
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			rp := newRelyingParty(t, f.flow, nil)
			page := loginWith(t, rp, rp.fake.NewBrowser(),
				ifyultest.ProviderMisbehaviour{DenyAccess: true})

			var pe *ifyul.ProtocolError
			require.ErrorAs(t, rp.err(), &pe)
			assert.Equal(t, sources[f.flow], pe.Source)
			assert.Equal(t, "access_denied", pe.Code)
			assert.ErrorIs(t, rp.err(), ifyul.ErrAccessDenied)
			assert.Equal(t, http.StatusForbidden, page.Status)
			assert.Contains(t, page.Body, "Вход отменён")
		})
	}
}
