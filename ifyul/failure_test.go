package ifyul_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// stopAtCallback makes the browser stop before following the provider's
// redirect to the callback, and returns that callback URL.
func stopAtCallback(t *testing.T, rp *relyingParty, b *ifyultest.Browser) *url.URL {
	t.Helper()
	b.HTTP.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	rp.fake.SetAutoLogin(1)
	page, err := b.Login(rp.srv.URL+"/login", 1)
	require.NoError(t, err)
	require.Equal(t, http.StatusFound, page.Status, page.Body)
	callback, err := url.Parse(page.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/callback", callback.Path)
	b.HTTP.CheckRedirect = nil
	return callback
}

// attemptCookie returns the browser's login-attempt cookie.
func attemptCookie(t *testing.T, rp *relyingParty, b *ifyultest.Browser) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(rp.srv.URL)
	for _, c := range b.HTTP.Jar.Cookies(u) {
		if c.Name == "ifyul_attempt" {
			return c
		}
	}
	t.Fatal("no ifyul_attempt cookie in the browser")
	return nil
}

func TestCallbackStateMismatch(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			rp := newRelyingParty(t, f.flow, nil)
			victim := rp.fake.NewBrowser()
			attacker := rp.fake.NewBrowser()

			// The attacker's own callback is fed to the victim's browser,
			// which has a login attempt of its own.
			stopAtCallback(t, rp, victim)
			attackerCallback := stopAtCallback(t, rp, attacker)

			page, err := victim.Get(attackerCallback.String())
			require.NoError(t, err)
			assert.ErrorIs(t, rp.err(), ifyul.ErrStateMismatch)
			assert.Equal(t, http.StatusBadRequest, page.Status)
			assert.Contains(t, page.Body, "другой попытке входа")
		})
	}
}

func TestCallbackReplayed(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			rp := newRelyingParty(t, f.flow, nil)
			b := rp.fake.NewBrowser()
			callback := stopAtCallback(t, rp, b)
			cookie := attemptCookie(t, rp, b)

			page, err := b.Get(callback.String())
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			require.NoError(t, rp.err())

			// The same callback with the same attempt cookie, as an
			// attacker who captured both would send it.
			u, _ := url.Parse(rp.srv.URL)
			b.HTTP.Jar.SetCookies(u, []*http.Cookie{cookie})
			page, err = b.Get(callback.String())
			require.NoError(t, err)
			assert.ErrorIs(t, rp.err(), ifyul.ErrReplayedCallback)
			assert.Equal(t, http.StatusBadRequest, page.Status)
		})
	}
}

func TestCallbackWithoutAttempt(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
	callback := stopAtCallback(t, rp, rp.fake.NewBrowser())

	stranger := rp.fake.NewBrowser()
	_, err := stranger.Get(callback.String())
	require.NoError(t, err)
	assert.ErrorIs(t, rp.err(), ifyul.ErrAttemptNotFound)
}

// clock is a settable time source for Config.Now.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func TestCallbackAfterAttemptExpired(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			clk := &clock{}
			rp := newRelyingParty(t, f.flow, func(cfg *ifyul.Config) {
				cfg.Now = clk.now
				cfg.AttemptTTL = 5 * time.Minute
			})
			b := rp.fake.NewBrowser()
			callback := stopAtCallback(t, rp, b)
			clk.advance(6 * time.Minute)

			_, err := b.Get(callback.String())
			require.NoError(t, err)
			assert.ErrorIs(t, rp.err(), ifyul.ErrAttemptExpired)
		})
	}
}

