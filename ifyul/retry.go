package ifyul

import (
	"context"
	"errors"
	"time"
)

// RetryPolicy bounds the retries of idempotent requests: discovery, JWKS
// and userinfo reads. A code exchange and the КПСИС calls are never
// retried, because an authorization code is single use and a repeated
// login request would start a second attempt.
type RetryPolicy struct {
	// Attempts is the number of tries in all; default 3. 1 disables retries.
	Attempts int
	// Backoff is the wait before the second try, doubled for each next
	// one; default 200 ms.
	Backoff time.Duration
}

func (p RetryPolicy) attempts() int {
	if p.Attempts > 0 {
		return p.Attempts
	}
	return 3
}

func (p RetryPolicy) backoff() time.Duration {
	if p.Backoff > 0 {
		return p.Backoff
	}
	return 200 * time.Millisecond
}

// retryable reports whether a failure may pass on its own: a connection
// failure or a server error. Maintenance and suspension are announced
// states that last long, and other protocol errors are the server's
// response, so they are not retried.
func retryable(err error) bool {
	if errors.Is(err, ErrMaintenance) || errors.Is(err, ErrAccessSuspended) {
		return false
	}
	return errors.Is(err, ErrProviderUnavailable) || errors.Is(err, ErrKPSISUnavailable)
}

// withRetry runs an idempotent call until it succeeds, fails for good, the
// attempts run out or ctx ends.
func (c *Client) withRetry(ctx context.Context, call func() error) error {
	wait := c.cfg.Retry.backoff()
	var err error
	for attempt := 1; ; attempt++ {
		err = call()
		if err == nil || !retryable(err) || attempt >= c.cfg.Retry.attempts() {
			return err
		}
		c.cfg.Logger.InfoContext(ctx, "ifyul: retrying", "attempt", attempt+1, "error", err)
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}
