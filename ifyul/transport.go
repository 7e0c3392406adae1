package ifyul

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxAnswerSize bounds the body read from the provider or the КПСИС.
const maxAnswerSize = 1 << 20

// oauthError is the error body of RFC 6749 section 5.2, which the fake stack
// also uses for its КПСИС and client program.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	URI         string `json:"error_uri"`
	// Err is the КПСИС's status field, read when "error" is absent.
	Err kpsisStatus `json:"err"`
}

// do sends the request and decodes a successful JSON response into out. A
// failed connection wraps the source's unavailability error; an error response
// becomes a ProtocolError, also when the provider sends it with a 2xx status.
func (c *Client) do(req *http.Request, source string, out any) error {
	resp, err := c.send(req, source)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if source == sourceProvider {
		if pe := c.errorInSuccess(resp); pe != nil {
			return pe
		}
	}
	if err := decodeJSON(resp.contentType, resp.body, out); err != nil {
		return fmt.Errorf("ifyul: %s: response to %s: %w", source, req.URL.Path, err)
	}
	return nil
}

// response is a successful response, read whole.
type response struct {
	status      int
	contentType string
	body        []byte
}

// send sends the request and returns the successful response. A failed
// connection wraps the source's unavailability error; a status outside 2xx
// becomes a ProtocolError.
func (c *Client) send(req *http.Request, source string) (*response, error) {
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", unavailable(source), req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading response to %s: %w",
			unavailable(source), req.URL.Path, err)
	}
	if len(body) > maxAnswerSize {
		return nil, fmt.Errorf("ifyul: %s: response to %s exceeds %d bytes",
			source, req.URL.Path, maxAnswerSize)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var oe oauthError
		_ = json.Unmarshal(body, &oe)
		if oe.Error == "" {
			oe.Error = string(oe.Err)
		}
		if oe.Error == "" {
			oe.Error = http.StatusText(resp.StatusCode)
		}
		pe := c.classify(source, oe.Error, oe.Description, resp.StatusCode)
		pe.URI = oe.URI
		return nil, pe
	}
	return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		body: body}, nil
}

// errorInSuccess returns the ProtocolError for a 2xx JSON response that is
// an OAuth error object, as some providers send errors with HTTP 200. A
// string member "error" marks it: no discovery document, JWKS or userinfo
// response of the provider carries one.
func (c *Client) errorInSuccess(resp *response) *ProtocolError {
	var oe struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		URI         string `json:"error_uri"`
	}
	// A member of an unexpected type fails Unmarshal after the others are
	// read, so its error is not a reason to stop.
	_ = json.Unmarshal(resp.body, &oe)
	code, ok := oe.Error.(string)
	if !ok || code == "" {
		return nil
	}
	pe := c.classify(sourceProvider, code, oe.Description, resp.status)
	pe.URI = oe.URI
	return pe
}

// decodeJSON decodes a JSON body. It accepts application/json with or
// without a charset, and text/plain holding JSON, which some servers send.
func decodeJSON(contentType string, body []byte, out any) error {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil && contentType != "" {
		return fmt.Errorf("content type %q is not valid: %w", contentType, err)
	}
	switch mediaType {
	case "", "application/json", "text/plain", "application/jwk-set+json":
	default:
		return fmt.Errorf("content type %q is not JSON", contentType)
	}
	if err := json.Unmarshal(body, out); err != nil {
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return fmt.Errorf("invalid JSON at offset %d: %w", syntax.Offset, err)
		case errors.As(err, &typeErr):
			return fmt.Errorf("field %q: expected %s, got JSON %s at offset %d",
				typeErr.Field, typeErr.Type, typeErr.Value, typeErr.Offset)
		}
		return err
	}
	return nil
}

func unavailable(source string) error {
	if source == sourceKPSIS {
		return ErrKPSISUnavailable
	}
	return ErrProviderUnavailable
}
