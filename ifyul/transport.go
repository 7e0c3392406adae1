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
// becomes a ProtocolError.
func (c *Client) do(req *http.Request, source string, out any) error {
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", unavailable(source), req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerSize+1))
	if err != nil {
		return fmt.Errorf("%w: reading response to %s: %w", unavailable(source), req.URL.Path, err)
	}
	if len(body) > maxAnswerSize {
		return fmt.Errorf("ifyul: %s: response to %s exceeds %d bytes",
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
		return pe
	}
	if out == nil {
		return nil
	}
	if err := decodeJSON(resp.Header.Get("Content-Type"), body, out); err != nil {
		return fmt.Errorf("ifyul: %s: response to %s: %w", source, req.URL.Path, err)
	}
	return nil
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
