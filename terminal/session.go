package terminal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/tlv"
)

// Config configures a Session.
type Config struct {
	// KPSISURL is the base URL of the terminal module of the consumer's
	// КПСИС, such as "http://kpsis.internal:48777".
	KPSISURL string
	// Channel reaches the client program on the person's computer: a
	// ClientProgramChannel or a RelayChannel. Required.
	Channel CardChannel
	// HTTPClient calls the КПСИС. If nil, a client with a 1-minute timeout
	// is used.
	HTTPClient *http.Client
	// MaxSteps bounds each relay loop (BAUTH, reading data groups) by the
	// number of commands relayed to the card. If 0, it is 512.
	MaxSteps int
	// ExpiryWarning is how long before its expiry the terminal certificate
	// is logged as due for renewal. If 0, it is 7 days.
	ExpiryWarning time.Duration
	// ErrorCodes maps "err" codes to sentinel errors ahead of
	// DefaultErrorCodes, for codes of real deployments.
	ErrorCodes map[string]error
	// Now returns the current time, time.Now if nil. The terminal
	// certificate is checked on the calendar date in Now's location.
	Now func() time.Time
	// Logger receives one debug line per step and a warning when the
	// terminal certificate nears expiry. If nil, nothing is logged.
	Logger *slog.Logger
}

// Session is a terminal-mode session with one ID card: from Open, which
// authenticates the terminal and the card to each other (BAUTH), through
// ReadPersonalData and Sign, to Close. Its methods may be called from
// several goroutines, and they run one at a time.
type Session struct {
	cfg   Config
	kpsis *kpsisClient

	mu          sync.Mutex
	open        bool
	hreq        string
	certificate *CVCertificate
	status      TerminalCertificateStatus
	certID      string
}

// NewSession checks cfg and returns a session that is not yet open.
func NewSession(cfg Config) (*Session, error) {
	if cfg.KPSISURL == "" {
		return nil, errors.New("terminal: Config.KPSISURL is empty")
	}
	if cfg.Channel == nil {
		return nil, errors.New("terminal: Config.Channel is nil: use a ClientProgramChannel " +
			"or a RelayChannel")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if cfg.MaxSteps <= 0 {
		cfg.MaxSteps = 512
	}
	if cfg.ExpiryWarning <= 0 {
		cfg.ExpiryWarning = 7 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Session{cfg: cfg, kpsis: &kpsisClient{
		base:   strings.TrimSuffix(cfg.KPSISURL, "/") + "/api/v1/",
		client: cfg.HTTPClient,
		codes:  cfg.ErrorCodes,
		logger: cfg.Logger,
	}}, nil
}

// TerminalCertificate returns the terminal certificate «СОКобл» that the
// КПСИС presented in the last Open, also one that Open rejected as
// expired, or nil before any.
func (s *Session) TerminalCertificate() *CVCertificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certificate
}

// TerminalCertificateStatus returns the validity of that certificate on the
// day of the last Open, and false before any.
func (s *Session) TerminalCertificateStatus() (TerminalCertificateStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status, s.certificate != nil
}

// CardCertificateID returns the cert_id that the client program reported
// for the card in the last Open.
func (s *Session) CardCertificateID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certID
}

