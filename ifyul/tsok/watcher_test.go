package tsok_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/fake/pki"
)

// lockedBuffer is a log destination safe for the watcher's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestWatcherCheck(t *testing.T) {
	ca := testCA(t)
	day := 24 * time.Hour
	tests := []struct {
		name   string
		source tsok.CertificateSource
		state  tsok.State
		level  string
		err    string
	}{
		{"valid", staticTSOK(t, ca, testNow.Add(100*day)), tsok.StateValid, "level=INFO", ""},
		{"renewal due", staticTSOK(t, ca, testNow.Add(10*day)), tsok.StateRenewalDue,
			"level=WARN", ""},
		{"expired", staticTSOK(t, ca, testNow.Add(-day)), tsok.StateExpired, "level=ERROR", ""},
		{"unreadable", func(context.Context) (*attrcert.Certificate, error) {
			return nil, errors.New("tsok: reading the ТСОК: permission denied")
		}, "", "level=ERROR", "permission denied"},
		{"no certificate", func(context.Context) (*attrcert.Certificate, error) {
			return nil, nil
		}, "", "level=ERROR", "returned no certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedBuffer
			var hooked []tsok.State
			var hookErr error
			w := &tsok.Watcher{
				Certificate: tt.source,
				Logger:      slog.New(slog.NewTextHandler(&logs, nil)),
				Now:         func() time.Time { return testNow },
				OnCheck: func(_ context.Context, s tsok.ExpiryStatus, err error) {
					hooked = append(hooked, s.State)
					hookErr = err
				},
			}
			status, err := w.Check(context.Background())
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, hookErr.Error(), tt.err)
			} else {
				require.NoError(t, err)
				assert.NoError(t, hookErr)
			}
			assert.Equal(t, tt.state, status.State)
			assert.Equal(t, []tsok.State{tt.state}, hooked)
			assert.Contains(t, logs.String(), tt.level)
			assert.Equal(t, 1, strings.Count(logs.String(), "\n"), "one line per check")
		})
	}
}

// staticTSOK issues a ТСОК valid for a year up to notAfter.
func staticTSOK(t *testing.T, ca *pki.Authority, notAfter time.Time) tsok.CertificateSource {
	t.Helper()
	return tsok.StaticCertificate(parseTSOK(t, issueTSOK(t, ca, notAfter.AddDate(-1, 0, 0),
		notAfter)))
}

func TestWatcherRunPicksUpRenewal(t *testing.T) {
	ca := testCA(t)
	path := filepath.Join(t.TempDir(), "tsok.cer")
	require.NoError(t, os.WriteFile(path, issueTSOK(t, ca, testNow.AddDate(-1, 0, 0),
		testNow.Add(-time.Hour)), 0o600))

	checks := make(chan tsok.ExpiryStatus)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &tsok.Watcher{
		Certificate: tsok.CertificateFile(path),
		Interval:    time.Millisecond,
		Now:         func() time.Time { return testNow },
		OnCheck: func(ctx context.Context, s tsok.ExpiryStatus, err error) {
			assert.NoError(t, err)
			select {
			case checks <- s:
			case <-ctx.Done():
			}
		},
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	first := <-checks
	assert.Equal(t, tsok.StateExpired, first.State, "the check on start-up")

	renewed := issueTSOK(t, ca, testNow.Add(-time.Hour), testNow.AddDate(1, 0, 0))
	require.NoError(t, os.WriteFile(path+".new", renewed, 0o600))
	require.NoError(t, os.Rename(path+".new", path))
	for s := range checks {
		if s.State == tsok.StateValid {
			break
		}
		assert.Equal(t, tsok.StateExpired, s.State)
	}

	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

func TestWatcherWithoutCertificate(t *testing.T) {
	w := &tsok.Watcher{}
	_, err := w.Check(context.Background())
	assert.ErrorContains(t, err, "Watcher.Certificate is required")
	assert.ErrorContains(t, w.Run(context.Background()), "Watcher.Certificate is required")
}
