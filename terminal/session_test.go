package terminal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/internal/bign"
)

// stubChannel answers every client program call with its canned body.
type stubChannel struct {
	bodies map[string]string
	calls  []string
}

func (c *stubChannel) Call(_ context.Context, method string, _ []byte) ([]byte, error) {
	c.calls = append(c.calls, method)
	if body, ok := c.bodies[method]; ok {
		return []byte(body), nil
	}
	return []byte(`{"err": "0", "card_response": "kAA="}`), nil
}

// stubKPSIS serves canned responses of the КПСИС by method.
func stubKPSIS(t *testing.T, responses map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := strings.TrimPrefix(r.URL.Path, "/api/v1/")
		body, ok := responses[method]
		if !ok {
			body = `{"err": "0"}`
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// testTerminalCertificate returns a self-signed terminal certificate in
// base64, valid from from to until.
func testTerminalCertificate(t *testing.T, from, until time.Time) string {
	t.Helper()
	key, err := bign.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := CreateCVCertificate(&CVCertificate{AuthorityReference: "BYCA0000",
		HolderReference: "001000000001", PublicKey: key.PublicKey().Bytes(),
		Rights:        AccessRights{EID: EIDRead(1)},
		EffectiveDate: from, ExpirationDate: until},
		func(body []byte) ([]byte, error) { return bign.SignHbelt(rand.Reader, key, body) })
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(der)
}

func bauthInitBody(t *testing.T, cert string) string {
	t.Helper()
	body, err := json.Marshal(map[string]string{"err": "0", "hreq": "h",
		"terminal_certificate": cert, "cmd_to_card": "gAE="})
	require.NoError(t, err)
	return string(body)
}

func TestNewSessionChecksConfig(t *testing.T) {
	_, err := NewSession(Config{Channel: &stubChannel{}})
	assert.ErrorContains(t, err, "KPSISURL is empty")
	_, err = NewSession(Config{KPSISURL: "http://127.0.0.1:48777"})
	assert.ErrorContains(t, err, "Channel is nil")
}

func TestOpenStopsAfterMaxSteps(t *testing.T) {
	now := time.Now()
	url := stubKPSIS(t, map[string]string{
		"bauth_init": bauthInitBody(t, testTerminalCertificate(t, now, now)),
		"bauth_process": `{"err": "0", "is_bauth_established": false,
			"header_cmd_to_card": "AIYAAA==", "cmd_to_card": ""}`,
	})
	channel := &stubChannel{bodies: map[string]string{
		"terminal_proxy_bauth_app_prefetch": `{"err": "0", "so_certificate": "fyE=", "cert_id": "c"}`,
	}}
	s, err := NewSession(Config{KPSISURL: url, Channel: channel, MaxSteps: 4})
	require.NoError(t, err)
	err = s.Open(context.Background())
	require.ErrorIs(t, err, ErrTooManySteps)
	assert.ErrorContains(t, err, "after 4 commands")
	relayed := 0
	for _, m := range channel.calls {
		if m == "terminal_proxy_bauth" {
			relayed++
		}
	}
	assert.Equal(t, 4, relayed)
}

func TestOpenMalformedResponses(t *testing.T) {
	now := time.Now()
	valid := testTerminalCertificate(t, now, now)
	prefetch := `{"err": "0", "so_certificate": "fyE="}`
	tests := []struct {
		name     string
		kpsis    map[string]string
		prefetch string
		want     string
	}{
		{"no so_certificate", nil, `{"err": "0"}`, `no "so_certificate"`},
		{"no hreq", map[string]string{"bauth_init": `{"err": "0"}`}, prefetch, `no "hreq"`},
		{"certificate not base64", map[string]string{"bauth_init": bauthInitBody(t, "***")},
			prefetch, "terminal_certificate is not base64"},
		{"certificate not CV", map[string]string{"bauth_init": bauthInitBody(t, "MAA=")},
			prefetch, "terminal_certificate 0 at offset 0"},
		{"no is_bauth_established", map[string]string{"bauth_init": bauthInitBody(t, valid),
			"bauth_process": `{"err": "0"}`}, prefetch, `no "is_bauth_established"`},
		{"bad command", map[string]string{"bauth_init": bauthInitBody(t, valid),
			"bauth_process": `{"err": "0", "is_bauth_established": false,
				"header_cmd_to_card": "AIY="}`}, prefetch, "has 2 bytes, expected 4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			channel := &stubChannel{bodies: map[string]string{
				"terminal_proxy_bauth_app_prefetch": tc.prefetch}}
			s, err := NewSession(Config{KPSISURL: stubKPSIS(t, tc.kpsis), Channel: channel})
			require.NoError(t, err)
			err = s.Open(context.Background())
			require.ErrorIs(t, err, ErrUnavailable)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestOpenMissingCardResponse(t *testing.T) {
	now := time.Now()
	url := stubKPSIS(t, map[string]string{
		"bauth_init": bauthInitBody(t, testTerminalCertificate(t, now, now))})
	channel := &stubChannel{bodies: map[string]string{
		"terminal_proxy_bauth_app_prefetch": `{"err": "0", "so_certificate": "fyE="}`,
		"terminal_proxy_bauth_init":         `{"err": "0"}`,
	}}
	s, err := NewSession(Config{KPSISURL: url, Channel: channel})
	require.NoError(t, err)
	err = s.Open(context.Background())
	assert.ErrorContains(t, err, `client program terminal_proxy_bauth_init: response has no "card_response"`)
}

func TestOpenAcceptsLegacyCertificateField(t *testing.T) {
	now := time.Now()
	url := stubKPSIS(t, map[string]string{
		"bauth_init":    bauthInitBody(t, testTerminalCertificate(t, now, now)),
		"bauth_process": `{"err": "0", "is_bauth_established": true}`,
	})
	channel := &stubChannel{bodies: map[string]string{
		"terminal_proxy_bauth_app_prefetch": `{"err": "0", "SO_CERT": "fyE="}`}}
	s, err := NewSession(Config{KPSISURL: url, Channel: channel})
	require.NoError(t, err)
	assert.NoError(t, s.Open(context.Background()))
}

func TestSessionLifecycle(t *testing.T) {
	now := time.Now()
	url := stubKPSIS(t, map[string]string{
		"bauth_init":    bauthInitBody(t, testTerminalCertificate(t, now, now.AddDate(0, 0, 3))),
		"bauth_process": `{"err": "0", "is_bauth_established": true}`,
	})
	channel := &stubChannel{bodies: map[string]string{
		"terminal_proxy_bauth_app_prefetch": `{"err": "0", "so_certificate": "fyE=", "cert_id": 7}`,
	}}
	s, err := NewSession(Config{KPSISURL: url, Channel: channel})
	require.NoError(t, err)
	ctx := context.Background()
	assert.ErrorIs(t, s.Close(ctx), ErrSessionClosed)
	_, err = s.Sign(ctx, nil)
	assert.ErrorIs(t, err, ErrSessionClosed)

	require.NoError(t, s.Open(ctx))
	assert.Equal(t, "7", s.CardCertificateID())
	status, ok := s.TerminalCertificateStatus()
	require.True(t, ok)
	assert.Equal(t, CertificateExpiring, status.State)
	assert.Equal(t, 3, status.DaysLeft)
	assert.ErrorContains(t, s.Open(ctx), "already open")

	_, err = s.ReadPersonalData(ctx, DG2)
	assert.ErrorIs(t, err, ErrAccessDenied)
	_, err = s.ReadPersonalData(ctx, DG1, DG1)
	assert.ErrorContains(t, err, "out of DG1..DG22 or repeated")
	_, err = s.ReadPersonalData(ctx, DataGroup(23))
	assert.ErrorContains(t, err, "data group 23")

	require.NoError(t, s.Close(ctx))
	assert.ErrorIs(t, s.Close(ctx), ErrSessionClosed)
}

func TestDataGroupString(t *testing.T) {
	assert.Equal(t, "dg1", DG1.String())
	assert.Equal(t, "dg22", DG22.String())
	assert.Len(t, DefaultDataGroups, 13)
}
