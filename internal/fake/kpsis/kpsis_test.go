package kpsis

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

const (
	testClient   = "system"
	testSecret   = "system-secret"
	testRedirect = "https://system.example/callback"
)

// testStack is a provider and a КПСИС on loopback, wired to each other.
type testStack struct {
	provider       *provider.Provider
	providerSwitch *fault.Switch
	providerURL    string
	kpsis          *KPSIS
	kpsisSwitch    *fault.Switch
	kpsisURL       string
	key            *envelope.ECDSAKey
	browser        *http.Client
}

func newTestStack(t *testing.T) *testStack {
	t.Helper()
	key, err := envelope.NewECDSAKey()
	require.NoError(t, err)
	s := &testStack{key: key, providerSwitch: &fault.Switch{}, kpsisSwitch: &fault.Switch{}}

	var providerHandler http.Handler
	providerSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		providerHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(providerSrv.Close)
	s.providerURL = providerSrv.URL
	s.provider, err = provider.New(provider.Config{
		Issuer:  providerSrv.URL,
		Persons: persons.Default(),
		Clients: []provider.Client{{
			ID: testClient, Secret: testSecret,
			RedirectURIs:    []string{testRedirect},
			RequestVerifier: key.Verifier(),
		}},
		AutoLogin: 1,
		Switch:    s.providerSwitch,
	})
	require.NoError(t, err)
	providerHandler = s.provider

	s.kpsis = New(Config{
		Authority: providerSrv.URL, ClientID: testClient, ClientSecret: testSecret,
		Signer: key, Switch: s.kpsisSwitch,
	})
	kpsisSrv := httptest.NewServer(s.kpsis)
	t.Cleanup(kpsisSrv.Close)
	s.kpsisURL = kpsisSrv.URL

	s.browser = providerSrv.Client()
	s.browser.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return s
}

func (s *testStack) settings() Settings {
	return Settings{
		Authority: s.providerURL, ClientID: testClient, GrantType: "authorization_code",
		ResponseType: "code", Scope: "openid profile residence_place", Prompt: "consent",
		RedirectURI: testRedirect, State: "state-k",
	}
}

// call POSTs a raw body to api/v2/<method> and decodes the JSON response.
func (s *testStack) call(t *testing.T, method, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.kpsisURL+"/api/v2/"+method, "application/json",
		strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var answer map[string]any
	require.NoError(t, json.Unmarshal(raw, &answer), string(raw))
	return resp.StatusCode, answer
}

func (s *testStack) callJSON(t *testing.T, method string, request any) map[string]any {
	t.Helper()
	body, err := json.Marshal(request)
	require.NoError(t, err)
	status, answer := s.call(t, method, string(body))
	require.Equal(t, http.StatusOK, status)
	return answer
}

func (s *testStack) login(t *testing.T) map[string]any {
	t.Helper()
	answer := s.callJSON(t, "login", map[string]any{"settings": s.settings()})
	require.Equal(t, "0", answer["err"], answer)
	return answer
}

