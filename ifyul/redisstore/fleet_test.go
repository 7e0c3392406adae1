package redisstore_test

import (
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
	"github.com/esiful/sdk-go/ifyul/redisstore"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/stack"
	"github.com/esiful/sdk-go/internal/redistest"
)

// fleet is two instances of one relying party sharing a Redis, behind a
// balancer that sends each request to the instance the test chooses.
type fleet struct {
	fake      *stack.Stack
	instances [2]*ifyul.Client
	balancer  *httptest.Server
	// next picks the instance for a request; default round robin.
	next func(r *http.Request) int
	turn atomic.Int64
}

// errorHeader carries the name of the sentinel a failed login ended with,
// so that the test can check every failure is a typed one.
const errorHeader = "X-Login-Error"

var sentinels = []error{ifyul.ErrProviderUnavailable, ifyul.ErrKPSISUnavailable,
	ifyul.ErrMaintenance, ifyul.ErrAccessSuspended, ifyul.ErrStoreUnavailable,
	ifyul.ErrAttemptNotFound, ifyul.ErrAttemptExpired, ifyul.ErrReplayedCallback,
	ifyul.ErrStateMismatch, ifyul.ErrClientProgramNotConfirmed, ifyul.ErrInvalidToken}

func sentinelName(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "untyped: " + err.Error()
}

func newFleet(t *testing.T, rdb *redistest.Server) *fleet {
	t.Helper()
	fake, err := stack.Start(stack.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = fake.Close() })

	f := &fleet{fake: fake}
	f.next = func(*http.Request) int { return int(f.turn.Add(1) % 2) }
	mux := http.NewServeMux()
	f.balancer = httptest.NewServer(mux)
	t.Cleanup(f.balancer.Close)
	require.NoError(t, fake.Register([]string{f.balancer.URL + "/callback"}, nil))

	var handlers [2]*http.ServeMux
	for i := range f.instances {
		store := redisstore.New(rdb.Client(t), "fleet")
		client, err := ifyul.New(ifyul.Config{
			Authority: fake.ProviderURL, ClientID: fake.ClientID,
			RedirectURL: f.balancer.URL + "/callback", KPSISURL: fake.KPSISURL,
			ClientProgramURL: fake.ClientProgramURL,
			AttemptStore:     store.Attempts(), SessionStore: store.Sessions(),
			Meter:      &ifyul.Meter{Store: store.Meter()},
			HTTPClient: &http.Client{Timeout: 5 * time.Second},
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				w.Header().Set(errorHeader, sentinelName(err))
				ifyul.WriteErrorPage(w, r, err)
			},
		})
		require.NoError(t, err)
		f.instances[i] = client
		h := http.NewServeMux()
		h.Handle("GET /login", client.LoginHandler())
		h.Handle("GET /callback", client.CallbackHandler())
		h.Handle("GET /me", client.RequireSession("/login",
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s, _ := ifyul.SessionFromContext(r.Context())
				_ = json.NewEncoder(w).Encode(s.Identity)
			})))
		handlers[i] = h
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		handlers[f.next(r)].ServeHTTP(w, r)
	})
	return f
}

func TestCallbackOnOtherInstance(t *testing.T) {
	rdb := redistest.Start(t)
	f := newFleet(t, rdb)
	// The login starts on instance 0, the callback and the page after it
	// land on instance 1.
	f.next = func(r *http.Request) int {
		if r.URL.Path == "/login" {
			return 0
		}
		return 1
	}
	browser := ifyultest.NewBrowser()
	var callback *url.URL
	var attempt string
	browser.HTTP.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/callback" {
			callback = req.URL
			for _, c := range browser.HTTP.Jar.Cookies(req.URL) {
				if c.Name == "ifyul_attempt" {
					attempt = c.Value
				}
			}
		}
		return nil
	}
	page, err := browser.Login(f.balancer.URL+"/login?return_to=/me", 2)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, page.Status, page.Body)
	var id ifyul.Identity
	require.NoError(t, json.Unmarshal([]byte(page.Body), &id))
	assert.Equal(t, "4220792C012PB1", id.PersonalNumber.String())
	require.NotNil(t, callback)
	require.NotEmpty(t, attempt)

	// The same callback, with the attempt cookie an attacker captured,
	// is refused on either instance.
	for _, instance := range []int{0, 1} {
		f.next = func(*http.Request) int { return instance }
		req, err := http.NewRequest(http.MethodGet, callback.String(), nil)
		require.NoError(t, err)
		req.AddCookie(&http.Cookie{Name: "ifyul_attempt", Value: attempt})
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, ifyul.ErrReplayedCallback.Error(), resp.Header.Get(errorHeader),
			"instance %d", instance)
	}
}

