package ifyul

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// decodeUserInfo reads a userinfo response: JSON, or a signed JWT
// (application/jwt, OpenID Connect Core 5.3.2), which is verified first.
func (c *Client) decodeUserInfo(ctx context.Context,
	resp *response) (map[string]json.RawMessage, error) {

	mediaType, _, _ := mime.ParseMediaType(resp.contentType)
	if mediaType == "application/jwt" {
		return c.verifyUserInfoJWT(ctx, strings.TrimSpace(string(resp.body)))
	}
	if pe := c.errorInSuccess(resp); pe != nil {
		return nil, pe
	}
	var claims map[string]json.RawMessage
	if err := decodeJSON(resp.contentType, resp.body, &claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// verifyUserInfoJWT checks a signed userinfo response as an ID token is
// checked: one signature, by an allowed algorithm ("none" and HMAC never),
// with the provider's keys. It must name the provider in "iss" and this
// client in "aud". OpenID Connect Core 5.3.2 makes both a SHOULD; they are
// required here, because without them a response signed for another client
// or by another provider would pass.
func (c *Client) verifyUserInfoJWT(ctx context.Context,
	raw string) (map[string]json.RawMessage, error) {

	info, err := c.provider(ctx)
	if err != nil {
		return nil, err
	}
	if strings.Count(raw, ".") == 4 {
		return nil, fmt.Errorf("%w: encrypted userinfo (JWE) is not supported", ErrBadSignature)
	}
	algs := make([]jose.SignatureAlgorithm, 0, len(info.algs))
	for _, alg := range info.algs {
		algs = append(algs, jose.SignatureAlgorithm(alg))
	}
	jws, err := jose.ParseSigned(raw, algs)
	if err != nil {
		return nil, fmt.Errorf("%w: signed userinfo: %w", ErrBadSignature, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: signed userinfo has %d signatures, expected 1",
			ErrBadSignature, len(jws.Signatures))
	}
	payload, err := info.keySet.VerifySignature(ctx, raw)
	if err != nil {
		if errors.Is(err, ErrBadSignature) || errors.Is(err, ErrProviderUnavailable) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: signed userinfo: %w", ErrBadSignature, err)
	}

	var claims map[string]json.RawMessage
	if err := decodeJSON("application/json", payload, &claims); err != nil {
		return nil, fmt.Errorf("%w: signed userinfo claims: %w", ErrInvalidToken, err)
	}
	if iss := rawString(claims["iss"]); iss != c.cfg.Authority {
		return nil, fmt.Errorf("%w: signed userinfo issuer %q, expected %q",
			ErrWrongIssuer, iss, c.cfg.Authority)
	}
	if _, ok := claims["aud"]; !ok {
		return nil, fmt.Errorf("%w: signed userinfo has no \"aud\", expected %q",
			ErrWrongAudience, c.cfg.ClientID)
	}
	if !audienceContains(claims["aud"], c.cfg.ClientID) {
		return nil, fmt.Errorf("%w: signed userinfo audience %s, expected %q",
			ErrWrongAudience, claims["aud"], c.cfg.ClientID)
	}
	return claims, nil
}

// audienceContains reports whether an "aud" claim, a string or an array of
// strings (RFC 7519 section 4.1.3), names clientID.
func audienceContains(raw json.RawMessage, clientID string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == clientID
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return false
	}
	for _, aud := range many {
		if aud == clientID {
			return true
		}
	}
	return false
}
