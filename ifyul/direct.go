package ifyul

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// directFlow is the OpenID Connect authorization code flow with PKCE (S256),
// state, nonce and the RFC 9207 issuer check, spoken by the SDK itself.
type directFlow struct{ c *Client }

func (f *directFlow) Name() string { return "direct" }

func (f *directFlow) oauth(info *providerInfo) *oauth2.Config {
	style := oauth2.AuthStyleInHeader
	if f.c.cfg.ClientSecret == "" {
		style = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     f.c.cfg.ClientID,
		ClientSecret: f.c.cfg.ClientSecret,
		RedirectURL:  f.c.cfg.RedirectURL,
		Scopes:       f.c.cfg.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:  info.meta.AuthorizationEndpoint,
			TokenURL: info.meta.TokenEndpoint,
			// An explicit style: the automatic one retries a failed
			// exchange with the other style, sending the code twice.
			AuthStyle: style,
		},
	}
}

// Begin implements Flow.
func (f *directFlow) Begin(ctx context.Context, a *Attempt) (*LoginStart, error) {
	info, err := f.c.provider(ctx)
	if err != nil {
		return nil, err
	}
	a.CodeVerifier = oauth2.GenerateVerifier()
	a.Nonce = randomToken()
	opts := []oauth2.AuthCodeOption{
		oauth2.S256ChallengeOption(a.CodeVerifier),
		oidc.Nonce(a.Nonce),
	}
	if f.c.cfg.Prompt != "-" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", f.c.cfg.Prompt))
	}
	return &LoginStart{AuthURL: f.oauth(info).AuthCodeURL(a.State, opts...)}, nil
}

// Exchange implements Flow.
func (f *directFlow) Exchange(ctx context.Context, a *Attempt, q url.Values) (*Tokens, error) {
	info, err := f.c.provider(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkIssuerParameter(info, q); err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(a.State)) != 1 {
		return nil, ErrStateMismatch
	}
	if code := q.Get("error"); code != "" {
		pe := f.c.classify(sourceProvider, code, q.Get("error_description"), 0)
		pe.URI = q.Get("error_uri")
		return nil, pe
	}
	code := q.Get("code")
	if code == "" {
		return nil, fmt.Errorf("%w: callback has neither code nor error",
			&ProtocolError{Source: sourceProvider, Code: "invalid_request"})
	}

	exchangeCtx := context.WithValue(ctx, oauth2.HTTPClient, f.c.tokenHTTPClient())
	token, err := f.oauth(info).Exchange(exchangeCtx, code,
		oauth2.VerifierOption(a.CodeVerifier))
	if err != nil {
		return nil, f.exchangeError(err)
	}
	t := &Tokens{
		AccessToken:  token.AccessToken,
		RefreshToken: token.RefreshToken,
		Expiry:       token.Expiry,
	}
	t.IDToken, _ = token.Extra("id_token").(string)
	if info.meta.UserinfoEndpoint != "" {
		t.UserInfo, err = f.c.fetchUserInfo(ctx, info.meta.UserinfoEndpoint, token.AccessToken)
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (f *directFlow) exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := re.ErrorCode
		if code == "" {
			code = http.StatusText(status)
		}
		return fmt.Errorf("ifyul: code exchange: %w",
			f.c.classify(sourceProvider, code, re.ErrorDescription, status))
	}
	return fmt.Errorf("%w: code exchange: %w", ErrProviderUnavailable, err)
}

// checkIssuerParameter applies RFC 9207: when the provider advertises the
// "iss" authorization response parameter, it must be present and equal the
// issuer; when present anyway, it must still match. This stops a mix-up
// attack, in which another provider's response is fed to this client.
func checkIssuerParameter(info *providerInfo, q url.Values) error {
	iss, present := q["iss"]
	switch {
	case present && (len(iss) != 1 || iss[0] != info.meta.Issuer):
		return fmt.Errorf("%w: response parameter iss %q, expected %q",
			ErrWrongIssuer, strings.Join(iss, ","), info.meta.Issuer)
	case !present && info.meta.IssParameterSupported:
		return fmt.Errorf("%w: response parameter iss missing", ErrWrongIssuer)
	}
	return nil
}

// EndSession implements Flow.
func (f *directFlow) EndSession(ctx context.Context, idToken string) (string, error) {
	info, err := f.c.provider(ctx)
	if err != nil {
		return "", err
	}
	return endSessionURL(info.meta.EndSessionEndpoint, idToken,
		f.c.cfg.PostLogoutRedirectURL), nil
}

// endSessionURL builds the RP-initiated logout URL.
func endSessionURL(endpoint, idToken, postLogout string) string {
	q := url.Values{}
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
	}
	if len(q) == 0 {
		return endpoint
	}
	sep := "?"
	if strings.Contains(endpoint, "?") {
		sep = "&"
	}
	return endpoint + sep + q.Encode()
}

// fetchUserInfo reads the userinfo endpoint with the access token. The
// response may be JSON or a signed JWT.
func (c *Client) fetchUserInfo(ctx context.Context, endpoint,
	accessToken string) (map[string]json.RawMessage, error) {

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, fmt.Errorf("ifyul: userinfo: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json, application/jwt")
	resp, err := c.send(req, sourceProvider)
	if err != nil {
		return nil, fmt.Errorf("ifyul: userinfo: %w", err)
	}
	claims, err := c.decodeUserInfo(ctx, resp)
	if err != nil {
		return nil, fmt.Errorf("ifyul: userinfo: %w", err)
	}
	return claims, nil
}