// authorize plays the browser: the client program confirms the request, the
// browser follows the enveloped URL, and the provider (logging in person 1
// at once) redirects back. It returns the callback's data parameter.
func (s *testStack) authorize(t *testing.T, login map[string]any) string {
	t.Helper()
	var cp ClientProgramRequest
	require.NoError(t, envelope.Open(s.key.Verifier(),
		login["signed_data_to_check_in_cp"].(string), &cp))
	s.provider.Confirm(cp.RequestID)

	resp, err := s.browser.Get(login["enveloped_and_signed_auth_url"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(back.String(), testRedirect+"?"), back.String())
	return back.Query().Get("data")
}

func (s *testStack) callback(t *testing.T, data, verifier string) map[string]any {
	t.Helper()
	return s.callJSON(t, "login_callback", map[string]any{
		"params": data, "code_verifier": verifier, "settings": s.settings(),
	})
}

// encodeData builds a "data" parameter as the provider does.
func encodeData(t *testing.T, d provider.CallbackData) string {
	t.Helper()
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func assertKPSISError(t *testing.T, answer map[string]any, code string, text ...string) {
	t.Helper()
	assert.Equal(t, code, answer["err"], answer)
	description, _ := answer["error_description"].(string)
	assert.NotEmpty(t, description)
	for _, want := range text {
		assert.Contains(t, description, want)
	}
	assert.NotContains(t, answer, "id_token")
	assert.NotContains(t, answer, "code_verifier")
}

func TestLogin(t *testing.T) {
	s := newTestStack(t)
	answer := s.login(t)

	verifier, _ := answer["code_verifier"].(string)
	require.NotEmpty(t, verifier)
	authURL, err := url.Parse(answer["enveloped_and_signed_auth_url"].(string))
	require.NoError(t, err)
	assert.Equal(t, s.providerURL+"/auth", authURL.Scheme+"://"+authURL.Host+authURL.Path)
	assert.Equal(t, testClient, authURL.Query().Get("client_id"))

	var req provider.AuthRequest
	require.NoError(t, envelope.Open(s.key.Verifier(), authURL.Query().Get("envelope"), &req))
	assert.Equal(t, testClient, req.ClientID)
	assert.Equal(t, testRedirect, req.RedirectURI)
	assert.Equal(t, "state-k", req.State)
	assert.Equal(t, "consent", req.Prompt)
	assert.Equal(t, "S256", req.CodeChallengeMethod)
	assert.Equal(t, oauth2.S256ChallengeFromVerifier(verifier), req.CodeChallenge)
	assert.Equal(t, answer["nonce"], req.Nonce)
	assert.NotEmpty(t, req.Nonce)

	var cp ClientProgramRequest
	require.NoError(t, envelope.Open(s.key.Verifier(),
		answer["signed_data_to_check_in_cp"].(string), &cp))
	assert.Equal(t, req.RequestID, cp.RequestID)
	assert.Equal(t, req.ExpiresAt, cp.ExpiresAt)
	assert.Equal(t, testClient, cp.ClientID)
}

func TestLoginRequestsDiffer(t *testing.T) {
	s := newTestStack(t)
	first, second := s.login(t), s.login(t)

	assert.NotEqual(t, first["code_verifier"], second["code_verifier"])
	assert.NotEqual(t, first["nonce"], second["nonce"])
	assert.NotEqual(t, first["signed_data_to_check_in_cp"], second["signed_data_to_check_in_cp"])
}

func TestLoginHideNonce(t *testing.T) {
	s := newTestStack(t)
	s.kpsis.SetMisbehaviour(Misbehaviour{HideNonce: true})

	answer := s.login(t)
	assert.NotContains(t, answer, "nonce")
	assert.NotEmpty(t, answer["code_verifier"])
}

func TestMalformedBodies(t *testing.T) {
	bodies := []struct {
		name string
		body string
	}{
		{"empty", ``},
		{"not JSON", `settings=1`},
		{"truncated", `{"settings": {`},
		{"list", `[]`},
		{"string", `"login"`},
		{"trailing data", `{"settings": {}} {}`},
		{"settings a string", `{"settings": "x"}`},
		{"client_id a number", `{"settings": {"client_id": 5}}`},
		{"params a number", `{"params": 5}`},
		{"authority a list", `{"authority": []}`},
	}
	for _, method := range []string{"login", "login_callback", "logout"} {
		for _, tt := range bodies {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				s := newTestStack(t)
				status, answer := s.call(t, method, tt.body)
				assert.Equal(t, http.StatusOK, status)
				assertKPSISError(t, answer, "invalid_request")
				assert.NotContains(t, answer, "signed_data_to_check_in_cp")
			})
		}
	}
}

func TestLoginOversizedBody(t *testing.T) {
	s := newTestStack(t)
	body := `{"settings": {"state": "` + strings.Repeat("a", 1<<20) + `"}}`

	_, answer := s.call(t, "login", body)
	assertKPSISError(t, answer, "invalid_request")
}

