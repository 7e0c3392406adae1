package fault_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/fake/fault"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want fault.Mode
	}{
		{"healthy", fault.Healthy},
		{"down", fault.Down},
		{"maintenance", fault.Maintenance},
		{"suspended", fault.Suspended},
		{"", fault.Healthy},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := fault.ParseMode(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseModeUnknown(t *testing.T) {
	for _, in := range []string{"Healthy", "DOWN", " down", "down ", "off", "maintenance\x00", "503"} {
		t.Run(in, func(t *testing.T) {
			got, err := fault.ParseMode(in)
			require.Error(t, err)
			assert.Empty(t, got)
			assert.ErrorContains(t, err, "fault: unknown mode")
			assert.ErrorContains(t, err, "healthy, down, maintenance or suspended")
		})
	}
}

func TestSwitchZeroValue(t *testing.T) {
	var s fault.Switch
	assert.Equal(t, fault.Healthy, s.Mode())
	assert.Zero(t, s.Delay())

	s.Set(fault.Maintenance)
	s.SetDelay(3 * time.Second)
	assert.Equal(t, fault.Maintenance, s.Mode())
	assert.Equal(t, 3*time.Second, s.Delay())

	s.Set("")
	assert.Equal(t, fault.Healthy, s.Mode(), "an empty mode reads as healthy")
}

// wrapped returns a handler behind the switch that counts the requests
// reaching it.
func wrapped(s *fault.Switch) (http.Handler, *atomic.Int32) {
	var reached atomic.Int32
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		_, _ = io.WriteString(w, "served")
	})
	errorBody := func(code, description string) any {
		return map[string]string{"code": code, "text": description}
	}
	return s.Wrap(next, errorBody), &reached
}

func TestWrapModes(t *testing.T) {
	tests := []struct {
		mode       fault.Mode
		wantStatus int
		wantCode   string
		retryAfter string
	}{
		{fault.Maintenance, http.StatusServiceUnavailable, "maintenance", "600"},
		{fault.Suspended, http.StatusForbidden, "access_suspended", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			var s fault.Switch
			s.Set(tt.mode)
			h, reached := wrapped(&s)

			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/any", nil))

			assert.Equal(t, tt.wantStatus, rec.Code)
			assert.Equal(t, tt.retryAfter, rec.Header().Get("Retry-After"))
			assert.Contains(t, rec.Header().Get("Content-Type"), "application/json")
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.wantCode, body["code"])
			assert.NotEmpty(t, body["text"])
			assert.Zero(t, reached.Load(), "the component must not serve")
		})
	}
}

func TestWrapHealthy(t *testing.T) {
	var s fault.Switch
	h, reached := wrapped(&s)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "served", rec.Body.String())
	assert.EqualValues(t, 1, reached.Load())

	s.Set(fault.Suspended)
	s.Set(fault.Healthy)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, "served", rec.Body.String(), "switching back restores service")
}

func TestWrapDownDropsConnection(t *testing.T) {
	var s fault.Switch
	s.Set(fault.Down)
	h, reached := wrapped(&s)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	resp, err := srv.Client().Get(srv.URL + "/")
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "a component that is down sends no response")
	assert.Zero(t, reached.Load())

	s.Set(fault.Healthy)
	resp, err = srv.Client().Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestWrapDownWithoutHijacker(t *testing.T) {
	var s fault.Switch
	s.Set(fault.Down)
	h, _ := wrapped(&s)

	// A recorder cannot be hijacked; the handler then aborts the request
	// the way net/http expects, never answering normally.
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	})
}

func TestWrapDelayHonoured(t *testing.T) {
	const delay = 30 * time.Millisecond
	var s fault.Switch
	s.SetDelay(delay)
	s.Set(fault.Maintenance)
	h, reached := wrapped(&s)

	start := time.Now()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

	// A lower bound only: time.After never fires early, so this cannot
	// flake on a slow machine.
	assert.GreaterOrEqual(t, time.Since(start), delay)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "the mode applies after the delay")
	assert.Zero(t, reached.Load())
}

func TestWrapDelayCancelled(t *testing.T) {
	var s fault.Switch
	s.SetDelay(time.Hour)
	h, reached := wrapped(&s)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))

	assert.Zero(t, reached.Load(), "a cancelled request is not served")
	assert.Empty(t, rec.Body.String())
	assert.False(t, rec.Flushed)
}

func TestWrapDelayCancelledWhileWaiting(t *testing.T) {
	var s fault.Switch
	s.SetDelay(time.Hour)
	h, reached := wrapped(&s)

	entered := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
		close(entered)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}()
	<-entered
	cancel()

	// Without the cancellation the handler would wait an hour and the
	// test would hit its deadline instead.
	<-done
	assert.Zero(t, reached.Load())
}

func TestWrapDelayCancelledByClient(t *testing.T) {
	var s fault.Switch
	s.SetDelay(time.Hour)
	h, reached := wrapped(&s)

	entered := make(chan struct{})
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		close(entered)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// Cancel only once the server has the request, so that the handler
	// sees the connection go away rather than never seeing the request.
	<-entered
	cancel()

	assert.Error(t, <-errc)
	<-returned
	assert.Zero(t, reached.Load())
}

func TestSwitchConcurrentUse(t *testing.T) {
	var s fault.Switch
	h, _ := wrapped(&s)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				modes := []fault.Mode{fault.Healthy, fault.Maintenance, fault.Suspended}
				s.Set(modes[(i+j)%len(modes)])
				s.SetDelay(0)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				assert.Contains(t, []int{200, 403, 503}, rec.Code)
			}
		})
	}
	wg.Wait()
}

func FuzzParseMode(f *testing.F) {
	for _, seed := range []string{"healthy", "down", "maintenance", "suspended", "", "Down", "x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := fault.ParseMode(in)
		if err != nil {
			assert.Empty(t, got)
			return
		}
		if in == "" {
			assert.Equal(t, fault.Healthy, got)
			return
		}
		assert.Equal(t, in, string(got))
		again, err := fault.ParseMode(string(got))
		require.NoError(t, err)
		assert.Equal(t, got, again)
	})
}
