package tsok

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// DefaultWatchInterval is how often a Watcher checks by default. Expiry is
// counted in days, so twice a day is enough and keeps the log short.
const DefaultWatchInterval = 12 * time.Hour

// Watcher checks the ТСОК's expiry on start-up and then on a schedule,
// logs every check and calls a hook, so that the consumer learns of the
// renewal in time («отслеживать срок действия ТСОК»).
//
//	w := &tsok.Watcher{
//		Certificate: tsok.CertificateFile("/etc/kpsis/tsok.cer"),
//		Logger:      slog.Default(),
//		OnCheck: func(ctx context.Context, s tsok.ExpiryStatus, err error) {
//			if err == nil && s.State != tsok.StateValid {
//				notifyAdmins(s.Message().Ru)
//			}
//		},
//	}
//	go w.Run(ctx)
type Watcher struct {
	// Certificate returns the ТСОК to check. Required.
	Certificate CertificateSource
	// WarnBefore is the warning period; default DefaultWarnBefore.
	WarnBefore time.Duration
	// Interval is the time between checks; default DefaultWatchInterval.
	Interval time.Duration
	// OnCheck is called after every check with its status, or with the
	// error of a certificate that could not be read. Optional.
	OnCheck func(ctx context.Context, status ExpiryStatus, err error)
	// Logger receives one line per check: Info while valid, Warn when the
	// renewal is due, Error when expired, not yet valid or unreadable.
	// Default: nothing is logged.
	Logger *slog.Logger
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Check reads the certificate, computes its status, logs it and calls
// OnCheck.
func (w *Watcher) Check(ctx context.Context) (ExpiryStatus, error) {
	if w.Certificate == nil {
		return ExpiryStatus{}, errors.New("tsok: Watcher.Certificate is required")
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	logger := w.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	var status ExpiryStatus
	cert, err := w.Certificate.load(ctx)
	if err != nil {
		logger.ErrorContext(ctx, "tsok: cannot read the ТСОК", "error", err)
	} else {
		status = Status(cert, now(), w.WarnBefore)
		level := slog.LevelInfo
		switch status.State {
		case StateRenewalDue:
			level = slog.LevelWarn
		case StateExpired, StateNotYetValid:
			level = slog.LevelError
		}
		logger.Log(ctx, level, "tsok: "+status.Message().En, "state", status.State,
			"not_after", status.NotAfter, "days_left", status.DaysLeft,
			"subject", status.Subject, "serial_number", status.SerialNumber)
	}
	if w.OnCheck != nil {
		w.OnCheck(ctx, status, err)
	}
	return status, err
}

// Run checks at once and then every Interval until ctx is done, and
// returns ctx's error. A failed check is logged and reported to OnCheck
// and does not stop the watcher.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Certificate == nil {
		return errors.New("tsok: Watcher.Certificate is required")
	}
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	_, _ = w.Check(ctx)

	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			_, _ = w.Check(ctx)
		}
	}
}
