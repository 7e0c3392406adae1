package tsok_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
	"github.com/esiful/sdk-go/ifyul/tsok"
)

// getHealth serves one request through the handler and decodes the body.
func getHealth(t *testing.T, h http.Handler) (int, tsok.HealthReport) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	var report tsok.HealthReport
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &report), rec.Body.String())
	return rec.Code, report
}

func reasonCodes(report tsok.HealthReport) []string {
	var codes []string
	for _, r := range report.Reasons {
		codes = append(codes, r.Code)
	}
	return codes
}

func TestHealthHandler(t *testing.T) {
	srv := ifyultest.NewServer()
	defer srv.Close()
	ca := testCA(t)
	day := 24 * time.Hour
	valid := staticTSOK(t, ca, testNow.Add(200*day))
	dueSoon := staticTSOK(t, ca, testNow.Add(5*day))
	expired := staticTSOK(t, ca, testNow.Add(-2*day))
	unreadable := tsok.CertificateSource(func(context.Context) (*attrcert.Certificate, error) {
		return nil, errors.New("tsok: reading the ТСОК: no such file")
	})

	tests := []struct {
		name      string
		cert      tsok.CertificateSource
		mode      ifyultest.Mode
		code      int
		status    string
		reasons   []string
		provider  tsok.ProviderState
		certState tsok.State
	}{
		{"all well", valid, ifyultest.Healthy, 200, tsok.HealthOK, nil,
			tsok.ProviderReachable, tsok.StateValid},
		{"renewal due", dueSoon, ifyultest.Healthy, 200, tsok.HealthWarning,
			[]string{"certificate_renewal_due"}, tsok.ProviderReachable, tsok.StateRenewalDue},
		{"expired", expired, ifyultest.Healthy, 503, tsok.HealthFail,
			[]string{"certificate_expired"}, tsok.ProviderReachable, tsok.StateExpired},
		{"unreadable certificate", unreadable, ifyultest.Healthy, 503, tsok.HealthFail,
			[]string{"certificate_unreadable"}, tsok.ProviderReachable, ""},
		{"maintenance", valid, ifyultest.Maintenance, 200, tsok.HealthWarning,
			[]string{"provider_maintenance"}, tsok.ProviderMaintenance, tsok.StateValid},
		{"suspended", valid, ifyultest.Suspended, 503, tsok.HealthFail,
			[]string{"provider_suspended"}, tsok.ProviderSuspended, tsok.StateValid},
		{"down", valid, ifyultest.Down, 503, tsok.HealthFail,
			[]string{"provider_unreachable"}, tsok.ProviderUnreachable, tsok.StateValid},
		{"renewal due during maintenance", dueSoon, ifyultest.Maintenance, 200,
			tsok.HealthWarning, []string{"certificate_renewal_due", "provider_maintenance"},
			tsok.ProviderMaintenance, tsok.StateRenewalDue},
		{"expired during maintenance", expired, ifyultest.Maintenance, 503, tsok.HealthFail,
			[]string{"certificate_expired", "provider_maintenance"}, tsok.ProviderMaintenance,
			tsok.StateExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.SetMode(ifyultest.Provider, tt.mode)
			defer srv.SetMode(ifyultest.Provider, ifyultest.Healthy)
			h, err := tsok.NewHealthHandler(tsok.HealthConfig{
				Certificate: tt.cert,
				Authority:   srv.ProviderURL,
				CacheFor:    -1,
				Now:         func() time.Time { return testNow },
			})
			require.NoError(t, err)

			code, report := getHealth(t, h)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.status, report.Status)
			assert.Equal(t, tt.reasons, reasonCodes(report))
			require.NotNil(t, report.Provider)
			assert.Equal(t, tt.provider, report.Provider.State)
			if tt.certState == "" {
				assert.Nil(t, report.Certificate)
			} else {
				require.NotNil(t, report.Certificate)
				assert.Equal(t, tt.certState, report.Certificate.State)
			}
			for _, r := range report.Reasons {
				assert.NotEmpty(t, r.Ru, r.Code)
				assert.NotEmpty(t, r.En, r.Code)
			}
		})
	}
}

