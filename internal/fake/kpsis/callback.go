package kpsis

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/internal/fake/provider"
)

func (k *KPSIS) loginCallback(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Params       string   `json:"params"`
		CodeVerifier string   `json:"code_verifier"`
		Settings     Settings `json:"settings"`
	}
	if err := decode(r, &req); err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	if err := k.checkSettings(req.Settings); err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	data, err := decodeCallbackData(req.Params)
	if err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	// The issuer is checked before anything else, error responses included
	// (RFC 9207), so that a forged "data" cannot show the person another
	// provider's error; "0" is not an error code, however it arrives.
	switch {
	case data.Issuer != k.cfg.Authority:
		writeError(w, "invalid_request", fmt.Sprintf("response from issuer %q, expected %q",
			data.Issuer, k.cfg.Authority))
		return
	case data.Error == "0":
		writeError(w, "invalid_request", `the response's error is "0"`)
		return
	case data.Error != "":
		writeError(w, data.Error, data.ErrorDescription)
		return
	case data.State != req.Settings.State:
		writeError(w, "state_mismatch", "the response's state differs from settings.state")
		return
	}

	answer, code, err := k.exchange(r.Context(), data.Code, req.CodeVerifier, req.Settings)
	if err != nil {
		k.cfg.Logger.Warn("kpsis: login_callback failed", "err", code, "error", err)
		writeError(w, code, err.Error())
		return
	}
	k.cfg.Logger.Info("kpsis: login completed", "client_id", k.cfg.ClientID)
	writeJSON(w, answer)
}

// decodeCallbackData reads the provider's "data" parameter.
func decodeCallbackData(params string) (*provider.CallbackData, error) {
	raw, err := base64.RawURLEncoding.DecodeString(params)
	if err != nil {
		return nil, fmt.Errorf("params is not base64url: %w", err)
	}
	var data provider.CallbackData
	if err := json.Unmarshal(raw, &data); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("params: invalid JSON at offset %d: %w", syntax.Offset, err)
		}
		return nil, fmt.Errorf("params: %w", err)
	}
	return &data, nil
}

// exchange redeems the code, checks the ID token (unless PassTokensUnchecked is set) and
// reads userinfo. On failure it returns the error code for the consumer.
func (k *KPSIS) exchange(ctx context.Context, code, verifier string,
	s Settings) (map[string]any, string, error) {

	meta, errCode, err := k.discover(ctx)
	if err != nil {
		return nil, errCode, err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, k.cfg.HTTPClient)
	conf := k.oauth(meta, s)
	token, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			return nil, re.ErrorCode, fmt.Errorf("code exchange: %s", re.ErrorDescription)
		}
		return nil, "provider_unavailable", fmt.Errorf("code exchange: %w", err)
	}
	idToken, _ := token.Extra("id_token").(string)
	if idToken == "" {
		return nil, "invalid_token", errors.New("the token response has no id_token")
	}

	if !k.misbehaviour().PassTokensUnchecked {
		t, err := k.verifier(ctx, meta).Verify(ctx, idToken)
		if err != nil && strings.Contains(err.Error(), "fetching keys") {
			// go-oidc could not reach the provider's JWKS: an outage, not a
			// bad token. Its errors do not wrap, so the text decides.
			return nil, "provider_unavailable", err
		}
		if err != nil {
			return nil, "invalid_token", err
		}
		if t.Nonce != k.nonceFor(verifier) {
			return nil, "invalid_token", errors.New("ID token nonce does not match")
		}
	}

	userinfo, err := k.userinfo(ctx, meta, token)
	if err != nil {
		return nil, "provider_unavailable", err
	}
	return map[string]any{"err": "0", "id_token": idToken, "userinfo": userinfo}, "", nil
}

func (k *KPSIS) userinfo(ctx context.Context, meta *discovery,
	token *oauth2.Token) (map[string]any, error) {

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, meta.UserinfoEndpoint, nil)
	if err != nil {
		return nil, err
	}
	token.SetAuthHeader(req)
	resp, err := k.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("userinfo: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("userinfo: provider responded with %s", resp.Status)
	}
	var claims map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&claims); err != nil {
		return nil, fmt.Errorf("userinfo: %w", err)
	}
	return claims, nil
}

func (k *KPSIS) logout(w http.ResponseWriter, r *http.Request) {
	var req struct {
		IDToken               string `json:"id_token"`
		Authority             string `json:"authority"`
		PostLogoutRedirectURI string `json:"post_logout_redirect_uri"`
	}
	if err := decode(r, &req); err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	if req.Authority != k.cfg.Authority {
		writeError(w, "invalid_request", fmt.Sprintf("authority %q, expected %q",
			req.Authority, k.cfg.Authority))
		return
	}
	k.cfg.Logger.Info("kpsis: logout", "client_id", k.cfg.ClientID)
	writeJSON(w, map[string]any{"err": "0"})
}