func TestTokenChecks(t *testing.T) {
	cases := []struct {
		name      string
		misbehave ifyultest.ProviderMisbehaviour
		want      error
	}{
		{"wrong issuer", ifyultest.ProviderMisbehaviour{WrongIssuer: true}, ifyul.ErrWrongIssuer},
		{"bad signature", ifyultest.ProviderMisbehaviour{BadSignature: true}, ifyul.ErrBadSignature},
		{"wrong audience", ifyultest.ProviderMisbehaviour{WrongAudience: true}, ifyul.ErrWrongAudience},
		{"expired token", ifyultest.ProviderMisbehaviour{ExpiredToken: true}, ifyul.ErrTokenExpired},
		{"missing nonce", ifyultest.ProviderMisbehaviour{OmitNonce: true}, ifyul.ErrNonceMismatch},
	}
	for _, f := range flows {
		for _, tc := range cases {
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				rp := newRelyingParty(t, f.flow, nil)
				rp.fake.SetProviderMisbehaviour(tc.misbehave)
				// The КПСИС would catch these itself; here it hands the
				// token on unchecked, so that the SDK's checks are tested.
				rp.fake.SetKPSISMisbehaviour(ifyultest.KPSISMisbehaviour{PassTokensUnchecked: true})

				page, err := rp.fake.NewBrowser().Login(rp.srv.URL+"/login", 1)
				require.NoError(t, err)
				assert.ErrorIs(t, rp.err(), tc.want)
				assert.ErrorIs(t, rp.err(), ifyul.ErrInvalidToken)
				assert.Equal(t, http.StatusBadGateway, page.Status)
				assert.Contains(t, page.Body, "не прошёл проверку")
			})
		}
	}
}

func TestKPSISRejectsBadTokenItself(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.KPSISFlow, nil)
	rp.fake.SetProviderMisbehaviour(ifyultest.ProviderMisbehaviour{BadSignature: true})

	_, err := rp.fake.NewBrowser().Login(rp.srv.URL+"/login", 1)
	require.NoError(t, err)
	var pe *ifyul.ProtocolError
	require.ErrorAs(t, rp.err(), &pe)
	assert.Equal(t, "КПСИС", pe.Source)
	assert.Equal(t, "invalid_token", pe.Code)
	assert.ErrorIs(t, rp.err(), ifyul.ErrInvalidToken)
}

func TestKPSISFlowWithoutReportedNonce(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.KPSISFlow, nil)
	rp.fake.SetKPSISMisbehaviour(ifyultest.KPSISMisbehaviour{HideNonce: true})

	page, err := rp.fake.NewBrowser().Login(rp.srv.URL+"/login?return_to=/me", 3)
	require.NoError(t, err)
	id := identityOf(t, page)
	assert.Equal(t, "5050101A123PB6", id.PersonalNumber.String())
}

func TestMixUpDefence(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.DirectFlow, nil)
	rp.fake.SetProviderMisbehaviour(ifyultest.ProviderMisbehaviour{WrongIssParam: true})

	_, err := rp.fake.NewBrowser().Login(rp.srv.URL+"/login", 1)
	require.NoError(t, err)
	assert.ErrorIs(t, rp.err(), ifyul.ErrWrongIssuer)
}

func TestClientProgramNotConfirming(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.KPSISFlow, nil)
	rp.fake.SetClientProgramRejecting(true)
	b := rp.fake.NewBrowser()

	_, err := b.Login(rp.srv.URL+"/login", 1)
	var cpErr *ifyultest.ClientProgramError
	require.ErrorAs(t, err, &cpErr, "the page's script stops when the client program refuses")

	// Going to the provider without the confirmation does not help: the
	// provider refuses the request and the SDK says why.
	page, err := b.Get(rp.srv.URL + "/login")
	require.NoError(t, err)
	next := nextURL(t, page.Body)
	rp.fake.SetAutoLogin(1)
	page, err = b.Get(next)
	require.NoError(t, err)
	assert.ErrorIs(t, rp.err(), ifyul.ErrClientProgramNotConfirmed)
	assert.Contains(t, page.Body, "Клиентская программа")
}