func TestHealthProviderErrors(t *testing.T) {
	srv := ifyultest.NewServer()
	defer srv.Close()
	valid := staticTSOK(t, testCA(t), testNow.AddDate(1, 0, 0))

	tests := []struct {
		name      string
		authority string
		delay     time.Duration
		want      error
		text      string
	}{
		{"wrong issuer", srv.ProviderURL + "/", 0, ifyul.ErrProviderUnavailable,
			"names issuer"},
		{"slower than the timeout", srv.ProviderURL, time.Minute, ifyul.ErrProviderUnavailable,
			"context deadline exceeded"},
		{"no discovery document", srv.ProviderURL + "/nothing", 0, ifyul.ErrProviderUnavailable,
			"HTTP 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.SetDelay(ifyultest.Provider, tt.delay)
			defer srv.SetDelay(ifyultest.Provider, 0)
			h, err := tsok.NewHealthHandler(tsok.HealthConfig{
				Certificate: valid,
				Authority:   tt.authority,
				Timeout:     200 * time.Millisecond,
				Now:         func() time.Time { return testNow },
			})
			require.NoError(t, err)

			report, code := h.Check(context.Background())
			assert.Equal(t, http.StatusServiceUnavailable, code)
			require.NotNil(t, report.Provider)
			assert.Equal(t, tsok.ProviderUnreachable, report.Provider.State)
			assert.ErrorIs(t, report.Provider.Err(), tt.want)
			assert.Contains(t, report.Provider.Error, tt.text)
		})
	}
}

func TestHealthCacheAndLog(t *testing.T) {
	srv := ifyultest.NewServer()
	defer srv.Close()
	now := testNow
	var logs lockedBuffer
	h, err := tsok.NewHealthHandler(tsok.HealthConfig{
		Certificate: staticTSOK(t, testCA(t), testNow.AddDate(1, 0, 0)),
		Authority:   srv.ProviderURL,
		CacheFor:    time.Minute,
		Logger:      slog.New(slog.NewTextHandler(&logs, nil)),
		Now:         func() time.Time { return now },
	})
	require.NoError(t, err)

	_, code := h.Check(context.Background())
	assert.Equal(t, http.StatusOK, code)
	srv.SetMode(ifyultest.Provider, ifyultest.Down)
	defer srv.SetMode(ifyultest.Provider, ifyultest.Healthy)

	now = now.Add(30 * time.Second)
	report, code := h.Check(context.Background())
	assert.Equal(t, http.StatusOK, code, "within CacheFor the last report is reused")
	assert.Equal(t, tsok.HealthOK, report.Status)

	now = now.Add(time.Minute)
	report, code = h.Check(context.Background())
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, tsok.HealthFail, report.Status)
	assert.Contains(t, logs.String(), "level=INFO msg=\"tsok: health is ok\"")
	assert.Contains(t, logs.String(), "level=ERROR msg=\"tsok: health is fail\"")
}

func TestHealthWithoutProvider(t *testing.T) {
	h, err := tsok.NewHealthHandler(tsok.HealthConfig{
		Certificate:       staticTSOK(t, testCA(t), testNow.AddDate(1, 0, 0)),
		SkipProviderCheck: true,
		Now:               func() time.Time { return testNow },
	})
	require.NoError(t, err)
	code, report := getHealth(t, h)
	assert.Equal(t, http.StatusOK, code)
	assert.Nil(t, report.Provider)
	assert.Equal(t, tsok.HealthOK, report.Status)

	_, err = tsok.NewHealthHandler(tsok.HealthConfig{})
	assert.ErrorContains(t, err, "HealthConfig.Certificate is required")
}
