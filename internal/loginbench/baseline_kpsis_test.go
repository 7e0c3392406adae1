package loginbench

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/esiful/sdk-go/ifyul"
)

// kpsisBaseline is the КПСИС flow written by hand with net/http and
// encoding/json: api/v2 login and login_callback, with the ID token verified
// by go-oidc against the provider's JWKS, fetched once and reused.
type kpsisBaseline struct {
	ctx      context.Context // carries the HTTP client for go-oidc
	http     *http.Client
	kpsisURL string
	settings kpsisSettings
	verifier *oidc.IDTokenVerifier
	attempts attemptMap
}

// kpsisSettings is the "settings" object of api/v2 login and login_callback.
type kpsisSettings struct {
	Authority             string `json:"authority"`
	ClientID              string `json:"client_id"`
	GrantType             string `json:"grant_type"`
	ResponseType          string `json:"response_type"`
	Scope                 string `json:"scope"`
	Prompt                string `json:"prompt"`
	RedirectURI           string `json:"redirect_uri"`
	PostLogoutRedirectURI string `json:"post_logout_redirect_uri,omitempty"`
	State                 string `json:"state"`
}

type kpsisLoginRequest struct {
	Settings kpsisSettings `json:"settings"`
}

type kpsisLoginAnswer struct {
	Err                       string `json:"err"`
	SignedDataToCheckInCP     string `json:"signed_data_to_check_in_cp"`
	CodeVerifier              string `json:"code_verifier"`
	EnvelopedAndSignedAuthURL string `json:"enveloped_and_signed_auth_url"`
	Nonce                     string `json:"nonce"`
}

type kpsisCallbackRequest struct {
	Params       string        `json:"params"`
	CodeVerifier string        `json:"code_verifier"`
	Settings     kpsisSettings `json:"settings"`
}

type kpsisCallbackAnswer struct {
	Err      string `json:"err"`
	IDToken  string `json:"id_token"`
	UserInfo person `json:"userinfo"`
}

func newKPSISBaseline(fake *fakeServer, client *http.Client) (*kpsisBaseline, error) {
	ctx := oidc.ClientContext(context.Background(), client)
	provider, err := oidc.NewProvider(ctx, fake.ProviderURL)
	if err != nil {
		return nil, fmt.Errorf("loginbench: baseline discovery: %w", err)
	}
	return &kpsisBaseline{
		ctx:      ctx,
		http:     client,
		kpsisURL: fake.KPSISURL,
		settings: kpsisSettings{
			Authority:    fake.ProviderURL,
			ClientID:     clientID,
			GrantType:    "authorization_code",
			ResponseType: "code",
			Scope:        strings.Join(ifyul.DefaultScopes, " "),
			Prompt:       "consent",
			RedirectURI:  redirectURL,
		},
		verifier: provider.Verifier(&oidc.Config{ClientID: clientID}),
	}, nil
}

// start calls api/v2 login and returns the attempt's ID, the data for the
// client program and the enveloped authorization URL.
func (k *kpsisBaseline) start() (id, clientProgramData, authURL string, err error) {
	settings := k.settings
	settings.State = randomToken()
	var answer kpsisLoginAnswer
	if err := k.call("login", kpsisLoginRequest{Settings: settings}, &answer); err != nil {
		return "", "", "", err
	}
	if answer.Err != "0" {
		return "", "", "", fmt.Errorf("loginbench: КПСИС login: err %q", answer.Err)
	}
	if answer.SignedDataToCheckInCP == "" || answer.CodeVerifier == "" ||
		answer.EnvelopedAndSignedAuthURL == "" {
		return "", "", "", errors.New("loginbench: КПСИС login answer is incomplete")
	}

	id = randomToken()
	k.attempts.put(id, attempt{state: settings.State, nonce: answer.Nonce,
		codeVerifier: answer.CodeVerifier})
	return id, answer.SignedDataToCheckInCP, answer.EnvelopedAndSignedAuthURL, nil
}

// complete calls api/v2 login_callback with the callback's "data" and
// verifies the ID token it returns.
func (k *kpsisBaseline) complete(id string, q url.Values) (*person, error) {
	a, err := k.attempts.take(id)
	if err != nil {
		return nil, err
	}
	data := q.Get("data")
	if data == "" {
		return nil, fmt.Errorf("loginbench: callback has no data: %s", q.Get("error"))
	}
	settings := k.settings
	settings.State = a.state
	var answer kpsisCallbackAnswer
	request := kpsisCallbackRequest{Params: data, CodeVerifier: a.codeVerifier,
		Settings: settings}
	if err := k.call("login_callback", request, &answer); err != nil {
		return nil, err
	}
	if answer.Err != "0" {
		return nil, fmt.Errorf("loginbench: КПСИС login_callback: err %q", answer.Err)
	}

	idToken, err := k.verifier.Verify(k.ctx, answer.IDToken)
	if err != nil {
		return nil, fmt.Errorf("loginbench: ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(a.nonce)) != 1 {
		return nil, errors.New("loginbench: ID token nonce differs")
	}
	if answer.UserInfo.Subject != idToken.Subject {
		return nil, fmt.Errorf("loginbench: userinfo sub %q, ID token sub %q",
			answer.UserInfo.Subject, idToken.Subject)
	}
	return &answer.UserInfo, nil
}

// call POSTs a JSON request to api/v2/<method> and decodes the response into
// answer. The caller checks its "err".
func (k *kpsisBaseline) call(method string, request, answer any) error {
	body, err := json.Marshal(request)
	if err != nil {
		return fmt.Errorf("loginbench: КПСИС %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(k.ctx, http.MethodPost,
		k.kpsisURL+"/api/v2/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("loginbench: КПСИС %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := k.http.Do(req)
	if err != nil {
		return fmt.Errorf("loginbench: КПСИС %s: %w", method, err)
	}
	defer resp.Body.Close()

	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("loginbench: КПСИС %s: %w", method, err)
	}
	if err := json.Unmarshal(raw, answer); err != nil {
		return fmt.Errorf("loginbench: КПСИС %s responded %s: %w: %.200s",
			method, resp.Status, err, raw)
	}
	return nil
}

// login runs one baseline login and adds the cost of each step to cost.
func (k *kpsisBaseline) login(br *browser, cost *loginCost) (*person, error) {
	var id, clientProgramData, authURL string
	err := cost.start.add(func() (err error) {
		id, clientProgramData, authURL, err = k.start()
		return err
	})
	if err != nil {
		return nil, err
	}
	var callback url.Values
	err = cost.browser.add(func() (err error) {
		callback, err = br.authorize(k.ctx, clientProgramData, authURL)
		return err
	})
	if err != nil {
		return nil, err
	}
	var p *person
	err = cost.complete.add(func() (err error) {
		p, err = k.complete(id, callback)
		return err
	})
	return p, err
}
