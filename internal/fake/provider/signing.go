package provider

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signingKey returns the key that signs tokens now and its key ID.
func (p *Provider) signingKey(m Misbehaviour) (*ecdsa.PrivateKey, string) {
	if m.RotateKey {
		return p.nextKey, p.nextKeyID
	}
	return p.key, p.keyID
}

// publishedKeys returns the JWKS. After a rotation the new key comes first
// and the old one stays listed, as a provider keeps it for the tokens it
// issued before.
func (p *Provider) publishedKeys(m Misbehaviour) []jose.JSONWebKey {
	current := jose.JSONWebKey{
		Key: &p.key.PublicKey, KeyID: p.keyID, Algorithm: "ES256", Use: "sig",
	}
	if !m.RotateKey {
		return []jose.JSONWebKey{current}
	}
	next := jose.JSONWebKey{
		Key: &p.nextKey.PublicKey, KeyID: p.nextKeyID, Algorithm: "ES256", Use: "sig",
	}
	return []jose.JSONWebKey{next, current}
}

// signClaims returns claims as a compact JWT, signed as the misbehaviour
// asks: normally ES256 with the current key, otherwise unsigned, with HMAC
// keyed by the client's secret, with a key outside the JWKS, or naming a key
// ID the JWKS does not contain.
func (p *Provider) signClaims(m Misbehaviour, clientID string, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	switch {
	case m.AlgNone:
		return compactJWS(map[string]string{"alg": "none", "typ": "JWT"}, payload, nil), nil
	case m.AlgHS256:
		var secret []byte
		if c := p.client(clientID); c != nil {
			secret = []byte(c.Secret)
		}
		header := map[string]string{"alg": "HS256", "typ": "JWT"}
		return compactJWS(header, payload, func(input []byte) []byte {
			mac := hmac.New(sha256.New, secret)
			mac.Write(input)
			return mac.Sum(nil)
		}), nil
	}

	key, keyID := p.signingKey(m)
	switch {
	case m.BadSignature:
		key = p.rogue
	case m.UnknownKeyID:
		keyID = randomID()[:12]
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// compactJWS builds a JWS in compact form by hand, because go-jose (v4.1)
// produces no "none" signature and refuses HMAC keys shorter than the hash,
// as client secrets may be. A nil sign leaves the signature empty.
func compactJWS(header map[string]string, payload []byte, sign func([]byte) []byte) string {
	rawHeader, _ := json.Marshal(header)
	input := base64.RawURLEncoding.EncodeToString(rawHeader) + "." +
		base64.RawURLEncoding.EncodeToString(payload)
	var signature []byte
	if sign != nil {
		signature = sign([]byte(input))
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(signature)
}

// tamperPayload replaces the payload of a compact JWS and keeps its header
// and signature, which then no longer match.
func tamperPayload(token string, claims any) (string, error) {
	header, rest, _ := strings.Cut(token, ".")
	_, signature, _ := strings.Cut(rest, ".")
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + signature, nil
}
