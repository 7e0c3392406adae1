package kpsis

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/terminal"
)

// TerminalConfig configures the terminal module of the КПСИС, its api/v1 on
// a port of its own (48777 in real deployments).
type TerminalConfig struct {
	// Key is the terminal's bign key and Certificate its CV certificate
	// «СОКобл» (DER), which the operator re-issues monthly.
	Key         *bign.PrivateKey
	Certificate []byte
	// Chain lists CV certificates of intermediate CAs, root side first,
	// sent to the card before Certificate. The card holds the root.
	Chain [][]byte
	// CardRoot is the CV root that certifies the cards (so_certificate).
	CardRoot *terminal.CVCertificate
	// SignerCertificate returns the public-key certificate (DER) of the
	// card with the given holder reference, or nil. It is needed only for
	// signatures in the CMS form.
	SignerCertificate func(cardHolder string) []byte
	// SessionTTL bounds a terminal session from bauth_init. The default is
	// 10 minutes.
	SessionTTL time.Duration
}

// TerminalVariant switches the terminal api/v1 between forms that real
// КПСИС builds are seen or expected to use.
type TerminalVariant struct {
	// SignatureCMS returns signatures as CMS SignedData instead of the 48
	// bytes of bign, when SignerCertificate returns a certificate for the
	// card.
	SignatureCMS bool
	// KeysWithoutColon writes personal_data keys as "BE_Family_name", as
	// some builds do, instead of "BE:_Family_name".
	KeysWithoutColon bool
}

// maxTerminalSessions bounds the sessions held at once, so that callers
// that never log out cannot exhaust memory.
const maxTerminalSessions = 1000

// terminalAPI serves the terminal api/v1 of the КПСИС.
type terminalAPI struct {
	k *KPSIS

	mu       sync.Mutex
	cfg      TerminalConfig
	variant  TerminalVariant
	sessions map[string]*terminalSession
}

func newTerminalAPI(k *KPSIS, cfg *TerminalConfig) *terminalAPI {
	t := &terminalAPI{k: k, sessions: make(map[string]*terminalSession)}
	if cfg != nil {
		t.cfg = *cfg
	}
	if t.cfg.SessionTTL == 0 {
		t.cfg.SessionTTL = 10 * time.Minute
	}
	return t
}

// TerminalHandler returns the handler of the terminal api/v1, to be served
// on its own listener. The failure switches of the КПСИС apply to it too.
func (k *KPSIS) TerminalHandler() http.Handler {
	mux := http.NewServeMux()
	routes := map[string]func(*terminalSession, terminalRequest) (any, *apiError){
		"bauth_process":   k.terminal.bauthProcess,
		"read_dg_init":    k.terminal.readInit,
		"read_dg":         k.terminal.readNext,
		"request_dg":      k.terminal.requestPersonalData,
		"sign_init":       k.terminal.signInit,
		"sign_select_app": k.terminal.signSelectApp,
		"sign_data":       k.terminal.signData,
		"sign_result":     k.terminal.signResult,
	}
	for name, step := range routes {
		mux.HandleFunc("POST /api/v1/"+name, k.terminal.withSession(name, step))
	}
	mux.HandleFunc("POST /api/v1/bauth_init", k.terminal.bauthInit)
	mux.HandleFunc("POST /api/v1/bauth_logout", k.terminal.bauthLogout)
	handler := k.cfg.Switch.Wrap(mux, errorAnswer)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.cfg.Logger.Info("kpsis terminal", "method", r.Method, "path", r.URL.Path)
		handler.ServeHTTP(w, r)
	})
}

// SetTerminalCertificate replaces the terminal's key and CV certificate,
// as the monthly re-issue of «СОКобл» does. Sessions under way keep theirs.
func (k *KPSIS) SetTerminalCertificate(key *bign.PrivateKey, certificate []byte, chain [][]byte) {
	k.terminal.mu.Lock()
	defer k.terminal.mu.Unlock()
	k.terminal.cfg.Key, k.terminal.cfg.Certificate, k.terminal.cfg.Chain = key, certificate, chain
}

// SetTerminalVariant chooses the forms of the terminal api/v1.
func (k *KPSIS) SetTerminalVariant(v TerminalVariant) {
	k.terminal.mu.Lock()
	defer k.terminal.mu.Unlock()
	k.terminal.variant = v
}

