package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var issuerLine = regexp.MustCompile(`provider \(issuer\):\s+(\S+)`)

// startServer runs the command on free loopback ports and returns the
// provider's URL.
func startServer(t *testing.T, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	args := append([]string{"-provider-addr", "127.0.0.1:0", "-kpsis-addr", "127.0.0.1:0",
		"-client-program-addr", "127.0.0.1:0"}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	require.Eventually(t, func() bool { return issuerLine.MatchString(stdout.String()) },
		10*time.Second, 20*time.Millisecond, stderr.String())
	return issuerLine.FindStringSubmatch(stdout.String())[1]
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func post(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Post(url, "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestFakeServerSwitchesModes(t *testing.T) {
	provider := startServer(t)
	discovery := provider + "/.well-known/openid-configuration"

	status, body := get(t, discovery)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"issuer":"`+provider+`"`)

	require.Equal(t, http.StatusOK,
		post(t, provider+"/fake/mode?component=provider&mode=maintenance"))
	status, body = get(t, discovery)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, body, `"maintenance"`)

	require.Equal(t, http.StatusOK, post(t, provider+"/fake/mode?component=provider&mode=healthy"))
	status, _ = get(t, discovery)
	assert.Equal(t, http.StatusOK, status)

	assert.Equal(t, http.StatusBadRequest, post(t, provider+"/fake/mode?component=x&mode=down"))
	assert.Equal(t, http.StatusBadRequest,
		post(t, provider+"/fake/mode?component=kpsis&mode=sideways"))
}

func TestFakeServerStartsInMode(t *testing.T) {
	provider := startServer(t, "-provider-mode", "suspended")
	status, body := get(t, provider+"/.well-known/openid-configuration")
	assert.Equal(t, http.StatusForbidden, status)
	assert.True(t, strings.Contains(body, "access_suspended"), body)
}

func TestFakeServerRejectsUnknownMode(t *testing.T) {
	err := run(context.Background(), []string{"-provider-addr", "127.0.0.1:0",
		"-kpsis-addr", "127.0.0.1:0", "-client-program-addr", "127.0.0.1:0",
		"-kpsis-mode", "sideways"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, `unknown mode "sideways"`)
}

func TestFakeServerAdminEndpoints(t *testing.T) {
	provider := startServer(t)
	cases := []struct {
		name   string
		path   string
		status int
	}{
		{"empty mode", "/fake/mode?component=provider&mode=", http.StatusBadRequest},
		{"misbehaviour", "/fake/misbehaviour?set=wrong-issuer&set=kpsis-pass-unchecked", http.StatusOK},
		{"no misbehaviour", "/fake/misbehaviour", http.StatusOK},
		{"unknown misbehaviour", "/fake/misbehaviour?set=sideways", http.StatusBadRequest},
		{"client program rejecting", "/fake/client-program-rejecting?reject=true", http.StatusOK},
		{"rejecting not a bool", "/fake/client-program-rejecting?reject=maybe", http.StatusBadRequest},
		{"auto-login unknown person", "/fake/auto-login?person=99", http.StatusBadRequest},
		{"delay not a duration", "/fake/delay?component=kpsis&delay=soon", http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.status, post(t, provider+tc.path))
		})
	}
}

func TestFakeServerHelpExitsCleanly(t *testing.T) {
	err := run(context.Background(), []string{"-h"}, io.Discard, io.Discard)
	assert.ErrorIs(t, err, flag.ErrHelp, "main exits 0 on this error")
}
