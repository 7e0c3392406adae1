package loginbench

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// recordedResponse is a response kept by a recorder.
type recordedResponse struct {
	status      int
	contentType string
	body        []byte
}

// recorder is a transport that passes requests on and keeps the latest
// response to each method, host and path.
type recorder struct {
	base http.RoundTripper

	mu        sync.Mutex
	responses map[string]recordedResponse
}

func newRecorder() *recorder {
	return &recorder{base: http.DefaultTransport.(*http.Transport).Clone(),
		responses: make(map[string]recordedResponse)}
}

func requestKey(req *http.Request) string {
	return req.Method + " " + req.URL.Host + req.URL.Path
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))

	r.mu.Lock()
	defer r.mu.Unlock()
	r.responses[requestKey(req)] = recordedResponse{status: resp.StatusCode,
		contentType: resp.Header.Get("Content-Type"), body: body}
	return resp, nil
}

// replayer returns a copy of what the recorder kept for each request
// without touching the network, so that the cost of a completion can be
// measured apart from the connections.
func (r *recorder) replayer() http.RoundTripper {
	r.mu.Lock()
	defer r.mu.Unlock()
	responses := make(map[string]recordedResponse, len(r.responses))
	for key, resp := range r.responses {
		responses[key] = resp
	}
	return replayer(responses)
}

type replayer map[string]recordedResponse

func (r replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	recorded, ok := r[requestKey(req)]
	if !ok {
		return nil, fmt.Errorf("loginbench: no recorded response to %s", requestKey(req))
	}
	return &http.Response{
		Status:     strconv.Itoa(recorded.status) + " " + http.StatusText(recorded.status),
		StatusCode: recorded.status,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {recorded.contentType},
			"Content-Length": {strconv.Itoa(len(recorded.body))}},
		Body:          io.NopCloser(bytes.NewReader(recorded.body)),
		ContentLength: int64(len(recorded.body)),
		Request:       req,
	}, nil
}
