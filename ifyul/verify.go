package ifyul

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// verify checks the ID token and builds the Identity from it and the
// userinfo claims. nonce is the attempt's nonce, or "" when the flow could
// not learn it.
func (c *Client) verify(ctx context.Context, t *Tokens, nonce string) (*Identity, error) {
	if t.IDToken == "" {
		return nil, fmt.Errorf("%w: no id_token in the response", ErrInvalidToken)
	}

	token, err := c.verifyIDToken(ctx, t.IDToken)
	if err != nil {
		return nil, err
	}

	var claims map[string]json.RawMessage
	if err := token.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %w", ErrInvalidToken, err)
	}
	if err := c.checkTimes(token, claims); err != nil {
		return nil, err
	}
	if err := c.checkValidityPeriod(claims); err != nil {
		return nil, err
	}
	if err := checkAuthorizedParty(c.cfg.ClientID, token, claims); err != nil {
		return nil, err
	}
	if nonce != "" && subtle.ConstantTimeCompare([]byte(token.Nonce), []byte(nonce)) != 1 {
		if token.Nonce == "" {
			return nil, fmt.Errorf("%w: the token has no nonce", ErrNonceMismatch)
		}
		return nil, ErrNonceMismatch
	}
	return newIdentity(token.Issuer, claims, t.UserInfo, c.cfg.Claims)
}

// verifyIDToken runs go-oidc's verifier: signature with the allowed
// algorithms, issuer and audience. The times are checked by
// checkValidityPeriod instead: go-oidc (v3.21) allows "nbf" five minutes in
// the future whatever the configured clock skew.
func (c *Client) verifyIDToken(ctx context.Context, raw string) (*oidc.IDToken, error) {
	config := &oidc.Config{
		ClientID:        c.cfg.ClientID,
		SkipExpiryCheck: true,
	}

	info, err := c.provider(ctx)
	var keySet oidc.KeySet
	switch {
	case err == nil:
		keySet = info.keySet
		config.SupportedSigningAlgs = info.algs
	case c.cfg.TrustKPSISWithoutProviderKeys && c.cfg.KPSISURL != "" &&
		errors.Is(err, ErrProviderUnavailable):
		c.cfg.Logger.WarnContext(ctx, "ifyul: provider keys unreachable; "+
			"accepting the КПСИС's signature check", "error", err)
		config.InsecureSkipSignatureCheck = true
		config.SupportedSigningAlgs = slices.Sorted(maps.Keys(asymmetricAlgorithms))
	default:
		return nil, err
	}

	outcome := &keySetOutcome{}
	verifier := oidc.NewVerifier(c.cfg.Authority, keySet, config)
	token, err := verifier.Verify(context.WithValue(ctx, outcomeKey{}, outcome), raw)
	if err == nil {
		return token, nil
	}
	switch {
	case outcome.called && outcome.err != nil:
		return nil, outcome.signatureFailure()
	case !outcome.called && !config.InsecureSkipSignatureCheck:
		// go-oidc checks the algorithm and the JWS form before calling
		// the key set.
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return nil, classifyClaimFailure(raw, c.cfg.Authority, c.cfg.ClientID, err)
}

// classifyClaimFailure names which claim check of go-oidc failed. The
// signature was valid, so the claims can be read.
func classifyClaimFailure(raw, issuer, clientID string, err error) error {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return fmt.Errorf("%w: expired at %s", ErrTokenExpired, expired.Expiry.UTC().Format(time.RFC3339))
	}
	var claims struct {
		Issuer   string          `json:"iss"`
		Audience json.RawMessage `json:"aud"`
	}
	if jws, perr := jose.ParseSigned(raw, allJOSEAlgorithms()); perr == nil {
		_ = json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims)
	}
	switch {
	case claims.Issuer != issuer:
		return fmt.Errorf("%w: token issuer %q, expected %q", ErrWrongIssuer, claims.Issuer, issuer)
	case !strings.Contains(string(claims.Audience), `"`+clientID+`"`):
		return fmt.Errorf("%w: token audience %s, expected %q", ErrWrongAudience, claims.Audience, clientID)
	}
	return fmt.Errorf("%w: %w", ErrInvalidToken, err)
}

