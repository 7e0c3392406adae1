package provider

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/persons"
)

// RequestLifetime bounds how long an authorization request, its
// confirmation and its login page stay usable.
const RequestLifetime = 10 * time.Minute

// AuthRequest is the payload of an enveloped authorization request, as the
// fake КПСИС signs it.
type AuthRequest struct {
	RequestID           string `json:"request_id"`
	ClientID            string `json:"client_id"`
	RedirectURI         string `json:"redirect_uri"`
	Scope               string `json:"scope"`
	State               string `json:"state"`
	Nonce               string `json:"nonce"`
	Prompt              string `json:"prompt,omitempty"`
	CodeChallenge       string `json:"code_challenge"`
	CodeChallengeMethod string `json:"code_challenge_method"`
	ExpiresAt           int64  `json:"exp"`
}

// CallbackData is what the "data" parameter of an enveloped request's
// callback carries, base64url-encoded JSON. NOTE: the real provider's
// encoding of "data" is not public.
type CallbackData struct {
	Code             string `json:"code,omitempty"`
	State            string `json:"state"`
	Issuer           string `json:"iss"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// authRequest is a validated authorization request waiting for a person.
type authRequest struct {
	AuthRequest
	enveloped    bool
	responseType string
	expiresAt    time.Time
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var req *authRequest
	var err error
	if q.Has("envelope") {
		req, err = p.openEnvelope(q)
	} else {
		req, err = p.plainRequest(q)
	}
	if err != nil {
		// Without a trusted redirect URI the error can only be shown here.
		p.writePage(w, http.StatusBadRequest, "Ошибка запроса", err.Error())
		return
	}

	if req.enveloped && !p.takeConfirmation(req.RequestID) {
		p.redirectError(w, r, req, "unconfirmed_request",
			"клиентская программа не подтвердила запрос")
		return
	}
	if !req.enveloped && p.cfg.RequireConfirmation {
		p.redirectError(w, r, req, "unconfirmed_request",
			"запрос без подтверждения клиентской программы не принимается")
		return
	}
	if req.responseType != "code" {
		p.redirectError(w, r, req, "unsupported_response_type",
			fmt.Sprintf("response_type %q не поддерживается (нужен code)", req.responseType))
		return
	}
	if err := checkRequest(req); err != nil {
		p.redirectError(w, r, req, "invalid_request", err.Error())
		return
	}
	if p.misbehaviour().DenyAccess {
		p.redirectError(w, r, req, "access_denied", "вход отклонён")
		return
	}

	txn := randomID()
	p.mu.Lock()
	p.pruneExpired()
	p.pending[txn] = req
	auto := p.cfg.AutoLogin
	p.mu.Unlock()

	if auto > 0 {
		p.complete(w, r, txn, auto)
		return
	}
	p.writeLoginPage(w, txn)
}

// plainRequest validates a standard OpenID Connect authorization request.
func (p *Provider) plainRequest(q url.Values) (*authRequest, error) {
	c := p.client(q.Get("client_id"))
	if c == nil {
		return nil, fmt.Errorf("неизвестный client_id %q", q.Get("client_id"))
	}
	if !slices.Contains(c.RedirectURIs, q.Get("redirect_uri")) {
		return nil, fmt.Errorf("redirect_uri %q не зарегистрирован", q.Get("redirect_uri"))
	}
	return &authRequest{AuthRequest: AuthRequest{
		ClientID:            c.ID,
		RedirectURI:         q.Get("redirect_uri"),
		Scope:               q.Get("scope"),
		State:               q.Get("state"),
		Nonce:               q.Get("nonce"),
		Prompt:              q.Get("prompt"),
		CodeChallenge:       q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"),
	}, responseType: q.Get("response_type"), expiresAt: p.cfg.Now().Add(RequestLifetime)}, nil
}

// openEnvelope validates an enveloped request signed by a client's КПСИС.
func (p *Provider) openEnvelope(q url.Values) (*authRequest, error) {
	c := p.client(q.Get("client_id"))
	if c == nil || c.RequestVerifier == nil {
		return nil, fmt.Errorf("client_id %q не может подавать подписанные запросы",
			q.Get("client_id"))
	}
	var ar AuthRequest
	if err := envelope.Open(c.RequestVerifier, q.Get("envelope"), &ar); err != nil {
		return nil, fmt.Errorf("подпись запроса не прошла проверку: %v", err)
	}
	if ar.ClientID != c.ID {
		return nil, fmt.Errorf("запрос подписан для client_id %q", ar.ClientID)
	}
	if !slices.Contains(c.RedirectURIs, ar.RedirectURI) {
		return nil, fmt.Errorf("redirect_uri %q не зарегистрирован", ar.RedirectURI)
	}
	if p.cfg.Now().Unix() > ar.ExpiresAt {
		return nil, fmt.Errorf("срок действия запроса истёк")
	}
	return &authRequest{AuthRequest: ar, enveloped: true, responseType: "code",
		expiresAt: time.Unix(ar.ExpiresAt, 0)}, nil
}

// checkRequest applies the rules every request must meet once its redirect
// URI is trusted, so that failures go back to the relying party.
func checkRequest(req *authRequest) error {
	switch {
	case !slices.Contains(strings.Fields(req.Scope), "openid"):
		return fmt.Errorf("scope %q не содержит openid", req.Scope)
	case req.CodeChallenge == "":
		return fmt.Errorf("нет code_challenge: PKCE обязателен")
	case req.CodeChallengeMethod != "S256":
		return fmt.Errorf("code_challenge_method %q не поддерживается (нужен S256)",
			req.CodeChallengeMethod)
	}
	return nil
}

// login handles the login page's form: the tester picked a person.
func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PostFormValue("person"))
	if err != nil {
		p.writePage(w, http.StatusBadRequest, "Ошибка входа", "не выбран человек")
		return
	}
	p.complete(w, r, r.PostFormValue("txn"), id)
}

// complete issues the code for the pending request and redirects back.
func (p *Provider) complete(w http.ResponseWriter, r *http.Request, txn string, personID int) {
	p.mu.Lock()
	req := p.pending[txn]
	delete(p.pending, txn)
	p.mu.Unlock()
	if req == nil || p.cfg.Now().After(req.expiresAt) {
		p.writePage(w, http.StatusBadRequest, "Ошибка входа",
			"запрос на вход не найден или устарел; начните вход заново")
		return
	}
	person := p.cfg.Persons.ByID(personID)
	if person == nil {
		p.writePage(w, http.StatusBadRequest, "Ошибка входа",
			fmt.Sprintf("нет тестового человека с номером %d", personID))
		return
	}

	code := p.issueCode(req, person)
	p.cfg.Logger.Info("provider: code issued", "client_id", req.ClientID,
		"person", person.ID, "enveloped", req.enveloped)
	p.redirect(w, r, req, CallbackData{Code: code, State: req.State})
}

func (p *Provider) issueCode(req *authRequest, person *persons.Person) string {
	code := randomID()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneExpired()
	p.codes[code] = &grant{
		req: req.AuthRequest, person: person, authTime: p.cfg.Now(),
		expiresAt: p.cfg.Now().Add(time.Minute),
	}
	return code
}

func (p *Provider) redirectError(w http.ResponseWriter, r *http.Request, req *authRequest,
	code, description string) {

	p.cfg.Logger.Info("provider: authorization refused", "client_id", req.ClientID,
		"error", code)
	p.redirect(w, r, req, CallbackData{State: req.State, Error: code,
		ErrorDescription: description})
}

// redirect sends the authorization response: "data" for enveloped requests,
// the standard parameters (with RFC 9207 "iss") for plain ones.
func (p *Provider) redirect(w http.ResponseWriter, r *http.Request, req *authRequest,
	data CallbackData) {

	m := p.misbehaviour()
	data.Issuer = p.cfg.Issuer
	switch {
	case m.WrongIssParam:
		data.Issuer = p.cfg.Issuer + "/evil"
	case m.OmitIssParam:
		data.Issuer = ""
	}
	q := url.Values{}
	if req.enveloped {
		raw, _ := json.Marshal(data)
		q.Set("data", base64.RawURLEncoding.EncodeToString(raw))
	} else {
		for k, v := range map[string]string{"code": data.Code, "state": data.State,
			"iss": data.Issuer, "error": data.Error, "error_description": data.ErrorDescription} {
			if v != "" {
				q.Set(k, v)
			}
		}
	}
	sep := "?"
	if strings.Contains(req.RedirectURI, "?") {
		sep = "&"
	}
	http.Redirect(w, r, req.RedirectURI+sep+q.Encode(), http.StatusFound)
}

func randomID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
