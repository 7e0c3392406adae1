// Package envelope signs and opens the requests the fake КПСИС hands to the
// client program and the provider.
//
// NOTE: the real wrapping of signed_data_to_check_in_cp and of the enveloped
// authorization URL is not public. This package uses its own format: the
// base64url encoding of a JSON object with the payload, the signature
// algorithm, the signature and, optionally, the signer's certificate. The
// fake components agree on it; relying parties treat it as opaque.
package envelope

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Signer signs envelopes.
type Signer interface {
	// Algorithm names the signature algorithm, such as "ES256".
	Algorithm() string
	// Sign signs the message.
	Sign(message []byte) ([]byte, error)
	// Certificate returns the signer's certificate (DER), or nil.
	Certificate() []byte
}

// Verifier checks envelope signatures.
type Verifier interface {
	// Verify checks sig over message under the named algorithm. The
	// certificate is the one the envelope carries, or nil.
	Verify(algorithm string, message, sig, certificate []byte) error
}

// ErrBadSignature means an envelope's signature did not verify.
var ErrBadSignature = errors.New("envelope: signature not valid")

type sealed struct {
	Payload     []byte `json:"payload"`
	Algorithm   string `json:"alg"`
	Signature   []byte `json:"sig"`
	Certificate []byte `json:"cert,omitempty"`
}

// Seal encodes payload as JSON, signs it and returns the envelope as text.
func Seal(s Signer, payload any) (string, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("envelope: %w", err)
	}
	sig, err := s.Sign(body)
	if err != nil {
		return "", fmt.Errorf("envelope: signing: %w", err)
	}
	out, err := json.Marshal(sealed{
		Payload:     body,
		Algorithm:   s.Algorithm(),
		Signature:   sig,
		Certificate: s.Certificate(),
	})
	if err != nil {
		return "", fmt.Errorf("envelope: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// Open checks the envelope's signature and decodes its payload into out.
func Open(v Verifier, text string, out any) error {
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return fmt.Errorf("envelope: not base64url: %w", err)
	}
	var s sealed
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("envelope: not an envelope: %w", err)
	}
	if len(s.Payload) == 0 || len(s.Signature) == 0 {
		return errors.New("envelope: payload or signature missing")
	}
	if err := v.Verify(s.Algorithm, s.Payload, s.Signature, s.Certificate); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if err := json.Unmarshal(s.Payload, out); err != nil {
		return fmt.Errorf("envelope: payload: %w", err)
	}
	return nil
}