// checkTimes rejects a token issued in the future, beyond the clock skew;
// go-oidc checks "exp" and "nbf" but not "iat".
func (c *Client) checkTimes(token *oidc.IDToken, claims map[string]json.RawMessage) error {
	if _, ok := claims["iat"]; !ok {
		return fmt.Errorf("%w: claim \"iat\" missing", ErrInvalidToken)
	}
	if token.IssuedAt.After(c.cfg.Now().Add(c.cfg.ClockSkew)) {
		return fmt.Errorf("%w: issued in the future (iat %s)", ErrInvalidToken,
			token.IssuedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkValidityPeriod rejects a token whose "exp" has passed or whose "nbf"
// has not come, each beyond the clock skew. "exp" is required (OpenID
// Connect Core 2); "nbf" is optional.
func (c *Client) checkValidityPeriod(claims map[string]json.RawMessage) error {
	now := c.cfg.Now()
	expiry, ok, err := numericDate(claims, "exp")
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%w: claim \"exp\" missing", ErrInvalidToken)
	case now.After(expiry.Add(c.cfg.ClockSkew)):
		return fmt.Errorf("%w: expired at %s", ErrTokenExpired, expiry.UTC().Format(time.RFC3339))
	}
	notBefore, ok, err := numericDate(claims, "nbf")
	switch {
	case err != nil:
		return err
	case ok && notBefore.After(now.Add(c.cfg.ClockSkew)):
		return fmt.Errorf("%w: not valid before %s (nbf)", ErrInvalidToken,
			notBefore.UTC().Format(time.RFC3339))
	}
	return nil
}

// maxNumericDate bounds NumericDate claims: about 31 million years.
const maxNumericDate = 1e15

// numericDate reads a NumericDate claim (RFC 7519 section 2): seconds since
// the epoch, possibly with a fraction. ok is false when the claim is absent.
func numericDate(claims map[string]json.RawMessage, name string) (time.Time, bool, error) {
	raw, present := claims[name]
	if !present || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	var seconds float64
	if err := json.Unmarshal(raw, &seconds); err != nil {
		return time.Time{}, false, fmt.Errorf("%w: claim %q is not a number: %s",
			ErrInvalidToken, name, raw)
	}
	// Beyond this a conversion to int64 would overflow; real dates are far
	// inside it.
	if math.Abs(seconds) > maxNumericDate {
		return time.Time{}, false, fmt.Errorf("%w: claim %q is out of range: %s",
			ErrInvalidToken, name, raw)
	}
	whole := math.Floor(seconds)
	return time.Unix(int64(whole), int64((seconds-whole)*1e9)), true, nil
}

// checkAuthorizedParty applies OpenID Connect Core 3.1.3.7: a token with
// several audiences must name this client in "azp", and an "azp" present
// must be this client.
func checkAuthorizedParty(clientID string, token *oidc.IDToken,
	claims map[string]json.RawMessage) error {

	var azp string
	if raw, ok := claims["azp"]; ok {
		if err := json.Unmarshal(raw, &azp); err != nil {
			return fmt.Errorf("%w: claim \"azp\" is not a string", ErrInvalidToken)
		}
	}
	if len(token.Audience) > 1 && azp == "" {
		return fmt.Errorf("%w: several audiences and no \"azp\"", ErrWrongAudience)
	}
	if azp != "" && azp != clientID {
		return fmt.Errorf("%w: authorized party %q, expected %q", ErrWrongAudience, azp, clientID)
	}
	return nil
}

func allJOSEAlgorithms() []jose.SignatureAlgorithm {
	var algs []jose.SignatureAlgorithm
	for alg := range asymmetricAlgorithms {
		algs = append(algs, jose.SignatureAlgorithm(alg))
	}
	return algs
}
