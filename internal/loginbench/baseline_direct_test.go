package loginbench

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/esiful/sdk-go/ifyul"
)

// directBaseline is the direct OpenID Connect flow written by hand with
// x/oauth2 and go-oidc: PKCE S256, state, nonce, the RFC 9207 iss check,
// ID token verification and userinfo. The provider and its verifier, and so
// the JWKS, are fetched once and reused, as the SDK does.
type directBaseline struct {
	ctx      context.Context // carries the HTTP client for x/oauth2 and go-oidc
	issuer   string
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    *oauth2.Config
	attempts attemptMap
}

func newDirectBaseline(fake *fakeServer) (*directBaseline, error) {
	ctx := oidc.ClientContext(context.Background(), newHTTPClient())
	provider, err := oidc.NewProvider(ctx, fake.ProviderURL)
	if err != nil {
		return nil, fmt.Errorf("loginbench: baseline discovery: %w", err)
	}
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = oauth2.AuthStyleInHeader
	return &directBaseline{
		ctx:      ctx,
		issuer:   fake.ProviderURL,
		provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: clientID}),
		oauth: &oauth2.Config{
			ClientID:     clientID,
			ClientSecret: clientSecret,
			RedirectURL:  redirectURL,
			Scopes:       ifyul.DefaultScopes,
			Endpoint:     endpoint,
		},
	}, nil
}

// start begins a login and returns the attempt's ID and the authorization
// URL.
func (d *directBaseline) start() (string, string) {
	id := randomToken()
	a := attempt{state: randomToken(), nonce: randomToken(),
		codeVerifier: oauth2.GenerateVerifier()}
	d.attempts.put(id, a)
	return id, d.oauth.AuthCodeURL(a.state,
		oauth2.S256ChallengeOption(a.codeVerifier),
		oidc.Nonce(a.nonce),
		oauth2.SetAuthURLParam("prompt", "consent"))
}

// complete checks the callback, exchanges the code, verifies the ID token
// and reads userinfo.
func (d *directBaseline) complete(id string, q url.Values) (*person, error) {
	a, err := d.attempts.take(id)
	if err != nil {
		return nil, err
	}
	if iss := q["iss"]; len(iss) != 1 || iss[0] != d.issuer {
		return nil, fmt.Errorf("loginbench: callback iss %q, expected %q", iss, d.issuer)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(a.state)) != 1 {
		return nil, errors.New("loginbench: callback state differs")
	}
	code := q.Get("code")
	if code == "" {
		return nil, fmt.Errorf("loginbench: callback has no code: %s", q.Get("error"))
	}

	token, err := d.oauth.Exchange(d.ctx, code, oauth2.VerifierOption(a.codeVerifier))
	if err != nil {
		return nil, fmt.Errorf("loginbench: code exchange: %w", err)
	}
	raw, _ := token.Extra("id_token").(string)
	idToken, err := d.verifier.Verify(d.ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("loginbench: ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(a.nonce)) != 1 {
		return nil, errors.New("loginbench: ID token nonce differs")
	}

	info, err := d.provider.UserInfo(d.ctx, oauth2.StaticTokenSource(token))
	if err != nil {
		return nil, fmt.Errorf("loginbench: userinfo: %w", err)
	}
	var p person
	if err := info.Claims(&p); err != nil {
		return nil, fmt.Errorf("loginbench: userinfo claims: %w", err)
	}
	if p.Subject != idToken.Subject {
		return nil, fmt.Errorf("loginbench: userinfo sub %q, ID token sub %q",
			p.Subject, idToken.Subject)
	}
	return &p, nil
}

// login runs one baseline login and adds the cost of each step to cost.
func (d *directBaseline) login(br *browser, cost *loginCost) (*person, error) {
	var id, authURL string
	_ = cost.start.add(func() error {
		id, authURL = d.start()
		return nil
	})
	var callback url.Values
	err := cost.browser.add(func() (err error) {
		callback, err = br.authorize(d.ctx, "", authURL)
		return err
	})
	if err != nil {
		return nil, err
	}
	var p *person
	err = cost.complete.add(func() (err error) {
		p, err = d.complete(id, callback)
		return err
	})
	return p, err
}
