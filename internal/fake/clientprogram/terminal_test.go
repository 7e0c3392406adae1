package clientprogram_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
	"github.com/esiful/sdk-go/internal/fake/card"
	"github.com/esiful/sdk-go/internal/fake/clientprogram"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/terminal"
)

type terminalFixture struct {
	cp   *clientprogram.ClientProgram
	url  string
	card *card.Card
	ca   *card.CVCA
}

var fullRights = terminal.AccessRights{EID: 0x3F3FFFFF33, ESign: 0xF7C0}

func newTerminalFixture(t testing.TB) *terminalFixture {
	t.Helper()
	now := time.Now()
	ca, err := card.NewCVCA("BYTESTCA0000", fullRights, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	require.NoError(t, err)
	c, err := card.New(card.Config{Person: persons.Default().ByID(3), CA: ca})
	require.NoError(t, err)
	cp := clientprogram.New(clientprogram.Config{Cards: map[int]*card.Card{3: c}})
	srv := httptest.NewServer(cp)
	t.Cleanup(srv.Close)
	return &terminalFixture{cp: cp, url: srv.URL, card: c, ca: ca}
}

func (f *terminalFixture) call(t *testing.T, method string, body any) (int, map[string]any) {
	t.Helper()
	encoded, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(f.url+"/api/v1/"+method, "application/json",
		bytes.NewReader(encoded))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// terminalCertificate issues a terminal certificate from ca, valid today.
func terminalCertificate(t testing.TB, ca *card.CVCA) string {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := ca.Issue(terminal.CVCertificate{HolderReference: "001000000001",
		Rights: fullRights, EffectiveDate: time.Now(), ExpirationDate: time.Now()},
		key.PublicKey())
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(der)
}

func helloData() string {
	return base64.StdEncoding.EncodeToString(card.BAuthHello(true, make([]byte, 32)))
}

func TestTerminalProxyNoCard(t *testing.T) {
	f := newTerminalFixture(t)
	for _, method := range []string{"terminal_proxy_bauth_app_prefetch",
		"terminal_proxy_bauth_init", "terminal_proxy_bauth", "terminal_proxy_command",
		"terminal_proxy_sign_init"} {
		status, out := f.call(t, method, map[string]bool{"stb": false})
		assert.Equal(t, http.StatusOK, status, method)
		assert.Equal(t, "3", out["err"], method)
	}
	assert.ErrorContains(t, f.cp.InsertCard(99), "no card for person 99")
}

func TestTerminalProxyPrefetch(t *testing.T) {
	f := newTerminalFixture(t)
	require.NoError(t, f.cp.InsertCard(3))
	_, out := f.call(t, "terminal_proxy_bauth_app_prefetch", map[string]bool{"stb": false})
	assert.Equal(t, "0", out["err"])
	assert.Equal(t, base64.StdEncoding.EncodeToString(f.card.Certificate()), out["so_certificate"])
	assert.Equal(t, "100000000003", out["cert_id"])

	status, out := f.call(t, "terminal_proxy_bauth_app_prefetch", map[string]string{})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_request", out["err"])

	f.cp.RemoveCard()
	_, out = f.call(t, "terminal_proxy_bauth_app_prefetch", map[string]bool{"stb": false})
	assert.Equal(t, "3", out["err"])
}

func TestTerminalProxyBAuthInit(t *testing.T) {
	f := newTerminalFixture(t)
	other, err := card.NewCVCA("BYOTHER00000", fullRights, time.Now().AddDate(-1, 0, 0),
		time.Now().AddDate(1, 0, 0))
	require.NoError(t, err)
	tests := []struct {
		name, pin, certificate string
		bilateral              any
		status                 int
		err                    string
	}{
		{"success", "", terminalCertificate(t, f.ca), true, http.StatusOK, "0"},
		{"wrong PIN", "000000", terminalCertificate(t, f.ca), true, http.StatusOK, "63C2"},
		{"other root", "", terminalCertificate(t, other), true, http.StatusOK, "6A80"},
		{"one-sided with mutual hello", "", terminalCertificate(t, f.ca), false,
			http.StatusOK, "6A80"},
		{"is_bilateral as string", "", terminalCertificate(t, f.ca), "true",
			http.StatusBadRequest, "invalid_request"},
		{"certificate not base64", "", "%%%", true, http.StatusBadRequest, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, f.cp.InsertCard(3))
			f.cp.EnterPIN(tc.pin)
			status, out := f.call(t, "terminal_proxy_bauth_init", map[string]any{
				"terminal_certificate": tc.certificate, "cmd_to_card": helloData(),
				"is_bilateral": tc.bilateral})
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.err, out["err"], out["error_description"])
			if tc.err != "0" {
				return
			}
			raw, err := base64.StdEncoding.DecodeString(out["card_response"].(string))
			require.NoError(t, err)
			resp, err := card.ParseResponse(raw)
			require.NoError(t, err)
			assert.Equal(t, card.StatusOK, resp.Status)
			_, ok := card.ParseDynamicAuth(resp.Data, 0x80)
			assert.True(t, ok)
		})
	}
}

