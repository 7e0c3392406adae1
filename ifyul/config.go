package ifyul

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// DefaultAuthority is the issuer URL of the real ЕС ИФЮЛ.
const DefaultAuthority = "https://esiful.gov.by"

// DefaultClientProgramURL is where the client program (КП) listens on the
// person's computer.
const DefaultClientProgramURL = "http://127.0.0.1:8084"

// Config configures a Client. The zero value of every optional field is the
// safe default.
type Config struct {
	// Authority is the provider's issuer URL. Default DefaultAuthority.
	Authority string

	// ClientID is the information system's client_id, issued by the
	// operator. Required.
	ClientID string

	// ClientSecret authenticates the direct flow's code exchange. Leave it
	// empty for a public client; PKCE is used either way.
	ClientSecret string

	// RedirectURL is the absolute URL of the callback handler, registered
	// with the operator as redirect_uri. Required.
	RedirectURL string

	// PostLogoutRedirectURL is where the provider sends the browser after
	// logout; registered with the operator. Optional.
	PostLogoutRedirectURL string

	// KPSISURL is the base URL of the КПСИС, for example
	// "http://10.0.0.5:13000". When set, logins use the КПСИС flow;
	// when empty, the direct OpenID Connect flow.
	KPSISURL string

	// ClientProgramURL is the client program's address as the person's
	// browser reaches it. Default DefaultClientProgramURL.
	ClientProgramURL string

	// Scopes are the scopes requested at login. Default DefaultScopes.
	Scopes []string

	// Prompt is the OpenID Connect prompt parameter. Default "consent", as
	// seen in use; set "-" to send none.
	Prompt string

	// Claims names the claims read into an Identity. Default
	// DefaultClaimMap.
	Claims *ClaimMap

	// ErrorCodes maps error codes of the provider and the КПСИС to sentinel
	// errors. It is consulted before DefaultErrorCodes.
	ErrorCodes map[string]error

	// KeySet verifies ID token signatures. Default: the provider's JWKS from
	// discovery. Set it to add algorithms go-jose does not know, such as a
	// bign JWS verifier.
	KeySet oidc.KeySet

	// SigningAlgorithms is the allow-list of ID token algorithms. Default:
	// the provider's advertised algorithms less "none" and the HMAC ones.
	SigningAlgorithms []string

	// TrustKPSISWithoutProviderKeys accepts an ID token from the КПСИС
	// without checking its signature when the provider's keys cannot be
	// fetched. The КПСИС has checked the signature itself, so this trusts
	// the channel to the КПСИС. Issuer, audience and expiry are still
	// checked. Off by default: an unreachable key set fails the login.
	TrustKPSISWithoutProviderKeys bool

	// AttemptStore keeps login attempts. Default: NewMemoryAttemptStore().
	AttemptStore AttemptStore
	// SessionStore keeps sessions. Default: NewMemorySessionStore().
	SessionStore SessionStore

	// Meter counts identification transactions for the operator's monthly
	// allowance. Default: a Meter with a MemoryMeterStore and no hook.
	Meter *Meter

	// Retry bounds the retries of idempotent requests (discovery, JWKS);
	// the zero value retries twice with a backoff from 200 ms.
	Retry RetryPolicy

	// AttemptTTL bounds the time from the start of a login to its callback.
	// Default 10 minutes.
	AttemptTTL time.Duration
	// SessionTTL is how long a session lasts. Default 8 hours.
	SessionTTL time.Duration
	// ClockSkew is the tolerance for token times. Default 1 minute.
	ClockSkew time.Duration

	// CookiePrefix prefixes the names of the SDK's cookies. Default "ifyul".
	CookiePrefix string

	// HTTPClient makes every request to the provider and the КПСИС.
	// Default: a client with a 30-second timeout.
	HTTPClient *http.Client

	// ErrorHandler writes the response when a handler fails. Default: a short
	// page in Russian naming the kind of failure.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// Logger receives one line per login step. Default: nothing is logged.
	// Secrets, tokens and personal numbers are never logged.
	Logger *slog.Logger

	// Now returns the current time. Default time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of the configuration with defaults filled in,
// or an error naming the field that is wrong.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.ClientID == "" {
		return cfg, errors.New("ifyul: Config.ClientID is required")
	}
	if err := checkAbsoluteURL("RedirectURL", cfg.RedirectURL, true); err != nil {
		return cfg, err
	}
	if cfg.Authority == "" {
		cfg.Authority = DefaultAuthority
	}
	for _, field := range []struct{ name, value string }{
		{"Authority", cfg.Authority},
		{"KPSISURL", cfg.KPSISURL},
		{"ClientProgramURL", cfg.ClientProgramURL},
		{"PostLogoutRedirectURL", cfg.PostLogoutRedirectURL},
	} {
		if err := checkAbsoluteURL(field.name, field.value, false); err != nil {
			return cfg, err
		}
	}
	if cfg.ClientProgramURL == "" {
		cfg.ClientProgramURL = DefaultClientProgramURL
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	cfg.Scopes = slices.Clone(cfg.Scopes)
	if cfg.Prompt == "" {
		cfg.Prompt = "consent"
	}
	claims := DefaultClaimMap
	if cfg.Claims != nil {
		claims = *cfg.Claims
	}
	cfg.Claims = &claims
	if cfg.AttemptStore == nil {
		cfg.AttemptStore = NewMemoryAttemptStore()
	}
	if cfg.SessionStore == nil {
		cfg.SessionStore = NewMemorySessionStore()
	}
	if cfg.Meter == nil {
		cfg.Meter = &Meter{}
	}
	if cfg.Meter.Store == nil {
		meter := *cfg.Meter
		meter.Store = NewMemoryMeterStore()
		cfg.Meter = &meter
	}
	cfg.AttemptTTL = durationOr(cfg.AttemptTTL, 10*time.Minute)
	cfg.SessionTTL = durationOr(cfg.SessionTTL, 8*time.Hour)
	cfg.ClockSkew = durationOr(cfg.ClockSkew, time.Minute)
	if cfg.CookiePrefix == "" {
		cfg.CookiePrefix = "ifyul"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.ErrorHandler == nil {
		cfg.ErrorHandler = WriteErrorPage
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, nil
}

func durationOr(d, fallback time.Duration) time.Duration {
	if d <= 0 {
		return fallback
	}
	return d
}

func checkAbsoluteURL(field, value string, required bool) error {
	if value == "" {
		if required {
			return fmt.Errorf("ifyul: Config.%s is required", field)
		}
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ifyul: Config.%s %q is not an absolute http(s) URL", field, value)
	}
	return nil
}
