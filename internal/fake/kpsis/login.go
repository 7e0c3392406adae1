package kpsis

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/internal/fake/envelope"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

// Settings is the "settings" object of api/v2 login and login_callback.
type Settings struct {
	Authority             string `json:"authority"`
	ClientID              string `json:"client_id"`
	GrantType             string `json:"grant_type"`
	ResponseType          string `json:"response_type"`
	Scope                 string `json:"scope"`
	Prompt                string `json:"prompt"`
	RedirectURI           string `json:"redirect_uri"`
	PostLogoutRedirectURI string `json:"post_logout_redirect_uri"`
	State                 string `json:"state"`
}

// ClientProgramRequest is the payload of signed_data_to_check_in_cp.
type ClientProgramRequest struct {
	RequestID string `json:"request_id"`
	ClientID  string `json:"client_id"`
	ExpiresAt int64  `json:"exp"`
}

func (k *KPSIS) checkSettings(s Settings) error {
	switch {
	case s.ClientID != k.cfg.ClientID:
		return fmt.Errorf("settings.client_id %q is not this КПСИС's system", s.ClientID)
	case s.Authority != k.cfg.Authority:
		return fmt.Errorf("settings.authority %q, expected %q", s.Authority, k.cfg.Authority)
	case s.GrantType != "authorization_code" || s.ResponseType != "code":
		return fmt.Errorf("settings: grant_type %q and response_type %q are not supported",
			s.GrantType, s.ResponseType)
	case s.RedirectURI == "":
		return errors.New("settings.redirect_uri is missing")
	case s.State == "":
		return errors.New("settings.state is missing")
	}
	return nil
}

func (k *KPSIS) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Settings Settings `json:"settings"`
	}
	if err := decode(r, &req); err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	if err := k.checkSettings(req.Settings); err != nil {
		writeError(w, "invalid_request", err.Error())
		return
	}
	meta, code, err := k.discover(r.Context())
	if err != nil {
		writeError(w, code, err.Error())
		return
	}

	s := req.Settings
	verifier := oauth2.GenerateVerifier()
	requestID := randomID()
	expires := k.cfg.Now().Add(provider.RequestLifetime).Unix()
	authEnvelope, err := envelope.Seal(k.cfg.Signer, provider.AuthRequest{
		RequestID:           requestID,
		ClientID:            s.ClientID,
		RedirectURI:         s.RedirectURI,
		Scope:               s.Scope,
		State:               s.State,
		Nonce:               k.nonceFor(verifier),
		Prompt:              s.Prompt,
		CodeChallenge:       oauth2.S256ChallengeFromVerifier(verifier),
		CodeChallengeMethod: "S256",
		ExpiresAt:           expires,
	})
	if err != nil {
		writeError(w, "server_error", err.Error())
		return
	}
	cpData, err := envelope.Seal(k.cfg.Signer, ClientProgramRequest{
		RequestID: requestID, ClientID: s.ClientID, ExpiresAt: expires,
	})
	if err != nil {
		writeError(w, "server_error", err.Error())
		return
	}

	authURL := meta.AuthorizationEndpoint + "?" + url.Values{
		"client_id": {s.ClientID}, "envelope": {authEnvelope},
	}.Encode()
	answer := map[string]any{
		"err":                           "0",
		"signed_data_to_check_in_cp":    cpData,
		"code_verifier":                 verifier,
		"enveloped_and_signed_auth_url": authURL,
	}
	if !k.misbehaviour().HideNonce {
		answer["nonce"] = k.nonceFor(verifier)
	}
	k.cfg.Logger.Info("kpsis: login request signed", "client_id", s.ClientID)
	writeJSON(w, answer)
}

type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
}

// discover reads the provider's configuration and returns, on failure, the
// error code that tells the consumer why: the provider's own code for
// maintenance or suspension, else "provider_unavailable".
func (k *KPSIS) discover(ctx context.Context) (*discovery, string, error) {
	target := strings.TrimSuffix(k.cfg.Authority, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, "server_error", err
	}
	resp, err := k.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, "provider_unavailable", fmt.Errorf("provider unreachable: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(body, &oe)
		if oe.Error == "maintenance" || oe.Error == "access_suspended" {
			return nil, oe.Error, fmt.Errorf("provider: %s", oe.Description)
		}
		return nil, "provider_unavailable", fmt.Errorf("provider responded with %s", resp.Status)
	}
	var meta discovery
	if err := json.Unmarshal(body, &meta); err != nil {
		return nil, "provider_unavailable", fmt.Errorf("provider discovery: %w", err)
	}
	return &meta, "", nil
}

func (k *KPSIS) oauth(meta *discovery, s Settings) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     k.cfg.ClientID,
		ClientSecret: k.cfg.ClientSecret,
		RedirectURL:  s.RedirectURI,
		Endpoint: oauth2.Endpoint{AuthURL: meta.AuthorizationEndpoint,
			TokenURL: meta.TokenEndpoint, AuthStyle: oauth2.AuthStyleInHeader},
	}
}

func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

func randomID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verifier returns go-oidc's ID token verifier for the provider.
func (k *KPSIS) verifier(ctx context.Context, meta *discovery) *oidc.IDTokenVerifier {
	keys := oidc.NewRemoteKeySet(oidc.ClientContext(ctx, k.cfg.HTTPClient), meta.JWKSURI)
	return oidc.NewVerifier(meta.Issuer, keys, &oidc.Config{
		ClientID: k.cfg.ClientID, SupportedSigningAlgs: []string{"ES256"},
	})
}