// Open starts the session with the card in the person's reader:
//
//  1. the client program reports the card's certificate
//     (terminal_proxy_bauth_app_prefetch);
//  2. the КПСИС opens a session for it and returns the terminal certificate
//     (bauth_init), which Open checks before any command reaches the card,
//     failing with ErrTerminalCertificateExpired once it has expired;
//  3. the client program runs password authentication with the PIN the
//     person enters and starts BAUTH (terminal_proxy_bauth_init);
//  4. Open relays the КПСИС's BAUTH commands (bauth_process) to the card
//     (terminal_proxy_bauth) until the КПСИС reports is_bauth_established.
//
// If Open fails after step 2, it logs out of the КПСИС session.
func (s *Session) Open(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open {
		return errors.New("terminal: session is already open")
	}

	prefetch, err := s.callCard(ctx, "terminal_proxy_bauth_app_prefetch",
		map[string]bool{"stb": false})
	if err != nil {
		return err
	}
	if prefetch.SOCertificate == "" {
		prefetch.SOCertificate = prefetch.LegacySOCertificate
	}
	if prefetch.SOCertificate == "" {
		return s.malformed(ComponentClientProgram, "terminal_proxy_bauth_app_prefetch",
			errors.New(`response has no "so_certificate"`))
	}
	s.certID = prefetch.CertID.value

	init, err := s.kpsis.call(ctx, "bauth_init",
		map[string]string{"so_certificate": prefetch.SOCertificate})
	if err != nil {
		return err
	}
	if init.Hreq == "" {
		return s.malformed(ComponentKPSIS, "bauth_init", errors.New(`response has no "hreq"`))
	}
	s.hreq = init.Hreq
	if err := s.startBAuth(ctx, init); err != nil {
		s.logoutQuietly(ctx)
		return err
	}
	s.open = true
	s.cfg.Logger.Debug("terminal: session open", "terminal", s.certificate.HolderReference)
	return nil
}

// startBAuth checks the terminal certificate, then runs BAUTH.
func (s *Session) startBAuth(ctx context.Context, init *apiResponse) error {
	if err := s.checkTerminalCertificate(init.TerminalCertificate); err != nil {
		return err
	}
	if _, err := decodeBase64("cmd_to_card", init.CmdToCard); err != nil {
		return s.malformed(ComponentKPSIS, "bauth_init", err)
	}
	first, err := s.callCard(ctx, "terminal_proxy_bauth_init", map[string]any{
		"terminal_certificate": init.TerminalCertificate,
		"cmd_to_card":          init.CmdToCard,
		"is_bilateral":         true,
	})
	if err != nil {
		return err
	}

	cardResponse := first.CardResponse
	for range s.cfg.MaxSteps {
		if err := ctx.Err(); err != nil {
			return &Error{Step: "bauth_process", Component: ComponentKPSIS, Err: err}
		}
		step, err := s.kpsis.call(ctx, "bauth_process",
			map[string]string{"hreq": s.hreq, "card_response": cardResponse})
		if err != nil {
			return err
		}
		done, err := boolField(step.IsBAuthEstablished, "is_bauth_established")
		if err != nil {
			return s.malformed(ComponentKPSIS, "bauth_process", err)
		}
		if done {
			return nil
		}
		if cardResponse, err = s.relay(ctx, "bauth_process", "terminal_proxy_bauth",
			step); err != nil {
			return err
		}
	}
	return &Error{Step: "bauth_process", Component: ComponentKPSIS, kind: ErrTooManySteps,
		Err: fmt.Errorf("BAUTH not established after %d commands", s.cfg.MaxSteps)}
}

// checkTerminalCertificate parses terminal_certificate, one CV certificate
// or a chain ending in the terminal's, and rejects the terminal's when it
// is expired or not yet valid.
func (s *Session) checkTerminalCertificate(encoded string) error {
	der, err := decodeBase64("terminal_certificate", encoded)
	if err != nil {
		return s.malformed(ComponentKPSIS, "bauth_init", err)
	}
	chain, err := parseCVChain(der)
	if err != nil {
		return s.malformed(ComponentKPSIS, "bauth_init", err)
	}
	cert := chain[len(chain)-1]
	s.certificate = cert
	s.status, err = CheckTerminalCertificate(cert, s.cfg.Now(), s.cfg.ExpiryWarning)
	switch {
	case errors.Is(err, ErrCVCertificateExpired):
		return fmt.Errorf("%w: %s expired after %s: renew «СОКобл» in the КПСИС",
			ErrTerminalCertificateExpired, cert.HolderReference,
			cert.ExpirationDate.Format(time.DateOnly))
	case err != nil:
		return err
	case s.status.State == CertificateExpiring:
		s.cfg.Logger.Warn("terminal: terminal certificate expires soon",
			"terminal", cert.HolderReference, "days_left", s.status.DaysLeft)
	}
	return nil
}

