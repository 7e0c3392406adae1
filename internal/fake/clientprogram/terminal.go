package clientprogram

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/tlv"
)

// terminalProxy is the client program's side of terminal mode: the card in
// the reader, the PIN its holder types, and the api/v1 calls that relay the
// КПСИС's commands to the card.
type terminalProxy struct {
	mu       sync.Mutex
	inserted *card.Card
	pin      string
}

// InsertCard puts the card of the test person in the reader, fresh from
// power-up. It fails if the stack has no card for the person.
func (cp *ClientProgram) InsertCard(personID int) error {
	c := cp.cfg.Cards[personID]
	if c == nil {
		return fmt.Errorf("clientprogram: no card for person %d", personID)
	}
	c.Reset()
	cp.terminal.mu.Lock()
	defer cp.terminal.mu.Unlock()
	cp.terminal.inserted = c
	return nil
}

// RemoveCard empties the reader, so that terminal calls return err "3".
func (cp *ClientProgram) RemoveCard() {
	cp.terminal.mu.Lock()
	defer cp.terminal.mu.Unlock()
	cp.terminal.inserted = nil
}

// EnterPIN sets the PIN that the holder types when the client program
// prompts for it. The empty string, the default, stands for card.DefaultPIN.
func (cp *ClientProgram) EnterPIN(pin string) {
	cp.terminal.mu.Lock()
	defer cp.terminal.mu.Unlock()
	cp.terminal.pin = pin
}

func (cp *ClientProgram) card() (*card.Card, string) {
	cp.terminal.mu.Lock()
	defer cp.terminal.mu.Unlock()
	pin := cp.terminal.pin
	if pin == "" {
		pin = card.DefaultPIN
	}
	return cp.terminal.inserted, pin
}

func (cp *ClientProgram) registerTerminal(mux *http.ServeMux) {
	for name, handle := range map[string]func(*card.Card, string, []byte) (any, *proxyError){
		"terminal_proxy_bauth_app_prefetch": cp.prefetch,
		"terminal_proxy_bauth_init":         cp.bauthInit,
		"terminal_proxy_bauth":              cp.relay,
		"terminal_proxy_command":            cp.relay,
		"terminal_proxy_sign_init":          cp.signInit,
	} {
		mux.HandleFunc("POST /api/v1/"+name, cp.terminalCall(name, handle))
	}
}

// proxyError is an error response of the terminal proxy.
type proxyError struct {
	status            int
	code, description string
}

