package ifyul

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		name      string
		answers   []int // status per request; 0 drops the connection
		body      string
		wantCalls int32
		wantErr   error
	}{
		{"recovers after two failures", []int{0, 503, 200}, `{}`, 3, nil},
		{"gives up after three", []int{502, 502, 502, 200}, `{}`, 3, ErrProviderUnavailable},
		{"maintenance is not retried", []int{503}, `{"error":"maintenance"}`, 1, ErrMaintenance},
		{"suspension is not retried", []int{403}, `{"error":"access_suspended"}`, 1, ErrAccessSuspended},
		{"a 404 is an answer", []int{404}, `{}`, 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				status := tc.answers[min(int(n), len(tc.answers))-1]
				if status == 0 {
					panic(http.ErrAbortHandler)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, err := New(Config{ClientID: "x", RedirectURL: "http://127.0.0.1/cb",
				Retry: RetryPolicy{Backoff: time.Millisecond}})
			require.NoError(t, err)

			var out map[string]any
			err = c.getJSON(context.Background(), sourceProvider, srv.URL, &out)
			assert.Equal(t, tc.wantCalls, calls.Load())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			} else if tc.answers[len(tc.answers)-1] == 200 {
				assert.NoError(t, err)
			} else {
				var pe *ProtocolError
				assert.True(t, errors.As(err, &pe), "%v", err)
			}
		})
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	c, err := New(Config{ClientID: "x", RedirectURL: "http://127.0.0.1/cb",
		Retry: RetryPolicy{Attempts: 10, Backoff: time.Hour}})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = c.getJSON(ctx, sourceProvider, srv.URL, &map[string]any{})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrProviderUnavailable)
}