func TestSettingsRejected(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Settings)
		wantText string
	}{
		{"another client", func(s *Settings) { s.ClientID = "intruder" }, `"intruder"`},
		{"client missing", func(s *Settings) { s.ClientID = "" }, "client_id"},
		{"another authority", func(s *Settings) {
			s.Authority = "https://evil.example"
		}, "evil.example"},
		{"authority with slash", func(s *Settings) { s.Authority += "/" }, "authority"},
		{"grant type", func(s *Settings) { s.GrantType = "implicit" }, `"implicit"`},
		{"response type", func(s *Settings) { s.ResponseType = "token" }, `"token"`},
		{"redirect missing", func(s *Settings) { s.RedirectURI = "" }, "redirect_uri"},
		{"state missing", func(s *Settings) { s.State = "" }, "state"},
	}
	for _, tt := range tests {
		for _, method := range []string{"login", "login_callback"} {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				s := newTestStack(t)
				settings := s.settings()
				tt.change(&settings)

				answer := s.callJSON(t, method, map[string]any{
					"settings": settings, "params": encodeData(t, provider.CallbackData{}),
				})
				assertKPSISError(t, answer, "invalid_request", tt.wantText)
			})
		}
	}
}

func TestLoginProviderFailures(t *testing.T) {
	tests := []struct {
		mode fault.Mode
		want string
	}{
		{fault.Maintenance, "maintenance"},
		{fault.Suspended, "access_suspended"},
		{fault.Down, "provider_unavailable"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			s := newTestStack(t)
			s.providerSwitch.Set(tt.mode)

			answer := s.callJSON(t, "login", map[string]any{"settings": s.settings()})
			assertKPSISError(t, answer, tt.want)
		})
	}
}

func TestKPSISModes(t *testing.T) {
	s := newTestStack(t)
	s.kpsisSwitch.Set(fault.Maintenance)

	status, answer := s.call(t, "login", `{}`)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assertKPSISError(t, answer, "maintenance")
}

func TestLoginCallback(t *testing.T) {
	s := newTestStack(t)
	login := s.login(t)
	data := s.authorize(t, login)

	answer := s.callback(t, data, login["code_verifier"].(string))
	require.Equal(t, "0", answer["err"], answer)
	assert.NotEmpty(t, answer["id_token"])
	userinfo, ok := answer["userinfo"].(map[string]any)
	require.True(t, ok, answer)
	assert.Equal(t, persons.Default().ByID(1).PersonalNumber, userinfo["serialNumber"])
	assert.Contains(t, userinfo, "residence_place")
}

func TestLoginCallbackReplayed(t *testing.T) {
	s := newTestStack(t)
	login := s.login(t)
	data := s.authorize(t, login)
	verifier := login["code_verifier"].(string)
	require.Equal(t, "0", s.callback(t, data, verifier)["err"])

	assertKPSISError(t, s.callback(t, data, verifier), "invalid_grant")
}

func TestLoginCallbackWrongVerifier(t *testing.T) {
	s := newTestStack(t)
	login := s.login(t)
	other := s.login(t)
	data := s.authorize(t, login)

	tests := []struct {
		name     string
		verifier string
	}{
		{"verifier missing", ""},
		{"verifier of another login", other["code_verifier"].(string)},
		{"verifier made up", oauth2.GenerateVerifier()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertKPSISError(t, s.callback(t, data, tt.verifier), "invalid_grant")
		})
	}

	// The failed exchanges did not use the code up.
	assert.Equal(t, "0", s.callback(t, data, login["code_verifier"].(string))["err"])
}