func (t *terminalAPI) settings() (TerminalConfig, TerminalVariant) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cfg, t.variant
}

// terminalRequest holds every field a terminal api/v1 request may carry.
type terminalRequest struct {
	Hreq             string   `json:"hreq"`
	SOCertificate    string   `json:"so_certificate"`
	CardResponse     string   `json:"card_response"`
	DataGroupsToRead []string `json:"data_groups_to_read"`
	DataToSign       string   `json:"data_to_sign"`
}

// apiError is an error response: the "err" code and a description.
type apiError struct {
	code, description string
}

func failf(code, format string, args ...any) *apiError {
	return &apiError{code: code, description: fmt.Sprintf(format, args...)}
}

// cardStatus reports a status word of the card other than 9000 as the
// code, in four hex digits.
func cardStatus(sw uint16, format string, args ...any) *apiError {
	return failf(fmt.Sprintf("%04X", sw), format, args...)
}

// maxTerminalBody bounds a request body; data_to_sign dominates it.
const maxTerminalBody = 16 << 20

func decodeTerminalRequest(r *http.Request) (terminalRequest, error) {
	var req terminalRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, maxTerminalBody+1))
	if err != nil {
		return req, err
	}
	if len(body) > maxTerminalBody {
		return req, fmt.Errorf("request body exceeds %d bytes", maxTerminalBody)
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return req, fmt.Errorf("request body: %w", err)
	}
	return req, nil
}

// withSession decodes a request, finds its session by hreq and runs step
// with the session locked.
func (t *terminalAPI) withSession(name string,
	step func(*terminalSession, terminalRequest) (any, *apiError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := decodeTerminalRequest(r)
		if err != nil {
			t.fail(w, name, failf("invalid_request", "%v", err))
			return
		}
		s := t.session(req.Hreq)
		if s == nil {
			t.fail(w, name, failf("unknown_hreq", "no terminal session %q: run bauth_init first",
				req.Hreq))
			return
		}
		s.mu.Lock()
		answer, apiErr := step(s, req)
		s.mu.Unlock()
		if apiErr != nil {
			t.fail(w, name, apiErr)
			return
		}
		writeJSON(w, answer)
	}
}

func (t *terminalAPI) fail(w http.ResponseWriter, step string, e *apiError) {
	t.k.cfg.Logger.Warn("kpsis terminal: step failed", "step", step, "err", e.code,
		"description", e.description)
	writeError(w, e.code, e.description)
}

// session returns the live session with the handle, removing expired ones.
func (t *terminalAPI) session(hreq string) *terminalSession {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.k.cfg.Now()
	for h, s := range t.sessions {
		if now.After(s.expires) {
			delete(t.sessions, h)
		}
	}
	return t.sessions[hreq]
}

func (t *terminalAPI) addSession(s *terminalSession) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.sessions) >= maxTerminalSessions {
		return fmt.Errorf("%d terminal sessions are open: log out of some with bauth_logout",
			len(t.sessions))
	}
	t.sessions[s.hreq] = s
	return nil
}

func (t *terminalAPI) bauthLogout(w http.ResponseWriter, r *http.Request) {
	req, err := decodeTerminalRequest(r)
	if err != nil {
		t.fail(w, "bauth_logout", failf("invalid_request", "%v", err))
		return
	}
	if t.session(req.Hreq) == nil {
		t.fail(w, "bauth_logout", failf("unknown_hreq", "no terminal session %q", req.Hreq))
		return
	}
	t.mu.Lock()
	delete(t.sessions, req.Hreq)
	t.mu.Unlock()
	writeJSON(w, map[string]string{"err": "0"})
}

// commandAnswer is a response that carries a command for the card.
type commandAnswer struct {
	Err             string `json:"err"`
	HeaderCmdToCard string `json:"header_cmd_to_card"`
	CmdToCard       string `json:"cmd_to_card"`
}

func command(header [4]byte, data []byte) commandAnswer {
	return commandAnswer{
		Err:             "0",
		HeaderCmdToCard: base64.StdEncoding.EncodeToString(header[:]),
		CmdToCard:       base64.StdEncoding.EncodeToString(data),
	}
}
