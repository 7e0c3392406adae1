package terminal

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"sync"
	"time"
)

//go:embed relay.js
var relayScript []byte

// RelayConfig configures a BrowserRelay. Zero values pick the defaults.
type RelayConfig struct {
	// SessionTTL bounds each relay session from its creation. The default,
	// 10 minutes, leaves time to enter a PIN, read the card and sign.
	SessionTTL time.Duration
	// PollTimeout is how long a poll of the page waits for a card call
	// before it returns empty. The default is 25 seconds.
	PollTimeout time.Duration
	// MaxMessageSize bounds a request to the client program and a response
	// from it, in bytes. The default is 256 KiB.
	MaxMessageSize int64
	// MaxSessions bounds the sessions open at once. The default is 1000.
	MaxSessions int
	// Logger receives one line per rejected request. If nil, nothing is
	// logged.
	Logger *slog.Logger
}

// BrowserRelay lets a web system reach the client program on the person's
// computer, which only the person's browser can reach at 127.0.0.1. The
// server creates a RelayChannel per card session and gives its ID to the
// page. The page includes the relay script, which long-polls the relay for
// card calls, forwards each to the client program and posts the response
// back.
//
// BrowserRelay is an http.Handler for three paths, to be mounted under a
// prefix with http.StripPrefix:
//
//	GET  /relay.js  the script for the page
//	POST /poll      {"session"} → 200 {"call", "method", "request"}, 204 none yet, 404 gone
//	POST /result    {"session", "call", "status", "body"} or {"session", "call", "error"}
//
// The page includes the script with the session ID in data attributes:
//
//	<script src="/terminal-relay/relay.js" data-session="{{.RelayID}}"
//	        data-client-program="http://127.0.0.1:8084"></script>
//
// Sessions are bound to their unguessable ID, expire after SessionTTL and
// carry one call at a time of at most MaxMessageSize bytes. POST requests
// must be JSON and must not come from another site (Sec-Fetch-Site), so a
// foreign page cannot post forged results with a plain form.
type BrowserRelay struct {
	cfg     RelayConfig
	handler http.Handler

	mu       sync.Mutex
	channels map[string]*RelayChannel
}

// NewBrowserRelay returns a relay with cfg, defaults filled in.
func NewBrowserRelay(cfg RelayConfig) *BrowserRelay {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 10 * time.Minute
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 25 * time.Second
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = 256 << 10
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 1000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	b := &BrowserRelay{cfg: cfg, channels: make(map[string]*RelayChannel)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /relay.js", serveScript)
	mux.HandleFunc("POST /poll", b.poll)
	mux.HandleFunc("POST /result", b.result)
	b.handler = mux
	return b
}

// NewChannel opens a relay session. Close it when the card session ends,
// or it closes itself after SessionTTL.
func (b *BrowserRelay) NewChannel() (*RelayChannel, error) {
	id, err := newRelayID()
	if err != nil {
		return nil, err
	}
	c := &RelayChannel{relay: b, id: id, queued: make(chan *relayCall, 1),
		closed: make(chan struct{})}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.channels) >= b.cfg.MaxSessions {
		return nil, fmt.Errorf("terminal: relay: %d sessions are open, the maximum",
			len(b.channels))
	}
	b.channels[id] = c
	c.mu.Lock()
	c.timer = time.AfterFunc(b.cfg.SessionTTL, c.Close)
	c.mu.Unlock()
	return c, nil
}

func (b *BrowserRelay) remove(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.channels, id)
}

func (b *BrowserRelay) channel(id string) *RelayChannel {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.channels[id]
}

// ServeHTTP implements http.Handler.
func (b *BrowserRelay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	b.handler.ServeHTTP(w, r)
}

func serveScript(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(relayScript)
}

// relayMessage is the body of a poll or a result.
type relayMessage struct {
	Session string  `json:"session"`
	Call    uint64  `json:"call"`
	Status  int     `json:"status"`
	Body    *string `json:"body"`
	Error   string  `json:"error"`
}

// readMessage checks the request's origin and type and decodes its body.
func (b *BrowserRelay) readMessage(w http.ResponseWriter, r *http.Request) (*relayMessage,
	*RelayChannel, bool) {
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
		b.reject(w, r, http.StatusForbidden, "cross-site request")
		return nil, nil, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		mt != "application/json" {
		b.reject(w, r, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return nil, nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.cfg.MaxMessageSize+4096))
	if err != nil {
		b.reject(w, r, http.StatusRequestEntityTooLarge, "body too large")
		return nil, nil, false
	}
	var m relayMessage
	if err := json.Unmarshal(body, &m); err != nil {
		b.reject(w, r, http.StatusBadRequest, "body is not a relay message")
		return nil, nil, false
	}
	c := b.channel(m.Session)
	if c == nil {
		b.reject(w, r, http.StatusNotFound, "unknown or expired session")
		return nil, nil, false
	}
	return &m, c, true
}

func (b *BrowserRelay) reject(w http.ResponseWriter, r *http.Request, status int, msg string) {
	b.cfg.Logger.Warn("terminal relay: request rejected", "path", r.URL.Path,
		"status", status, "reason", msg)
	http.Error(w, msg, status)
}

func (b *BrowserRelay) poll(w http.ResponseWriter, r *http.Request) {
	_, c, ok := b.readMessage(w, r)
	if !ok {
		return
	}
	call, err := c.take(r.Context(), b.cfg.PollTimeout)
	switch {
	case errors.Is(err, ErrRelayClosed):
		http.Error(w, "session closed", http.StatusNotFound)
	case err != nil:
	case call == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"call": call.id, "method": call.method, "request": call.request})
	}
}

func (b *BrowserRelay) result(w http.ResponseWriter, r *http.Request) {
	m, c, ok := b.readMessage(w, r)
	if !ok {
		return
	}
	var res relayResult
	switch {
	case m.Error != "":
		res.err = fmt.Errorf("the page could not reach the client program: %.200s", m.Error)
	case m.Body != nil && m.Status >= 500 && !json.Valid([]byte(*m.Body)):
		res.err = fmt.Errorf("the client program returned HTTP %d", m.Status)
	case m.Body != nil && int64(len(*m.Body)) <= b.cfg.MaxMessageSize:
		res.body = []byte(*m.Body)
	case m.Body != nil:
		res.err = fmt.Errorf("client program response of %d bytes exceeds %d", len(*m.Body),
			b.cfg.MaxMessageSize)
	default:
		b.reject(w, r, http.StatusBadRequest, `result needs "body" or "error"`)
		return
	}
	if !c.deliver(m.Call, res) {
		b.reject(w, r, http.StatusConflict, "no such call is waiting")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
