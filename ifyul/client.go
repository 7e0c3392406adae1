package ifyul

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Client logs people in through ЕС ИФЮЛ. It is safe for concurrent use.
// Create it with New; mount its handlers (LoginHandler, CallbackHandler,
// LogoutHandler) or call StartLogin and CompleteLogin directly.
type Client struct {
	cfg       Config
	flow      Flow
	providers providerCache
}

// New returns a Client for the configuration. It does not contact the
// provider or the КПСИС, so an application starts while they are down; the
// provider's discovery document is fetched at the first login that needs it.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg}
	if cfg.KPSISURL != "" {
		c.flow = &kpsisFlow{c: c}
	} else {
		c.flow = &directFlow{c: c}
	}
	return c, nil
}

// Flow returns the login flow the configuration selected.
func (c *Client) Flow() Flow { return c.flow }

// Config returns a copy of the configuration with defaults filled in.
func (c *Client) Config() Config {
	cfg := c.cfg
	claims := *c.cfg.Claims
	cfg.Claims = &claims
	cfg.Scopes = slices.Clone(c.cfg.Scopes)
	return cfg
}

// StartLogin begins a login attempt, stores its secrets and returns the
// attempt's ID (for the browser's cookie) and where to send the browser.
// returnTo is a local path to come back to after the login, or "".
func (c *Client) StartLogin(ctx context.Context, returnTo string) (string, *LoginStart, error) {
	a := &Attempt{
		ID:        randomToken(),
		State:     randomToken(),
		ReturnTo:  localPath(returnTo),
		ExpiresAt: c.cfg.Now().Add(c.cfg.AttemptTTL),
	}
	start, err := c.flow.Begin(ctx, a)
	if err != nil {
		return "", nil, err
	}
	if err := c.cfg.AttemptStore.Put(ctx, a); err != nil {
		return "", nil, fmt.Errorf("ifyul: storing login attempt: %w", err)
	}
	return a.ID, start, nil
}

// CompleteLogin finishes the attempt named by attemptID with the provider's
// callback query. It takes the attempt from the store (so a replay fails),
// exchanges the callback for tokens, verifies the ID token, builds the
// Identity and stores a new session.
func (c *Client) CompleteLogin(ctx context.Context, attemptID string,
	callback url.Values) (*Session, string, error) {

	if attemptID == "" {
		return nil, "", ErrAttemptNotFound
	}
	a, err := c.cfg.AttemptStore.Take(ctx, attemptID, c.cfg.Now())
	if err != nil {
		return nil, "", err
	}

	tokens, err := c.flow.Exchange(ctx, a, callback)
	if err != nil {
		c.record(ctx, EventFailedAttempt)
		return nil, a.ReturnTo, err
	}
	identity, err := c.verify(ctx, tokens, a.Nonce)
	if err != nil {
		c.record(ctx, EventFailedAttempt)
		return nil, a.ReturnTo, err
	}
	c.record(ctx, EventTransaction)

	now := c.cfg.Now()
	s := &Session{
		ID:           randomToken(),
		Identity:     identity,
		IDToken:      tokens.IDToken,
		AccessToken:  tokens.AccessToken,
		RefreshToken: tokens.RefreshToken,
		CreatedAt:    now,
		ExpiresAt:    now.Add(c.cfg.SessionTTL),
	}
	if err := c.cfg.SessionStore.Save(ctx, s); err != nil {
		return nil, a.ReturnTo, fmt.Errorf("ifyul: storing session: %w", err)
	}
	return s, a.ReturnTo, nil
}

// Logout deletes the session and ends the provider's session. It returns
// the URL to send the browser to; when ending the provider's session fails,
// the local session is deleted all the same and the error is returned with
// the URL.
func (c *Client) Logout(ctx context.Context, s *Session) (string, error) {
	if err := c.cfg.SessionStore.Delete(ctx, s.ID); err != nil {
		return "", fmt.Errorf("ifyul: deleting session: %w", err)
	}
	return c.flow.EndSession(ctx, s.IDToken)
}

// Meter returns the transaction meter.
func (c *Client) Meter() *Meter { return c.cfg.Meter }

// record counts an event. A meter that fails is logged, not fatal: the
// count serves the consumer's planning, and the operator bills from its own.
func (c *Client) record(ctx context.Context, kind EventKind) {
	if err := c.cfg.Meter.Record(ctx, c.cfg.ClientID, kind, c.cfg.Now()); err != nil {
		c.cfg.Logger.WarnContext(ctx, "ifyul: meter failed", "event", kind, "error", err)
	}
}

// randomToken returns 256 random bits, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read panics rather than failing, since Go 1.24.
	return base64.RawURLEncoding.EncodeToString(b)
}

// localPath returns p when it is a path on this site, else "/". It stops
// the return address from sending the browser to another site. Backslashes
// and control characters are rejected anywhere, the fragment included,
// because http.Redirect cleans "/./\x" to "/\x" and "/a#/../\t/x" to
// "/\t/x", and browsers read both as "//x".
func localPath(p string) string {
	u, err := url.Parse(p)
	if p == "" || err != nil || u.Scheme != "" || u.Host != "" ||
		len(p) < 1 || p[0] != '/' || (len(p) > 1 && p[1] == '/') ||
		strings.ContainsFunc(p, func(r rune) bool { return r == '\\' || r < ' ' || r == 0x7f }) {
		return "/"
	}
	return p
}
