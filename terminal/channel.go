package terminal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultClientProgramURL is the address of the client program (КП) on the
// person's computer.
const DefaultClientProgramURL = "http://127.0.0.1:8084"

// CardChannel carries the calls of the client program's terminal proxy
// (api/v1 on the person's computer) for a Session. Implementations are
// ClientProgramChannel, for a program that runs on the workstation itself,
// and RelayChannel, for a web system whose server cannot reach the
// person's 127.0.0.1.
type CardChannel interface {
	// Call sends the JSON request of one api/v1 method, such as
	// "terminal_proxy_command", and returns the response body. An error
	// means no response arrived; error responses of the client program come
	// back as bodies.
	Call(ctx context.Context, method string, request []byte) ([]byte, error)
}

// maxResponseBody bounds the response bodies this package reads.
const maxResponseBody = 4 << 20

// ClientProgramChannel calls the client program over HTTP directly.
type ClientProgramChannel struct {
	// URL is the client program's base URL; empty means
	// DefaultClientProgramURL.
	URL string
	// Client sends the requests; nil means a client with a 2-minute timeout,
	// which leaves the holder time to enter the PIN.
	Client *http.Client
}

// NewClientProgramChannel returns a channel to the client program at url
// ("" for DefaultClientProgramURL).
func NewClientProgramChannel(url string) *ClientProgramChannel {
	return &ClientProgramChannel{URL: url}
}

// Call implements CardChannel with a POST to <URL>/api/v1/<method>.
func (c *ClientProgramChannel) Call(ctx context.Context, method string,
	request []byte) ([]byte, error) {
	base := c.URL
	if base == "" {
		base = DefaultClientProgramURL
	}
	client := c.Client
	if client == nil {
		client = defaultClientProgramHTTP
	}
	return postJSON(ctx, client, strings.TrimSuffix(base, "/")+"/api/v1/"+method, request)
}

var defaultClientProgramHTTP = &http.Client{Timeout: 2 * time.Minute}

// postJSON posts body and returns the response body of any status, up to
// maxResponseBody bytes.
func postJSON(ctx context.Context, client *http.Client, url string,
	body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if len(out) > maxResponseBody {
		return nil, fmt.Errorf("response body exceeds %d bytes", maxResponseBody)
	}
	if len(out) == 0 && resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d with an empty body", resp.StatusCode)
	}
	return out, nil
}
