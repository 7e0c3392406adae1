package kpsis

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/esiful/sdk-go/internal/belt"
	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/terminal"
)

// terminalStage is the step of BAUTH that a terminal session has reached.
type terminalStage int

const (
	stageAwaitM1 terminalStage = iota
	stageAwaitM3
	stageEstablished
)

// terminalSession is one card session, from bauth_init to bauth_logout,
// keyed by hreq: the hex belt-hash of the authentication request, which
// btok calls H and sends to the card in MSE:Set AT.
type terminalSession struct {
	mu      sync.Mutex
	hreq    string
	expires time.Time
	key     *bign.PrivateKey
	variant TerminalVariant
	signer  []byte

	cardCert  *terminal.CVCertificate
	hello     []byte
	challenge []byte
	nonce     []byte
	stage     terminalStage

	read readState
	sign signState
}

// bauthInit starts a session for the card whose certificate the client
// program reported. It checks that the card's certificate chains to the
// card root, and returns the terminal's certificate and the data of
// MSE:Set AT for the client program to send.
func (t *terminalAPI) bauthInit(w http.ResponseWriter, r *http.Request) {
	req, err := decodeTerminalRequest(r)
	if err != nil {
		t.fail(w, "bauth_init", failf("invalid_request", "%v", err))
		return
	}
	cfg, variant := t.settings()
	if cfg.Key == nil || cfg.CardRoot == nil {
		t.fail(w, "bauth_init", failf("server_error", "the terminal module is not configured"))
		return
	}
	cardCert, apiErr := t.checkCardCertificate(cfg, req.SOCertificate)
	if apiErr != nil {
		t.fail(w, "bauth_init", apiErr)
		return
	}

	request := make([]byte, 32)
	_, _ = rand.Read(request)
	hash := belt.Sum256(request)
	s := &terminalSession{
		hreq:     hex.EncodeToString(hash[:]),
		expires:  t.k.cfg.Now().Add(cfg.SessionTTL),
		key:      cfg.Key,
		variant:  variant,
		cardCert: cardCert,
		hello:    card.BAuthHello(true, hash[:]),
	}
	if cfg.SignerCertificate != nil {
		s.signer = cfg.SignerCertificate(cardCert.HolderReference)
	}
	if err := t.addSession(s); err != nil {
		t.fail(w, "bauth_init", failf("server_error", "%v", err))
		return
	}

	var chain []byte
	for _, c := range cfg.Chain {
		chain = append(chain, c...)
	}
	chain = append(chain, cfg.Certificate...)
	t.k.cfg.Logger.Info("kpsis terminal: session opened", "card", cardCert.HolderReference)
	writeJSON(w, map[string]string{
		"err":                  "0",
		"hreq":                 s.hreq,
		"terminal_certificate": base64.StdEncoding.EncodeToString(chain),
		"cmd_to_card":          base64.StdEncoding.EncodeToString(s.hello),
	})
}

func (t *terminalAPI) checkCardCertificate(cfg TerminalConfig,
	encoded string) (*terminal.CVCertificate, *apiError) {
	der, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(der) == 0 {
		return nil, failf("invalid_request", "so_certificate is missing or not base64")
	}
	cert, err := terminal.ParseCVCertificate(der)
	if err != nil {
		return nil, failf("invalid_so_certificate", "%v", err)
	}
	if _, err := terminal.VerifyCVChain([]*terminal.CVCertificate{cert}, cfg.CardRoot,
		t.k.cfg.Now()); err != nil {
		return nil, failf("invalid_so_certificate", "%v", err)
	}
	return cert, nil
}

// bauthProcess takes M1 and returns the General Authenticate with M2, then
// takes M3, checks the card's signature and reports the session
// established.
func (t *terminalAPI) bauthProcess(s *terminalSession, req terminalRequest) (any, *apiError) {
	type answer struct {
		commandAnswer
		IsBAuthEstablished bool `json:"is_bauth_established"`
	}
	resp, apiErr := cardResponse(req.CardResponse, "BAUTH")
	if apiErr != nil {
		return nil, apiErr
	}
	switch s.stage {
	case stageAwaitM1:
		challenge, ok := card.ParseDynamicAuth(resp.Data, 0x80)
		if !ok || len(challenge) != card.ChallengeSize {
			return nil, failf("invalid_card_response", "card_response holds no M1 of BAUTH")
		}
		s.challenge = challenge
		s.nonce = make([]byte, card.TerminalNonceSize)
		_, _ = rand.Read(s.nonce)
		sig, err := bign.SignHbelt(rand.Reader, s.key,
			card.TerminalAuthMessage(s.hello, s.challenge, s.nonce))
		if err != nil {
			return nil, failf("server_error", "signing M2: %v", err)
		}
		s.stage = stageAwaitM3
		m2 := card.DynamicAuth(0x81, append(append([]byte(nil), s.nonce...), sig...))
		return answer{commandAnswer: command([4]byte{0x00, 0x86, 0x00, 0x00}, m2)}, nil
	case stageAwaitM3:
		m3, ok := card.ParseDynamicAuth(resp.Data, 0x82)
		key, err := bign.ParsePublicKey(s.cardCert.PublicKey)
		if !ok || err != nil || bign.VerifyHbelt(key,
			card.CardAuthMessage(s.hello, s.challenge, s.nonce), m3) != nil {
			return nil, failf("card_authentication_failed",
				"the card's signature in M3 does not verify under so_certificate")
		}
		s.stage = stageEstablished
		return answer{commandAnswer: commandAnswer{Err: "0"}, IsBAuthEstablished: true}, nil
	}
	return nil, failf("invalid_state", "BAUTH is already established")
}

// cardResponse decodes card_response and requires status 9000. Another
// status is returned as the error code, so that the consumer learns which
// status the card returned.
func cardResponse(encoded, step string) (card.Response, *apiError) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return card.Response{}, failf("invalid_request", "card_response is not base64")
	}
	resp, err := card.ParseResponse(raw)
	if err != nil {
		return card.Response{}, failf("invalid_request", "card_response: %v", err)
	}
	if resp.Status != card.StatusOK {
		return resp, cardStatus(resp.Status, "the card refused %s with status %04X",
			step, resp.Status)
	}
	return resp, nil
}

func (s *terminalSession) established() *apiError {
	if s.stage != stageEstablished {
		return failf("invalid_state", "BAUTH is not established: finish bauth_process first")
	}
	return nil
}
