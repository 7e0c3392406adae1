package terminal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrRelayClosed means a relay session was closed or its time ran out.
var ErrRelayClosed = errors.New("terminal: relay session closed or expired")

// relayMethods are the client program methods a relay forwards. The page's
// script refuses other names too.
var relayMethods = map[string]bool{
	"terminal_proxy_bauth_app_prefetch": true,
	"terminal_proxy_bauth_init":         true,
	"terminal_proxy_bauth":              true,
	"terminal_proxy_command":            true,
	"terminal_proxy_sign_init":          true,
}

// RelayChannel is a CardChannel through the person's browser: Call queues
// the request, the relay script on the consumer's page fetches it from the
// BrowserRelay, sends it to the client program on the person's computer and
// posts the response back. Create it with BrowserRelay.NewChannel and hand
// ID to the page.
type RelayChannel struct {
	relay *BrowserRelay
	id    string

	mu        sync.Mutex
	queued    chan *relayCall
	delivered *relayCall
	nextCall  uint64
	busy      bool
	closed    chan struct{}
	closeOnce sync.Once
	timer     *time.Timer
}

// relayCall is one client program request waiting for its response.
type relayCall struct {
	id       uint64
	method   string
	request  json.RawMessage
	result   chan relayResult
	finished bool
}

type relayResult struct {
	body []byte
	err  error
}

func newRelayID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("terminal: relay session ID: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ID returns the session's unguessable identifier, 256 random bits, which
// the page passes to the relay script. Treat it as a secret of the
// person's browser session, because anyone holding it can return responses
// to the card calls.
func (c *RelayChannel) ID() string { return c.id }

// Close ends the session: calls under way fail with ErrRelayClosed and the
// page's script stops.
func (c *RelayChannel) Close() {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.mu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.mu.Unlock()
		c.relay.remove(c.id)
	})
}

// Call implements CardChannel. It waits for the page to return the
// response until ctx ends or the session closes. One call runs at a time.
func (c *RelayChannel) Call(ctx context.Context, method string, request []byte) ([]byte,
	error) {
	if !relayMethods[method] {
		return nil, fmt.Errorf("terminal: relay: method %q is not a terminal proxy call", method)
	}
	if int64(len(request)) > c.relay.cfg.MaxMessageSize {
		return nil, fmt.Errorf("terminal: relay: request of %d bytes exceeds %d", len(request),
			c.relay.cfg.MaxMessageSize)
	}
	if !json.Valid(request) {
		return nil, fmt.Errorf("terminal: relay: request for %s is not JSON", method)
	}
	call, err := c.enqueue(method, request)
	if err != nil {
		return nil, err
	}
	defer c.finish(call)

	select {
	case res := <-call.result:
		return res.body, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closed:
		return nil, ErrRelayClosed
	}
}

func (c *RelayChannel) enqueue(method string, request []byte) (*relayCall, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closed:
		return nil, ErrRelayClosed
	default:
	}
	if c.busy {
		return nil, errors.New("terminal: relay: another card call is in progress")
	}
	c.busy = true
	c.nextCall++
	call := &relayCall{id: c.nextCall, method: method, request: request,
		result: make(chan relayResult, 1)}
	c.queued <- call
	return call, nil
}

// finish withdraws a call that ended, so that the page cannot deliver it
// late and a poll does not hand it out.
func (c *RelayChannel) finish(call *relayCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	call.finished = true
	select {
	case <-c.queued:
	default:
	}
	if c.delivered == call {
		c.delivered = nil
	}
	c.busy = false
}

// take waits up to wait for a call to hand to the page. A call handed out
// before and still without a result is handed out again, for a page that
// reloaded.
func (c *RelayChannel) take(ctx context.Context, wait time.Duration) (*relayCall, error) {
	c.mu.Lock()
	if c.delivered != nil {
		call := c.delivered
		c.mu.Unlock()
		return call, nil
	}
	c.mu.Unlock()

	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case call := <-c.queued:
			c.mu.Lock()
			if call.finished {
				c.mu.Unlock()
				continue
			}
			c.delivered = call
			c.mu.Unlock()
			return call, nil
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.closed:
			return nil, ErrRelayClosed
		}
	}
}

// deliver passes the page's result to the call with the given number.
func (c *RelayChannel) deliver(callID uint64, res relayResult) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	call := c.delivered
	if call == nil || call.id != callID || call.finished {
		return false
	}
	c.delivered = nil
	call.result <- res
	return true
}