var longLoad = flag.Bool("load.long", false, "run the fleet load test with 2000 logins instead of 150")

func TestFleetLoad(t *testing.T) {
	logins, concurrency := 150, 50
	if *longLoad {
		logins, concurrency = 2000, 200
	}
	rdb := redistest.Start(t)
	f := newFleet(t, rdb)

	stop := make(chan struct{})
	var switcher sync.WaitGroup
	switcher.Go(func() { f.switchModes(stop) })

	var completed, failed, browserFailed atomic.Int64
	var mu sync.Mutex
	failures := map[string]int{}
	start := time.Now()
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := range logins {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			person := 1 + i%6
			page, err := ifyultest.NewBrowser().Login(f.balancer.URL+"/login?return_to=/me", person)
			switch {
			case err != nil:
				browserFailed.Add(1)
			case page.URL.Host != strings.TrimPrefix(f.balancer.URL, "http://"):
				// The browser met the provider's own error page (down or
				// in maintenance) and never came back to the relying party.
				browserFailed.Add(1)
			case page.Status == http.StatusOK && page.URL.Path == "/me":
				var id ifyul.Identity
				if assert.NoError(t, json.Unmarshal([]byte(page.Body), &id)) {
					want := f.fake.Persons.ByID(person).PersonalNumber
					assert.Equal(t, want, id.PersonalNumber.String(), "a session for the wrong person")
				}
				completed.Add(1)
			default:
				name := page.Header.Get(errorHeader)
				assert.NotEmpty(t, name, "a failure without a typed error (HTTP %d)", page.Status)
				assert.NotContains(t, name, "untyped")
				mu.Lock()
				failures[name]++
				mu.Unlock()
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	switcher.Wait()
	elapsed := time.Since(start)

	duringSwitching := completed.Load()

	// Back to healthy, every login completes again: the fleet recovers.
	const recovery = 20
	var recovered sync.WaitGroup
	for i := range recovery {
		recovered.Go(func() {
			person := 1 + i%6
			page, err := ifyultest.NewBrowser().Login(f.balancer.URL+"/login?return_to=/me", person)
			if assert.NoError(t, err) && assert.Equal(t, "/me", page.URL.Path, page.Body) {
				completed.Add(1)
			}
		})
	}
	recovered.Wait()

	reading, err := f.instances[0].Meter().Reading(t.Context(), f.fake.ClientID, ifyul.MonthOf(time.Now()))
	require.NoError(t, err)
	assert.Equal(t, completed.Load(), reading.Transactions, "the meter counts completed logins")
	assert.Equal(t, int64(logins+recovery), completed.Load()+failed.Load()+browserFailed.Load())

	t.Logf("%d logins, %d at a time, in %s: %d completed, %d failed with a typed error %v, "+
		"%d ended at the provider's own error page; then %d of %d completed once healthy; "+
		"meter %d transactions, %d failed attempts",
		logins, concurrency, elapsed.Round(time.Millisecond), duringSwitching, failed.Load(),
		failures, browserFailed.Load(), completed.Load()-duringSwitching, recovery,
		reading.Transactions, reading.FailedAttempts)
}

// switchModes cycles the provider through healthy, slow, down and
// maintenance until stop is closed.
func (f *fleet) switchModes(stop chan struct{}) {
	steps := []struct {
		mode  fault.Mode
		delay time.Duration
	}{
		{fault.Healthy, 0}, {fault.Healthy, 30 * time.Millisecond}, {fault.Healthy, 0},
		{fault.Down, 0}, {fault.Healthy, 0}, {fault.Maintenance, 0},
	}
	for i := 0; ; i++ {
		step := steps[i%len(steps)]
		f.fake.ProviderSwitch.Set(step.mode)
		f.fake.ProviderSwitch.SetDelay(step.delay)
		select {
		case <-stop:
			f.fake.ProviderSwitch.Set(fault.Healthy)
			f.fake.ProviderSwitch.SetDelay(0)
			return
		case <-time.After(60 * time.Millisecond):
		}
	}
}