// parseCVChain parses concatenated CV certificates.
func parseCVChain(der []byte) ([]*CVCertificate, error) {
	elements, err := tlv.ParseAll(der)
	if err != nil {
		return nil, fmt.Errorf("terminal_certificate: %w", err)
	}
	if len(elements) == 0 {
		return nil, errors.New("terminal_certificate is empty")
	}
	chain := make([]*CVCertificate, 0, len(elements))
	for i, e := range elements {
		cert, err := ParseCVCertificate(e.Raw)
		if err != nil {
			return nil, fmt.Errorf("terminal_certificate %d at offset %d: %w", i, e.Offset, err)
		}
		chain = append(chain, cert)
	}
	return chain, nil
}

// Close logs out of the КПСИС session (bauth_logout). The session is closed
// afterwards even if the КПСИС call fails.
func (s *Session) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return ErrSessionClosed
	}
	s.open = false
	_, err := s.kpsis.call(ctx, "bauth_logout", map[string]string{"hreq": s.hreq})
	return err
}

// logoutQuietly releases the КПСИС session after a failed Open, also when
// ctx is cancelled, and ignores the outcome: the КПСИС expires sessions
// anyway.
func (s *Session) logoutQuietly(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.kpsis.call(ctx, "bauth_logout",
		map[string]string{"hreq": s.hreq}); err != nil {
		s.cfg.Logger.Debug("terminal: logout after a failed open", "error", err)
	}
}

// relay sends the command of a КПСИС response to the card through the
// client program and returns card_response. KPSISStep names the КПСИС call
// that returned the command.
func (s *Session) relay(ctx context.Context, kpsisStep, method string,
	step *apiResponse) (string, error) {
	cmd, err := decodeCommand(step.HeaderCmdToCard, step.CmdToCard)
	if err != nil {
		return "", s.malformed(ComponentKPSIS, kpsisStep, err)
	}
	resp, err := s.callCard(ctx, method, map[string]string{
		"header_cmd_to_card": cmd.encodeHeader(),
		"cmd_to_card":        cmd.encodeData(),
	})
	if err != nil {
		return "", err
	}
	return resp.CardResponse, nil
}

// callCard calls the client program and checks that a card response
// arrived where one is due.
func (s *Session) callCard(ctx context.Context, method string,
	request any) (*apiResponse, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, &Error{Step: method, Component: ComponentClientProgram, Err: err}
	}
	s.cfg.Logger.Debug("terminal: step", "component", "client program", "step", method)
	out, err := s.cfg.Channel.Call(ctx, method, body)
	if err != nil {
		return nil, &Error{Step: method, Component: ComponentClientProgram,
			kind: transportKind(ctx, err), Err: err}
	}
	resp, err := decodeResponse(out, ComponentClientProgram, method, s.cfg.ErrorCodes)
	if err != nil {
		return nil, err
	}
	if method != "terminal_proxy_bauth_app_prefetch" {
		if _, err := decodeBase64("card_response", resp.CardResponse); err != nil ||
			resp.CardResponse == "" {
			if err == nil {
				err = errors.New(`response has no "card_response"`)
			}
			return nil, s.malformed(ComponentClientProgram, method, err)
		}
	}
	return resp, nil
}

func (s *Session) malformed(component, step string, err error) error {
	return &Error{Step: step, Component: component, kind: ErrUnavailable, Err: err}
}

// transportKind classifies a failed call: a cancelled or expired context is
// reported through Err alone, anything else as ErrUnavailable.
func transportKind(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return ErrUnavailable
}

// kpsisClient calls the terminal api/v1 of the КПСИС.
type kpsisClient struct {
	base   string
	client *http.Client
	codes  map[string]error
	logger *slog.Logger
}

func (k *kpsisClient) call(ctx context.Context, method string, request any) (*apiResponse,
	error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, &Error{Step: method, Component: ComponentKPSIS, Err: err}
	}
	k.logger.Debug("terminal: step", "component", "КПСИС", "step", method)
	out, err := postJSON(ctx, k.client, k.base+method, body)
	if err != nil {
		return nil, &Error{Step: method, Component: ComponentKPSIS,
			kind: transportKind(ctx, err), Err: err}
	}
	return decodeResponse(out, ComponentKPSIS, method, k.codes)
}
