package ifyul

import (
	"context"
	"encoding/json"
	"net/url"
	"time"
)

// Flow is one way of logging in through ЕС ИФЮЛ. The SDK has two: the КПСИС
// flow, in which the consumer's КПСИС speaks to the provider, and the direct
// OpenID Connect flow. Both serve the same handlers; the Client verifies
// what either returns.
type Flow interface {
	// Name returns a short name for logs: "kpsis" or "direct".
	Name() string

	// Begin starts a login attempt whose State the caller has set. It fills
	// in the attempt's other secrets and returns where to send the browser.
	Begin(ctx context.Context, a *Attempt) (*LoginStart, error)

	// Exchange turns the provider's callback into tokens. It is called once
	// per attempt and never retried: an authorization code is single use.
	Exchange(ctx context.Context, a *Attempt, callback url.Values) (*Tokens, error)

	// EndSession ends the provider's session and returns the URL to send the
	// browser to for RP-initiated logout.
	EndSession(ctx context.Context, idToken string) (string, error)
}

// LoginStart describes how the browser reaches the provider.
type LoginStart struct {
	// AuthURL is the authorization request to navigate to.
	AuthURL string
	// ClientProgramData, when not empty, must first be posted to the client
	// program's select_auth as {"data": ClientProgramData}: the КПСИС flow's
	// signed_data_to_check_in_cp.
	ClientProgramData string
}

// Tokens is the result of a flow's exchange, before verification.
type Tokens struct {
	// IDToken is the raw ID token.
	IDToken string
	// AccessToken is empty in the КПСИС flow, which keeps it in the КПСИС.
	AccessToken string
	// RefreshToken is set when the provider issued one (offline_access).
	RefreshToken string
	// Expiry is the access token's expiry, if known.
	Expiry time.Time
	// UserInfo holds the userinfo claims, or nil when none were fetched.
	UserInfo map[string]json.RawMessage
}