func TestProviderRefusesUnconfirmedPlainRequestsWhenRequired(t *testing.T) {
	fake, err := ifyultest.Start(ifyultest.Options{RequireConfirmation: true, AutoLogin: 1})
	require.NoError(t, err)
	defer fake.Close()
	cfg := fake.Config(ifyultest.DirectFlow, "http://127.0.0.1:1/callback", "")
	client, err := ifyul.New(cfg)
	require.NoError(t, err)
	_, start, err := client.StartLogin(t.Context(), "")
	require.NoError(t, err)

	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := b.Get(start.AuthURL)
	require.NoError(t, err)
	resp.Body.Close()
	callback, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "unconfirmed_request", callback.Query().Get("error"))
}

func TestOutages(t *testing.T) {
	cases := []struct {
		name      string
		component ifyultest.Component
		mode      ifyultest.Mode
		want      map[ifyultest.Flow]error
		status    int
	}{
		{"provider down", ifyultest.Provider, ifyultest.Down,
			map[ifyultest.Flow]error{ifyultest.KPSISFlow: ifyul.ErrProviderUnavailable,
				ifyultest.DirectFlow: ifyul.ErrProviderUnavailable}, http.StatusBadGateway},
		{"provider maintenance", ifyultest.Provider, ifyultest.Maintenance,
			map[ifyultest.Flow]error{ifyultest.KPSISFlow: ifyul.ErrMaintenance,
				ifyultest.DirectFlow: ifyul.ErrMaintenance}, http.StatusServiceUnavailable},
		{"access suspended", ifyultest.Provider, ifyultest.Suspended,
			map[ifyultest.Flow]error{ifyultest.KPSISFlow: ifyul.ErrAccessSuspended,
				ifyultest.DirectFlow: ifyul.ErrAccessSuspended}, http.StatusServiceUnavailable},
		{"КПСИС down", ifyultest.KPSIS, ifyultest.Down,
			map[ifyultest.Flow]error{ifyultest.KPSISFlow: ifyul.ErrKPSISUnavailable},
			http.StatusBadGateway},
		{"КПСИС maintenance", ifyultest.KPSIS, ifyultest.Maintenance,
			map[ifyultest.Flow]error{ifyultest.KPSISFlow: ifyul.ErrMaintenance},
			http.StatusServiceUnavailable},
	}
	for _, f := range flows {
		for _, tc := range cases {
			want, ok := tc.want[f.flow]
			if !ok {
				continue
			}
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				rp := newRelyingParty(t, f.flow, nil)
				rp.fake.SetMode(tc.component, tc.mode)

				page, err := rp.fake.NewBrowser().Get(rp.srv.URL + "/login")
				require.NoError(t, err)
				assert.ErrorIs(t, rp.err(), want)
				assert.Equal(t, tc.status, page.Status)

				rp.fake.SetMode(tc.component, ifyultest.Healthy)
				page, err = rp.fake.NewBrowser().Login(rp.srv.URL+"/login?return_to=/me", 1)
				require.NoError(t, err)
				assert.Equal(t, "3150385H001PB7", identityOf(t, page).PersonalNumber.String(),
					"logins work again once the component is back")
			})
		}
	}
}

func TestSlowProviderTimesOut(t *testing.T) {
	rp := newRelyingParty(t, ifyultest.DirectFlow, func(cfg *ifyul.Config) {
		cfg.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
	})
	rp.fake.SetDelay(ifyultest.Provider, 2*time.Second)

	_, err := rp.fake.NewBrowser().Get(rp.srv.URL + "/login")
	require.NoError(t, err)
	assert.ErrorIs(t, rp.err(), ifyul.ErrProviderUnavailable)
}

// nextURL reads the enveloped URL from the КПСИС flow page.
func nextURL(t *testing.T, body string) string {
	t.Helper()
	const marker = `"next":"`
	i := strings.Index(body, marker)
	require.GreaterOrEqual(t, i, 0, "the page has no enveloped URL")
	rest := body[i+len(marker):]
	j := strings.Index(rest, `"`)
	require.Greater(t, j, 0)
	var s string
	require.NoError(t, json.Unmarshal([]byte(`"`+rest[:j]+`"`), &s))
	return s
}