func TestLoginCallbackGarbageParams(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name     string
		params   string
		wantText string
	}{
		{"empty", "", "params"},
		{"not base64", "code=abc&state=x", "not base64url"},
		{"standard base64 padding", b64(`{"code":"x"}`) + "==", "not base64url"},
		{"not JSON", b64("code=abc"), "params"},
		{"JSON list", b64(`["code"]`), "params"},
		{"code a number", b64(`{"code": 5, "state": "state-k"}`), "params"},
		{"JSON null", b64(`null`), "issuer"},
		{"empty object", b64(`{}`), "issuer"},
		{"iss missing", b64(`{"code":"c","state":"state-k"}`), "issuer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStack(t)
			answer := s.callJSON(t, "login_callback", map[string]any{
				"params": tt.params, "code_verifier": "v", "settings": s.settings(),
			})
			assertKPSISError(t, answer, "invalid_request", tt.wantText)
		})
	}
}

func TestLoginCallbackStateMismatch(t *testing.T) {
	s := newTestStack(t)
	login := s.login(t)
	data := s.authorize(t, login)
	settings := s.settings()
	settings.State = "state-of-another-attempt"

	answer := s.callJSON(t, "login_callback", map[string]any{
		"params": data, "code_verifier": login["code_verifier"], "settings": settings,
	})
	assertKPSISError(t, answer, "state_mismatch")

	// The code was not spent on the rejected callback.
	assert.Equal(t, "0", s.callback(t, data, login["code_verifier"].(string))["err"])
}

func TestLoginCallbackIssuerMismatch(t *testing.T) {
	s := newTestStack(t)
	data := encodeData(t, provider.CallbackData{
		Code: "c", State: "state-k", Issuer: s.providerURL + "/evil",
	})

	answer := s.callback(t, data, "v")
	assertKPSISError(t, answer, "invalid_request", "/evil")
}

func TestLoginCallbackErrorPassedThrough(t *testing.T) {
	tests := []struct {
		name string
		data provider.CallbackData
	}{
		{"unconfirmed", provider.CallbackData{
			Error: "unconfirmed_request", ErrorDescription: "не подтверждён",
			State: "state-k",
		}},
		{"access denied", provider.CallbackData{
			Error: "access_denied", ErrorDescription: "отказ", State: "state-k",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStack(t)
			tt.data.Issuer = s.providerURL

			answer := s.callback(t, encodeData(t, tt.data), "v")
			assertKPSISError(t, answer, tt.data.Error, tt.data.ErrorDescription)
		})
	}
}

func TestLoginCallbackProviderError(t *testing.T) {
	s := newTestStack(t)
	login := s.login(t)
	// The provider redirects with an error when the client program did not
	// confirm; the КПСИС passes the provider's code on.
	resp, err := s.browser.Get(login["enveloped_and_signed_auth_url"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)

	answer := s.callback(t, back.Query().Get("data"), login["code_verifier"].(string))
	assertKPSISError(t, answer, "unconfirmed_request")
}

func TestLoginCallbackBadIDToken(t *testing.T) {
	tests := []struct {
		name string
		m    provider.Misbehaviour
	}{
		{"wrong issuer", provider.Misbehaviour{WrongIssuer: true}},
		{"wrong audience", provider.Misbehaviour{WrongAudience: true}},
		{"bad signature", provider.Misbehaviour{BadSignature: true}},
		{"nonce missing", provider.Misbehaviour{OmitNonce: true}},
		{"expired", provider.Misbehaviour{ExpiredToken: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStack(t)
			s.provider.SetMisbehaviour(tt.m)
			login := s.login(t)
			data := s.authorize(t, login)

			answer := s.callback(t, data, login["code_verifier"].(string))
			assertKPSISError(t, answer, "invalid_token")
			assert.NotContains(t, answer, "userinfo")
		})
	}
}

func TestLoginCallbackTokensUnchecked(t *testing.T) {
	s := newTestStack(t)
	s.provider.SetMisbehaviour(provider.Misbehaviour{WrongAudience: true})
	s.kpsis.SetMisbehaviour(Misbehaviour{PassTokensUnchecked: true})
	login := s.login(t)
	data := s.authorize(t, login)

	answer := s.callback(t, data, login["code_verifier"].(string))
	assert.Equal(t, "0", answer["err"], answer)
	assert.NotEmpty(t, answer["id_token"])
}

func TestLogout(t *testing.T) {
	s := newTestStack(t)
	ok := s.callJSON(t, "logout", map[string]any{
		"id_token": "t", "authority": s.providerURL,
		"post_logout_redirect_uri": "https://system.example/",
	})
	assert.Equal(t, "0", ok["err"])

	wrong := s.callJSON(t, "logout", map[string]any{
		"id_token": "t", "authority": "https://evil.example",
	})
	assertKPSISError(t, wrong, "invalid_request", "evil.example")
}

func TestMethodsNeedPost(t *testing.T) {
	s := newTestStack(t)
	for _, method := range []string{"login", "login_callback", "logout"} {
		resp, err := http.Get(s.kpsisURL + "/api/v2/" + method)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, method)
	}
}

