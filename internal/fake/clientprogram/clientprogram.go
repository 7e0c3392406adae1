// Package clientprogram is the fake client program (КП) of ЕС ИФЮЛ, the
// program on the person's computer that listens on http://127.0.0.1:8084
// and talks to the card reader. Its select_auth checks the КПСИС's signature
// on a login request and confirms the request to the provider.
//
// The real client program's UI name is "NT Client Software"; how it reaches
// the provider is not public. The fake calls the provider in process.
package clientprogram

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
)

// Confirmer records a confirmed request; the provider implements it.
type Confirmer interface {
	Confirm(requestID string)
}

// Config configures a ClientProgram.
type Config struct {
	// KPSISVerifier checks the КПСИС's signature on login requests.
	KPSISVerifier envelope.Verifier
	Provider      Confirmer
	Switch        *fault.Switch
	Logger        *slog.Logger
	Now           func() time.Time
	// Cards are the ID cards that InsertCard can put in the reader, by
	// person ID.
	Cards map[int]*card.Card
}

// ClientProgram is the fake client program. Create it with New.
type ClientProgram struct {
	cfg     Config
	handler http.Handler

	mu       sync.Mutex
	reject   bool
	terminal terminalProxy
}

// New returns a client program.
func New(cfg Config) *ClientProgram {
	if cfg.Switch == nil {
		cfg.Switch = &fault.Switch{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cp := &ClientProgram{cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /select_auth", cp.selectAuth)
	mux.HandleFunc("OPTIONS /", preflight)
	cp.registerTerminal(mux)
	cp.handler = cfg.Switch.Wrap(mux, func(code, description string) any {
		return map[string]string{"err": code, "error_description": description}
	})
	return cp
}

// SetRejecting makes select_auth refuse every request, as a client program
// without a card or with a failed check does.
func (cp *ClientProgram) SetRejecting(reject bool) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.reject = reject
}

func (cp *ClientProgram) rejecting() bool {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return cp.reject
}

// ServeHTTP implements http.Handler. Pages of any site call the client
// program from the browser, so every response allows cross-origin reads.
func (cp *ClientProgram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cp.cfg.Logger.Info("client program", "method", r.Method, "path", r.URL.Path)
	allowCrossOrigin(w)
	cp.handler.ServeHTTP(w, r)
}

func allowCrossOrigin(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	// Chromium asks public pages for this before they reach loopback.
	h.Set("Access-Control-Allow-Private-Network", "true")
	h.Set("Access-Control-Max-Age", "600")
}

func preflight(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func (cp *ClientProgram) selectAuth(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Data string `json:"data"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &req); err != nil || req.Data == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"err": "invalid_request",
			"error_description": "body must be {\"data\": <signed_data_to_check_in_cp>}"})
		return
	}
	if cp.rejecting() {
		cp.cfg.Logger.Info("client program: request rejected on purpose")
		writeJSON(w, http.StatusOK, map[string]string{"err": "3",
			"error_description": "нет считывателя или карты"})
		return
	}

	var cpReq kpsis.ClientProgramRequest
	if err := envelope.Open(cp.cfg.KPSISVerifier, req.Data, &cpReq); err != nil {
		cp.cfg.Logger.Warn("client program: signature check failed", "error", err)
		writeJSON(w, http.StatusBadRequest, map[string]string{"err": "bad_signature",
			"error_description": err.Error()})
		return
	}
	if cp.cfg.Now().Unix() > cpReq.ExpiresAt {
		writeJSON(w, http.StatusBadRequest, map[string]string{"err": "expired",
			"error_description": "the login request has expired"})
		return
	}
	cp.cfg.Provider.Confirm(cpReq.RequestID)
	cp.cfg.Logger.Info("client program: request confirmed", "client_id", cpReq.ClientID)
	writeJSON(w, http.StatusOK, map[string]string{"step 0": "OK"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