func TestTerminalProxyCommand(t *testing.T) {
	f := newTerminalFixture(t)
	require.NoError(t, f.cp.InsertCard(3))
	tests := []struct {
		name   string
		header string
		data   string
		status int
		err    string
		sw     []byte
	}{
		{"refused select", "AKQEDA==", base64.StdEncoding.EncodeToString(card.AIDeID),
			http.StatusOK, "0", []byte{0x69, 0x82}},
		{"unknown instruction", "AMoAAA==", "", http.StatusOK, "0", []byte{0x6D, 0x00}},
		{"short header", "AKQE", "", http.StatusBadRequest, "invalid_request", nil},
		{"data not base64", "AKQEDA==", "!", http.StatusBadRequest, "invalid_request", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := f.call(t, "terminal_proxy_command", map[string]string{
				"header_cmd_to_card": tc.header, "cmd_to_card": tc.data})
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.err, out["err"])
			if tc.sw != nil {
				assert.Equal(t, base64.StdEncoding.EncodeToString(tc.sw), out["card_response"])
			}
		})
	}
}

func TestTerminalProxySignInitChecksPIN(t *testing.T) {
	f := newTerminalFixture(t)
	require.NoError(t, f.cp.InsertCard(3))
	f.cp.EnterPIN("111111")
	_, out := f.call(t, "terminal_proxy_sign_init", map[string]string{
		"header_cmd_to_card": "AKQEDA==", "cmd_to_card": ""})
	// Without BPACE the card refuses to confirm the PIN at all.
	assert.Equal(t, "6982", out["err"])
	assert.Empty(t, f.card.Commands())
}

func FuzzTerminalProxy(f *testing.F) {
	f.Add("terminal_proxy_bauth_app_prefetch", []byte(`{"stb": false}`))
	f.Add("terminal_proxy_bauth_init", []byte(`{"terminal_certificate": "fyE=",
		"cmd_to_card": "gAE=", "is_bilateral": true}`))
	f.Add("terminal_proxy_command", []byte(`{"header_cmd_to_card": "ALAAAA==",
		"cmd_to_card": ""}`))
	f.Add("terminal_proxy_sign_init", []byte(`{"header_cmd_to_card": "AKQEDA=="}`))
	f.Add("terminal_proxy_bauth", []byte(`{"header_cmd_to_card": 1}`))

	fx := newTerminalFixture(f)
	require.NoError(f, fx.cp.InsertCard(3))
	f.Fuzz(func(t *testing.T, method string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/"+url.PathEscape(method),
			bytes.NewReader(body))
		rec := httptest.NewRecorder()
		fx.cp.ServeHTTP(rec, req)
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			return // not a terminal route: the mux's 404, 405 or redirect
		}
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("response to %s is not JSON: %q", method, rec.Body.String())
		}
		if _, ok := answer["err"].(string); !ok {
			t.Fatalf("response to %s has no err: %q", method, rec.Body.String())
		}
	})
}
