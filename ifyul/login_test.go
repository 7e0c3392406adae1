package ifyul_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// relyingParty is a minimal consumer web system using the SDK's handlers,
// served on loopback against a fake ЕС ИФЮЛ.
type relyingParty struct {
	fake   *ifyultest.Server
	client *ifyul.Client
	srv    *httptest.Server

	mu      sync.Mutex
	lastErr error
}

func newRelyingParty(t *testing.T, flow ifyultest.Flow, adjust func(*ifyul.Config)) *relyingParty {
	t.Helper()
	fake, err := ifyultest.Start(ifyultest.Options{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)

	rp := &relyingParty{fake: fake}
	mux := http.NewServeMux()
	rp.srv = httptest.NewServer(mux)
	t.Cleanup(rp.srv.Close)

	cfg := fake.Config(flow, rp.srv.URL+"/callback", rp.srv.URL+"/bye")
	cfg.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		rp.mu.Lock()
		rp.lastErr = err
		rp.mu.Unlock()
		ifyul.WriteErrorPage(w, r, err)
	}
	if adjust != nil {
		adjust(&cfg)
	}
	rp.client, err = ifyul.New(cfg)
	require.NoError(t, err)

	mux.Handle("GET /login", rp.client.LoginHandler())
	mux.Handle("GET /callback", rp.client.CallbackHandler())
	mux.Handle("/logout", rp.client.LogoutHandler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("home"))
	})
	mux.HandleFunc("GET /bye", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("logged out"))
	})
	mux.Handle("GET /me", rp.client.RequireSession("/login",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, _ := ifyul.SessionFromContext(r.Context())
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(s.Identity)
		})))
	return rp
}

func (rp *relyingParty) err() error {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.lastErr
}

// identityOf decodes the /me page.
func identityOf(t *testing.T, page *ifyultest.Page) ifyul.Identity {
	t.Helper()
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	var id ifyul.Identity
	require.NoError(t, json.Unmarshal([]byte(page.Body), &id), page.Body)
	return id
}

var flows = []struct {
	name string
	flow ifyultest.Flow
}{
	{"kpsis", ifyultest.KPSISFlow},
	{"direct", ifyultest.DirectFlow},
}

func TestLoginEndToEnd(t *testing.T) {
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			rp := newRelyingParty(t, f.flow, nil)
			browser := rp.fake.NewBrowser()

			page, err := browser.Login(rp.srv.URL+"/login?return_to=/me", 2)
			require.NoError(t, err)
			id := identityOf(t, page)

			assert.Equal(t, "/me", page.URL.Path)
			assert.Equal(t, "4220792C012PB1", id.PersonalNumber.String())
			assert.Equal(t, "Ковалёва", id.Names.Russian.Family)
			assert.Equal(t, "Ганна", id.Names.Belarusian.Given)
			assert.Equal(t, "KAVALIOVA", id.Names.Latin.Family)
			assert.Equal(t, time.Date(1992, 7, 22, 0, 0, 0, 0, time.UTC), id.BirthDate)
			assert.Equal(t, ifyul.SexFemale, id.Sex)
			assert.Equal(t, rp.fake.ProviderURL, id.Issuer)
			assert.Equal(t, "Гомельская обл., г. Гомель, пр-т Ленина, д. 5, кв. 17",
				id.ResidenceAddress())
			assert.NoError(t, rp.err())

			page, err = browser.PostForm(rp.srv.URL+"/logout", nil)
			require.NoError(t, err)
			assert.Equal(t, "/bye", page.URL.Path, "the provider sends the browser back")

			page, err = browser.Get(rp.srv.URL + "/me")
			require.NoError(t, err)
			assert.NotEqual(t, "/me", page.URL.Path, "the session is gone after logout")
		})
	}
}
