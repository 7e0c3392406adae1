package tsok

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/ifyul"
)

// HealthConfig configures a HealthHandler.
type HealthConfig struct {
	// Certificate returns the ТСОК. Required.
	Certificate CertificateSource
	// WarnBefore is the warning period; default DefaultWarnBefore.
	WarnBefore time.Duration

	// Authority is the provider's issuer URL; its discovery document is
	// fetched from Authority + "/.well-known/openid-configuration".
	// Default ifyul.DefaultAuthority.
	Authority string
	// SkipProviderCheck leaves the provider out of the report.
	SkipProviderCheck bool
	// HTTPClient fetches the discovery document; default
	// http.DefaultClient. Timeout bounds the fetch either way.
	HTTPClient *http.Client
	// Timeout bounds the provider check; default 5 seconds.
	Timeout time.Duration
	// ErrorCodes maps the provider's error codes to ifyul's sentinels; it
	// is consulted before ifyul.DefaultErrorCodes.
	ErrorCodes map[string]error
	// CacheFor reuses a report for this long, so that frequent polls do
	// not each call the provider; default 10 seconds, negative disables.
	CacheFor time.Duration

	// Logger receives a line when the overall status changes. Default:
	// nothing is logged.
	Logger *slog.Logger
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Overall health states of a HealthReport.
const (
	HealthOK      = "ok"
	HealthWarning = "warning"
	HealthFail    = "fail"
)

// HealthReport is the body of the health handler's response.
type HealthReport struct {
	// Status is HealthOK, HealthWarning or HealthFail.
	Status string `json:"status"`
	// Reasons explain a warning or failure; empty when everything is ok.
	Reasons []HealthReason `json:"reasons,omitempty"`
	// Certificate is the ТСОК's expiry status, nil when it could not be
	// read (a reason gives the error).
	Certificate *ExpiryStatus `json:"certificate,omitempty"`
	// Provider is the provider's reachability, nil when not checked.
	Provider  *ProviderHealth `json:"provider,omitempty"`
	CheckedAt time.Time       `json:"checked_at"`
}

// HealthReason is one reason for a warning or failure.
type HealthReason struct {
	// Code is stable for monitoring rules, such as "certificate_expired".
	Code string `json:"code"`
	Ru   string `json:"message_ru"`
	En   string `json:"message_en"`
}

// HealthHandler is an http.Handler that reports, as JSON, the ТСОК's
// expiry together with the provider's reachability, for load balancers
// and monitoring.
//
// The status is "fail" with HTTP 503 when the ТСОК has expired, is not yet
// valid or cannot be read, or when the provider is unreachable or has
// suspended this system's access, because logins cannot succeed then. It
// is "warning" with HTTP 200 when the ТСОК's renewal is due or the provider
// is under maintenance, because the system still works or the pause is
// announced and temporary. Otherwise it is "ok" with HTTP 200. The body
// gives the reasons either way.
//
// A provider outage makes every instance of the system fail the check at
// once. Use the handler for readiness and monitoring, and give a load
// balancer that must keep instances in rotation during an outage a
// liveness check of its own.
type HealthHandler struct {
	cfg HealthConfig

	mu       sync.Mutex
	last     *HealthReport
	lastCode int
	lastAt   time.Time
}

// NewHealthHandler returns a HealthHandler for the configuration.
func NewHealthHandler(cfg HealthConfig) (*HealthHandler, error) {
	if cfg.Certificate == nil {
		return nil, errors.New("tsok: HealthConfig.Certificate is required")
	}
	if cfg.Authority == "" {
		cfg.Authority = ifyul.DefaultAuthority
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.CacheFor == 0 {
		cfg.CacheFor = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &HealthHandler{cfg: cfg}, nil
}

// ServeHTTP writes the report as JSON with its status code.
func (h *HealthHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	report, code := h.Check(r.Context())
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(report)
}

// Check returns the report and its HTTP status code, reusing a report
// younger than CacheFor.
func (h *HealthHandler) Check(ctx context.Context) (*HealthReport, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.cfg.Now()
	if h.last != nil && h.cfg.CacheFor > 0 && now.Sub(h.lastAt) < h.cfg.CacheFor {
		return h.last, h.lastCode
	}

	report := h.check(ctx, now)
	code := http.StatusOK
	if report.Status == HealthFail {
		code = http.StatusServiceUnavailable
	}
	if h.last == nil || h.last.Status != report.Status {
		h.cfg.Logger.Log(ctx, logLevel(report.Status), "tsok: health is "+report.Status,
			"reasons", reasonCodes(report.Reasons))
	}
	h.last, h.lastCode, h.lastAt = report, code, now
	return report, code
}

func (h *HealthHandler) check(ctx context.Context, now time.Time) *HealthReport {
	report := &HealthReport{Status: HealthOK, CheckedAt: now}
	fail := func(r HealthReason) {
		report.Status = HealthFail
		report.Reasons = append(report.Reasons, r)
	}
	warn := func(r HealthReason) {
		if report.Status == HealthOK {
			report.Status = HealthWarning
		}
		report.Reasons = append(report.Reasons, r)
	}

	cert, err := h.cfg.Certificate.load(ctx)
	if err != nil {
		fail(HealthReason{Code: "certificate_unreadable",
			Ru: "Не удалось прочитать ТСОК: " + err.Error(),
			En: "Cannot read the ТСОК: " + err.Error()})
	} else {
		status := Status(cert, now, h.cfg.WarnBefore)
		report.Certificate = &status
		reason := HealthReason{Code: "certificate_" + string(status.State),
			Ru: status.Message().Ru, En: status.Message().En}
		switch status.State {
		case StateRenewalDue:
			warn(reason)
		case StateExpired, StateNotYetValid:
			fail(reason)
		}
	}

	if h.cfg.SkipProviderCheck {
		return report
	}
	checkCtx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	provider := checkProvider(checkCtx, h.cfg.HTTPClient, h.cfg.Authority, h.cfg.ErrorCodes)
	report.Provider = &provider
	reason := HealthReason{Code: "provider_" + string(provider.State),
		Ru: providerMessages[provider.State] + provider.Error,
		En: fmt.Sprintf("ЕС ИФЮЛ is %s: %s", provider.State, provider.Error)}
	switch provider.State {
	case ProviderMaintenance:
		warn(reason)
	case ProviderSuspended, ProviderUnreachable:
		fail(reason)
	}
	return report
}

// providerMessages begin the Russian reason for each provider state; the
// error follows.
var providerMessages = map[ProviderState]string{
	ProviderMaintenance: "В ЕС ИФЮЛ проводятся технические работы: ",
	ProviderSuspended:   "Оператор ЕС ИФЮЛ приостановил доступ информационной системы: ",
	ProviderUnreachable: "ЕС ИФЮЛ недоступна: ",
}

func logLevel(status string) slog.Level {
	switch status {
	case HealthWarning:
		return slog.LevelWarn
	case HealthFail:
		return slog.LevelError
	}
	return slog.LevelInfo
}

func reasonCodes(reasons []HealthReason) []string {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	return codes
}
