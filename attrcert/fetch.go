package attrcert

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/esiful/sdk-go/ifyul"
)

// CertificateClaims names the scope and the userinfo claims through which
// ЕС ИФЮЛ delivers a person's certificates.
type CertificateClaims struct {
	// Scope is requested at login to receive the certificates.
	Scope string
	// PublicKey is the claim with the public-key certificates.
	PublicKey string
	// Attribute is the claim with the attribute certificates of БД АС.
	Attribute string
}

// DefaultCertificateClaims is the naming used by CertificatesOf and
// FetchCertificates unless told otherwise.
//
// NOTE: the real scope and claim names are not public. These are this
// SDK's guess, and the fake ЕС ИФЮЛ serves them: each claim is an array of
// base64 strings of DER certificates. Replace the value when the real
// names are known.
var DefaultCertificateClaims = CertificateClaims{
	Scope:     "certificates",
	PublicKey: "certificates",
	Attribute: "attribute_certificates",
}

// ErrUnexpectedClaim means a certificate claim has another shape than an
// array of base64 DER strings.
var ErrUnexpectedClaim = errors.New("attrcert: certificate claim of an unexpected shape")

// PersonCertificates are the certificates ЕС ИФЮЛ delivered for a person.
type PersonCertificates struct {
	PublicKey []*Certificate
	Attribute []*AttributeCertificate
}

// CertificatesOf reads the certificates from the claims of a verified login.
// A person without certificates gives empty lists, not an error.
func CertificatesOf(id *ifyul.Identity, names CertificateClaims) (*PersonCertificates, error) {
	return CertificatesFromClaims(id.Claims, names)
}

// FetchCertificates reads userinfo again with the session's access token
// (direct flow only) and returns the certificates in it.
func FetchCertificates(ctx context.Context, client *ifyul.Client, s *ifyul.Session,
	names CertificateClaims) (*PersonCertificates, error) {

	claims, err := client.UserInfo(ctx, s)
	if err != nil {
		return nil, err
	}
	return CertificatesFromClaims(claims, names)
}

// CertificatesFromClaims parses the certificate claims of a userinfo
// object. It checks no signature: call Verify on what it returns.
func CertificatesFromClaims(claims map[string]json.RawMessage,
	names CertificateClaims) (*PersonCertificates, error) {

	pc := &PersonCertificates{}
	publicKey, err := certificateList(claims, names.PublicKey)
	if err != nil {
		return nil, err
	}
	for i, der := range publicKey {
		c, err := ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("attrcert: claim %q, item %d: %w", names.PublicKey, i, err)
		}
		pc.PublicKey = append(pc.PublicKey, c)
	}

	attribute, err := certificateList(claims, names.Attribute)
	if err != nil {
		return nil, err
	}
	for i, der := range attribute {
		ac, err := ParseAttributeCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("attrcert: claim %q, item %d: %w", names.Attribute, i, err)
		}
		pc.Attribute = append(pc.Attribute, ac)
	}
	return pc, nil
}

// certificateList decodes a claim holding an array of base64 DER strings.
func certificateList(claims map[string]json.RawMessage, name string) ([][]byte, error) {
	raw, ok := claims[name]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var items []string
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%w: claim %q: expected an array of base64 DER strings, got %s",
			ErrUnexpectedClaim, name, describeJSON(raw))
	}
	out := make([][]byte, 0, len(items))
	for i, item := range items {
		der, err := decodeBase64(item)
		if err != nil {
			return nil, fmt.Errorf("%w: claim %q, item %d: not base64: %w",
				ErrUnexpectedClaim, name, i, err)
		}
		out = append(out, der)
	}
	return out, nil
}

// decodeBase64 accepts standard and URL-safe base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// describeJSON names the kind of a JSON value for error messages.
func describeJSON(raw json.RawMessage) string {
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" {
		return "nothing"
	}
	switch trimmed[0] {
	case '{':
		return "an object"
	case '[':
		return "an array of something other than strings"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// Verify checks every certificate: the public-key certificates chain per
// keyOpts (IdentificationOptions in production), and each attribute
// certificate is valid, issued per attrOpts, and held by one of the
// verified public-key certificates. It returns the first failure.
func (pc *PersonCertificates) Verify(keyOpts VerifyOptions, attrOpts AttributeVerifyOptions) error {
	for _, c := range pc.PublicKey {
		if _, err := c.Verify(keyOpts); err != nil {
			return err
		}
	}
	for i, ac := range pc.Attribute {
		var lastErr error = ErrHolderMismatch
		for _, holder := range pc.PublicKey {
			opts := attrOpts
			opts.Holder = holder
			if _, lastErr = ac.Verify(opts); lastErr == nil {
				break
			}
		}
		if lastErr != nil {
			return fmt.Errorf("attrcert: attribute certificate %d: %w", i, lastErr)
		}
	}
	return nil
}