func cardRefused(sw uint16, format string, args ...any) *proxyError {
	return &proxyError{http.StatusOK, fmt.Sprintf("%04X", sw), fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *proxyError {
	return &proxyError{http.StatusBadRequest, "invalid_request", fmt.Sprintf(format, args...)}
}

// terminalCall reads the body and returns err "3" when the reader is
// empty, as the real client program does.
func (cp *ClientProgram) terminalCall(name string,
	handle func(*card.Card, string, []byte) (any, *proxyError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return
		}
		c, pin := cp.card()
		if c == nil {
			cp.cfg.Logger.Info("client program: no card in the reader", "call", name)
			writeJSON(w, http.StatusOK, map[string]string{"err": "3",
				"error_description": "нет считывателя или карты"})
			return
		}
		answer, perr := handle(c, pin, body)
		if perr != nil {
			cp.cfg.Logger.Warn("client program: terminal call failed", "call", name,
				"err", perr.code, "description", perr.description)
			writeJSON(w, perr.status, map[string]string{"err": perr.code,
				"error_description": perr.description})
			return
		}
		writeJSON(w, http.StatusOK, answer)
	}
}

func (cp *ClientProgram) prefetch(c *card.Card, _ string, body []byte) (any, *proxyError) {
	var req struct {
		STB *bool `json:"stb"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.STB == nil {
		return nil, badRequest(`body must be {"stb": false}`)
	}
	return map[string]string{
		"err":            "0",
		"so_certificate": base64.StdEncoding.EncodeToString(c.Certificate()),
		"cert_id":        c.HolderReference(),
	}, nil
}

// bauthInit runs the steps the client program takes on the holder's behalf
// before the terminal takes over. These are BPACE with the PIN, MSE:Set AT
// with the КПСИС's data, PSO:Verify Certificate for each certificate of the
// chain, and the first General Authenticate, whose response (M1) it returns.
func (cp *ClientProgram) bauthInit(c *card.Card, pin string, body []byte) (any, *proxyError) {
	var req struct {
		TerminalCertificate string `json:"terminal_certificate"`
		CmdToCard           string `json:"cmd_to_card"`
		IsBilateral         *bool  `json:"is_bilateral"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.IsBilateral == nil {
		return nil, badRequest("body must carry terminal_certificate, cmd_to_card and " +
			"is_bilateral as a boolean")
	}
	chain, err1 := base64.StdEncoding.DecodeString(req.TerminalCertificate)
	hello, err2 := base64.StdEncoding.DecodeString(req.CmdToCard)
	certs, err3 := tlv.ParseAll(chain)
	if err := errors.Join(err1, err2, err3); err != nil || len(certs) == 0 {
		return nil, badRequest("terminal_certificate and cmd_to_card must be base64 of "+
			"CV certificates and of MSE:Set AT data: %v", err)
	}

	if err := c.Authenticate(card.PasswordPIN, pin); err != nil {
		return nil, statusOf(err, "the card refused the PIN")
	}
	p2 := byte(0xA4)
	p1 := byte(0xB1)
	if *req.IsBilateral {
		p1 = 0xF1
	}
	steps := []struct {
		name   string
		header []byte
		data   []byte
	}{
		{"Select MF", []byte{0x00, 0xA4, 0x00, 0x00}, nil},
		{"MSE:Set AT", []byte{0x00, 0x22, p1, p2}, hello},
	}
	for _, cert := range certs {
		steps = append(steps, struct {
			name   string
			header []byte
			data   []byte
		}{"PSO:Verify Certificate", []byte{0x00, 0x2A, 0x00, 0xBE}, cert.Value})
	}
	for _, step := range steps {
		resp, perr := transmit(c, step.header, step.data)
		if perr != nil {
			return nil, perr
		}
		if resp.Status != card.StatusOK {
			return nil, cardRefused(resp.Status, "the card refused %s with status %04X",
				step.name, resp.Status)
		}
	}
	return cp.respond(transmit(c, []byte{0x00, 0x86, 0x00, 0x00}, nil))
}

// relay sends one command of the КПСИС to the card and returns the
// response whatever its status: the КПСИС interprets it.
func (cp *ClientProgram) relay(c *card.Card, _ string, body []byte) (any, *proxyError) {
	header, data, perr := decodeCommand(body)
	if perr != nil {
		return nil, perr
	}
	return cp.respond(transmit(c, header, data))
}

// signInit prompts the holder for the PIN and confirms it with the card
// before relaying the КПСИС's first signing command.
func (cp *ClientProgram) signInit(c *card.Card, pin string, body []byte) (any, *proxyError) {
	header, data, perr := decodeCommand(body)
	if perr != nil {
		return nil, perr
	}
	if err := c.VerifyPIN(pin); err != nil {
		return nil, statusOf(err, "the card refused the PIN")
	}
	return cp.respond(transmit(c, header, data))
}

func decodeCommand(body []byte) ([]byte, []byte, *proxyError) {
	var req struct {
		HeaderCmdToCard string `json:"header_cmd_to_card"`
		CmdToCard       string `json:"cmd_to_card"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, nil, badRequest("body must carry header_cmd_to_card and cmd_to_card")
	}
	header, err := base64.StdEncoding.DecodeString(req.HeaderCmdToCard)
	if err != nil || len(header) != 4 {
		return nil, nil, badRequest("header_cmd_to_card must be base64 of CLA INS P1 P2")
	}
	data, err := base64.StdEncoding.DecodeString(req.CmdToCard)
	if err != nil {
		return nil, nil, badRequest("cmd_to_card is not base64")
	}
	return header, data, nil
}

func transmit(c *card.Card, header, data []byte) (card.Response, *proxyError) {
	cmd, err := card.NewCommand(header, data)
	if err != nil {
		return card.Response{}, badRequest("%v", err)
	}
	resp, err := card.ParseResponse(c.Transmit(cmd.Encode()))
	if err != nil {
		return card.Response{}, &proxyError{http.StatusOK, "card_error", err.Error()}
	}
	return resp, nil
}

func (cp *ClientProgram) respond(resp card.Response, perr *proxyError) (any, *proxyError) {
	if perr != nil {
		return nil, perr
	}
	return map[string]string{
		"err":           "0",
		"card_response": base64.StdEncoding.EncodeToString(resp.Encode()),
	}, nil
}

func statusOf(err error, what string) *proxyError {
	var se *card.StatusError
	if errors.As(err, &se) {
		return cardRefused(se.Status, "%s with status %04X", what, se.Status)
	}
	return &proxyError{http.StatusOK, "card_error", err.Error()}
}
