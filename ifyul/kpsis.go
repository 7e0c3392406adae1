package ifyul

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// kpsisFlow logs in through the consumer's КПСИС, which builds and signs the
// authorization request, exchanges the code and returns the ID token and
// userinfo. The SDK speaks the КПСИС's api/v2 JSON as real deployments do.
type kpsisFlow struct{ c *Client }

func (f *kpsisFlow) Name() string { return "kpsis" }

// kpsisSettings is the "settings" object of api/v2 login and login_callback.
type kpsisSettings struct {
	Authority             string `json:"authority"`
	ClientID              string `json:"client_id"`
	GrantType             string `json:"grant_type"`
	ResponseType          string `json:"response_type"`
	Scope                 string `json:"scope"`
	Prompt                string `json:"prompt,omitempty"`
	RedirectURI           string `json:"redirect_uri"`
	PostLogoutRedirectURI string `json:"post_logout_redirect_uri,omitempty"`
	State                 string `json:"state"`
}

func (f *kpsisFlow) settings(state string) kpsisSettings {
	s := kpsisSettings{
		Authority:             f.c.cfg.Authority,
		ClientID:              f.c.cfg.ClientID,
		GrantType:             "authorization_code",
		ResponseType:          "code",
		Scope:                 strings.Join(f.c.cfg.Scopes, " "),
		RedirectURI:           f.c.cfg.RedirectURL,
		PostLogoutRedirectURI: f.c.cfg.PostLogoutRedirectURL,
		State:                 state,
	}
	if f.c.cfg.Prompt != "-" {
		s.Prompt = f.c.cfg.Prompt
	}
	return s
}

// kpsisStatus is the "err" field every КПСИС response carries: "0" on
// success. It is read from a JSON string or number.
type kpsisStatus string

func (s *kpsisStatus) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = kpsisStatus(str)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("err is neither a string nor a number: %s", b)
	}
	*s = kpsisStatus(n.String())
	return nil
}

// kpsisAnswer is the common part of КПСИС responses.
type kpsisAnswer struct {
	Err kpsisStatus `json:"err"`
	// ErrorDescription is sent by this SDK's fake КПСИС. NOTE: whether the
	// real КПСИС explains its errors, and in which field, is not public.
	ErrorDescription string `json:"error_description"`
}

func (a kpsisAnswer) status() kpsisAnswer { return a }

type kpsisLoginAnswer struct {
	kpsisAnswer
	SignedDataToCheckInCP     string `json:"signed_data_to_check_in_cp"`
	CodeVerifier              string `json:"code_verifier"`
	EnvelopedAndSignedAuthURL string `json:"enveloped_and_signed_auth_url"`
	// Nonce is reported by this SDK's fake КПСИС; the real КПСИС is not
	// known to report it. When present, the ID token's nonce is checked.
	Nonce string `json:"nonce"`
}

type kpsisCallbackAnswer struct {
	kpsisAnswer
	IDToken  string                     `json:"id_token"`
	UserInfo map[string]json.RawMessage `json:"userinfo"`
}

// Begin implements Flow with api/v2 login.
func (f *kpsisFlow) Begin(ctx context.Context, a *Attempt) (*LoginStart, error) {
	var answer kpsisLoginAnswer
	request := map[string]any{"settings": f.settings(a.State)}
	if err := f.call(ctx, "login", request, &answer); err != nil {
		return nil, err
	}
	switch {
	case answer.SignedDataToCheckInCP == "":
		return nil, f.missing("login", "signed_data_to_check_in_cp")
	case answer.CodeVerifier == "":
		return nil, f.missing("login", "code_verifier")
	case answer.EnvelopedAndSignedAuthURL == "":
		return nil, f.missing("login", "enveloped_and_signed_auth_url")
	}
	if err := checkAbsoluteURL("enveloped_and_signed_auth_url",
		answer.EnvelopedAndSignedAuthURL, true); err != nil {
		return nil, fmt.Errorf("ifyul: КПСИС login: %w", err)
	}
	a.CodeVerifier = answer.CodeVerifier
	a.Nonce = answer.Nonce
	return &LoginStart{
		AuthURL:           answer.EnvelopedAndSignedAuthURL,
		ClientProgramData: answer.SignedDataToCheckInCP,
	}, nil
}

// Exchange implements Flow with api/v2 login_callback. The provider returns
// a single query parameter "data", opaque to the SDK.
func (f *kpsisFlow) Exchange(ctx context.Context, a *Attempt, q url.Values) (*Tokens, error) {
	data := q.Get("data")
	if data == "" {
		if code := q.Get("error"); code != "" {
			return nil, f.c.classify(sourceProvider, code, q.Get("error_description"), 0)
		}
		return nil, fmt.Errorf("ifyul: callback has no \"data\" parameter: %w",
			&ProtocolError{Source: sourceProvider, Code: "invalid_request"})
	}
	request := map[string]any{
		"params":        data,
		"code_verifier": a.CodeVerifier,
		"settings":      f.settings(a.State),
	}
	var answer kpsisCallbackAnswer
	if err := f.call(ctx, "login_callback", request, &answer); err != nil {
		return nil, err
	}
	if answer.IDToken == "" {
		return nil, f.missing("login_callback", "id_token")
	}
	return &Tokens{IDToken: answer.IDToken, UserInfo: answer.UserInfo}, nil
}

// EndSession implements Flow with api/v2 logout, then returns the
// provider's /session/end URL.
func (f *kpsisFlow) EndSession(ctx context.Context, idToken string) (string, error) {
	target := endSessionURL(strings.TrimSuffix(f.c.cfg.Authority, "/")+"/session/end",
		idToken, f.c.cfg.PostLogoutRedirectURL)
	request := map[string]any{
		"id_token":                 idToken,
		"authority":                f.c.cfg.Authority,
		"post_logout_redirect_uri": f.c.cfg.PostLogoutRedirectURL,
	}
	var answer kpsisAnswer
	if err := f.call(ctx, "logout", request, &answer); err != nil {
		return target, err
	}
	return target, nil
}

// statusCarrier is implemented by every КПСИС response type.
type statusCarrier interface{ status() kpsisAnswer }

// call POSTs a JSON request to api/v2/<method> and checks the response's err.
func (f *kpsisFlow) call(ctx context.Context, method string, request any,
	answer statusCarrier) error {

	body, err := json.Marshal(request)
	if err != nil {
		return fmt.Errorf("ifyul: КПСИС %s: %w", method, err)
	}
	target := strings.TrimSuffix(f.c.cfg.KPSISURL, "/") + "/api/v2/" + method
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("ifyul: КПСИС %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if err := f.c.do(req, sourceKPSIS, answer); err != nil {
		return fmt.Errorf("ifyul: КПСИС %s: %w", method, err)
	}
	st := answer.status()
	if st.Err != "0" {
		code := string(st.Err)
		if code == "" {
			return f.missing(method, "err")
		}
		return fmt.Errorf("ifyul: КПСИС %s: %w", method,
			f.c.classify(sourceKPSIS, code, st.ErrorDescription, 0))
	}
	return nil
}

func (f *kpsisFlow) missing(method, field string) error {
	return fmt.Errorf("ifyul: КПСИС %s: response has no %q", method, field)
}
