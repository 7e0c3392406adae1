// Package kpsis is the fake КПСИС: the software a consumer installs next to
// its information system. Its api/v2 builds and signs login requests,
// exchanges the authorization code with the provider, as a real
// consumer-side component would, through x/oauth2 and go-oidc, and returns
// the ID token and userinfo.
package kpsis

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/fault"
)

// Config configures a КПСИС.
type Config struct {
	// Authority is the provider's issuer URL.
	Authority string
	// ClientID and ClientSecret are the information system's registration
	// with the provider; one КПСИС serves one system.
	ClientID     string
	ClientSecret string
	// Signer signs requests with the КПСИС's key (its ТСОК).
	Signer envelope.Signer
	// HTTPClient reaches the provider.
	HTTPClient *http.Client
	Switch     *fault.Switch
	Logger     *slog.Logger
	Now        func() time.Time
	// Terminal configures the terminal module (api/v1), served by
	// TerminalHandler; nil leaves it unconfigured.
	Terminal *TerminalConfig
}

// Misbehaviour makes the КПСИС break its contract on purpose.
type Misbehaviour struct {
	// PassTokensUnchecked returns the provider's ID token without checking
	// it, so that a relying party's own checks can be tested.
	PassTokensUnchecked bool
	// HideNonce leaves "nonce" out of the login answer, as the real КПСИС
	// is not known to report it.
	HideNonce bool
}

// KPSIS is the fake КПСИС. Create it with New.
type KPSIS struct {
	cfg      Config
	nonceKey []byte
	handler  http.Handler
	terminal *terminalAPI

	mu        sync.Mutex
	misbehave Misbehaviour
}

// New returns a КПСИС.
func New(cfg Config) *KPSIS {
	if cfg.Switch == nil {
		cfg.Switch = &fault.Switch{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	k := &KPSIS{cfg: cfg, nonceKey: []byte(randomID())}
	k.terminal = newTerminalAPI(k, cfg.Terminal)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/login", k.login)
	mux.HandleFunc("POST /api/v2/login_callback", k.loginCallback)
	mux.HandleFunc("POST /api/v2/logout", k.logout)
	k.handler = cfg.Switch.Wrap(mux, errorAnswer)
	return k
}

// ServeHTTP implements http.Handler.
func (k *KPSIS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.cfg.Logger.Info("kpsis", "method", r.Method, "path", r.URL.Path)
	k.handler.ServeHTTP(w, r)
}

// SetMisbehaviour replaces the misbehaviour switches.
func (k *KPSIS) SetMisbehaviour(m Misbehaviour) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.misbehave = m
}

func (k *KPSIS) misbehaviour() Misbehaviour {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.misbehave
}

// nonceFor derives the nonce from the code verifier, so the КПСИС needs no
// state between login and login_callback: the consumer returns the
// verifier, and the nonce follows from it.
func (k *KPSIS) nonceFor(codeVerifier string) string {
	mac := hmac.New(sha256.New, k.nonceKey)
	mac.Write([]byte(codeVerifier))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// errorAnswer is the КПСИС's error body: "err" with a code other than "0".
// NOTE: the real КПСИС's error codes are not public; "3" (no reader or card)
// is the only one seen. The fake uses readable codes and adds a description.
func errorAnswer(code, description string) any {
	return map[string]string{"err": code, "error_description": description}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code, description string) {
	writeJSON(w, errorAnswer(code, description))
}
