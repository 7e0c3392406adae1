package ifyul_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/ifyul/ifyultest"
)

// failingTokenEndpoint fails every code exchange at the transport and
// counts the attempts.
type failingTokenEndpoint struct {
	exchanges atomic.Int32
}

func (f *failingTokenEndpoint) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") {
		f.exchanges.Add(1)
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestCodeExchangeNeverRetried(t *testing.T) {
	transport := &failingTokenEndpoint{}
	rp := newRelyingParty(t, ifyultest.DirectFlow, func(cfg *ifyul.Config) {
		cfg.HTTPClient = &http.Client{Transport: transport}
	})

	_, err := rp.fake.NewBrowser().Login(rp.srv.URL+"/login", 1)
	require.NoError(t, err)
	assert.ErrorIs(t, rp.err(), ifyul.ErrProviderUnavailable)
	assert.Equal(t, int32(1), transport.exchanges.Load(), "a code is sent once, never again")
}