func TestNonceForDependsOnKey(t *testing.T) {
	a := New(Config{})
	b := New(Config{})

	assert.Equal(t, a.nonceFor("v"), a.nonceFor("v"))
	assert.NotEqual(t, a.nonceFor("v"), a.nonceFor("w"))
	assert.NotEqual(t, a.nonceFor("v"), b.nonceFor("v"),
		"another КПСИС cannot predict the nonce")
}

func TestDecodeCallbackData(t *testing.T) {
	want := provider.CallbackData{Code: "c", State: "s", Issuer: "https://idp.example"}
	got, err := decodeCallbackData(encodeData(t, want))
	require.NoError(t, err)
	assert.Equal(t, want, *got)
}

func TestDecodeCallbackDataMalformed(t *testing.T) {
	tests := []struct {
		name     string
		params   string
		wantText []string
	}{
		{"illegal character", "ab$cd", []string{"params is not base64url", "input byte 2"}},
		{"standard alphabet", "a+/b", []string{"params is not base64url", "input byte 1"}},
		{"one character", "a", []string{"params is not base64url", "input byte 0"}},
		{"padding", "e30=", []string{"params is not base64url"}},
		{"empty", "", []string{"params: "}},
		{"not JSON", "Y29kZQ", []string{"params: "}},
		{"iss a number", base64.RawURLEncoding.EncodeToString([]byte(`{"iss": 1}`)),
			[]string{"params: ", "iss"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeCallbackData(tt.params)
			require.Error(t, err)
			assert.Nil(t, got)
			for _, want := range tt.wantText {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func FuzzDecodeCallbackData(f *testing.F) {
	for _, seed := range []string{
		"",
		"e30",
		"bnVsbA",
		// {"code":"c","state":"s","iss":"https://idp.example"}
		"eyJjb2RlIjoiYyIsInN0YXRlIjoicyIsImlzcyI6Imh0dHBzOi8vaWRwLmV4YW1wbGUifQ",
		// {"error":"access_denied","state":"s"}
		"eyJlcnJvciI6ImFjY2Vzc19kZW5pZWQiLCJzdGF0ZSI6InMifQ",
		"e30=",
		"code=abc&state=x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, params string) {
		data, err := decodeCallbackData(params)
		if err != nil {
			assert.Nil(t, data)
			assert.True(t, strings.HasPrefix(err.Error(), "params"), err.Error())
			return
		}

		require.NotNil(t, data)
		raw, err := base64.RawURLEncoding.DecodeString(params)
		require.NoError(t, err)
		assert.True(t, json.Valid(raw), "accepted params must hold JSON")

		// What was decoded encodes back to data that decodes the same.
		again, err := decodeCallbackData(encodeData(t, *data))
		require.NoError(t, err)
		if utf8.ValidString(data.Code + data.State + data.Issuer + data.Error +
			data.ErrorDescription) {
			assert.Equal(t, data, again)
		}
	})
}
