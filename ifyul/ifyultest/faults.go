package ifyultest

import (
	"time"

	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/provider"
)

// Component names one part of the fake.
type Component int

// The components of the fake.
const (
	Provider Component = iota
	KPSIS
	ClientProgram
)

// Mode is a component's overall state.
type Mode string

// The modes a component can be put in.
const (
	// Healthy serves normally.
	Healthy Mode = "healthy"
	// Down drops every connection without a response.
	Down Mode = "down"
	// Maintenance responds with HTTP 503 with the error code "maintenance".
	Maintenance Mode = "maintenance"
	// Suspended responds with HTTP 403 with the error code "access_suspended".
	Suspended Mode = "suspended"
)

func (s *Server) faultSwitch(c Component) *fault.Switch {
	switch c {
	case KPSIS:
		return s.stack.KPSISSwitch
	case ClientProgram:
		return s.stack.ClientProgramSwitch
	}
	return s.stack.ProviderSwitch
}

// SetMode puts a component in a mode.
func (s *Server) SetMode(c Component, m Mode) { s.faultSwitch(c).Set(fault.Mode(m)) }

// SetDelay makes a component wait d before every response.
func (s *Server) SetDelay(c Component, d time.Duration) { s.faultSwitch(c).SetDelay(d) }

// ProviderMisbehaviour makes the fake provider break the protocol. Where
// several switches change the same part of a response, the earlier field wins.
type ProviderMisbehaviour struct {
	WrongIssuer     bool // ID tokens name another issuer
	WrongAudience   bool // ID tokens name another audience
	BadSignature    bool // ID tokens are signed by a key not in the JWKS
	OmitNonce       bool // ID tokens carry no nonce
	ExpiredToken    bool // ID tokens expired an hour ago
	ReplayableCodes bool // an authorization code can be exchanged twice
	WrongIssParam   bool // the authorization response's iss names another issuer

	OmitIssParam  bool // the authorization response carries no iss
	ReplayIDToken bool // the token response repeats the client's previous ID token
	AlgNone       bool // ID tokens are unsigned, with alg "none"
	AlgHS256      bool // ID tokens are signed with HMAC-SHA256 keyed by the client secret
	ExtraAudience bool // ID tokens name a second audience besides the client
	// AuthorizedParty goes into the ID tokens' "azp" claim; empty leaves it out.
	AuthorizedParty   string
	IssuedInFuture    bool // ID tokens are issued ("iat") five minutes from now
	NotYetValid       bool // ID tokens carry "nbf" three minutes from now
	ExpiredWithinSkew bool // ID tokens expired 30 seconds ago
	RotateKey         bool // tokens are signed with a second key, listed first in the JWKS
	UnknownKeyID      bool // ID tokens name a random key ID the JWKS does not contain

	SignedUserInfo   bool // userinfo is a JWT signed like the ID tokens (application/jwt)
	TamperedUserInfo bool // userinfo is a signed JWT whose claims were changed after signing

	DenyAccess         bool // the authorization response is the error access_denied
	RejectCodes        bool // the token endpoint refuses every code with invalid_grant
	RejectAccessTokens bool // the userinfo endpoint refuses every access token

	TokenJSONWithoutCharset bool // token responses are "application/json" without a charset
	TokenAsTextPlain        bool // token responses are JSON labelled "text/plain"
	TokenAsForm             bool // token responses are form-encoded
	ErrorsWithStatus200     bool // token and userinfo error responses carry HTTP 200
}

// SetProviderMisbehaviour replaces the provider's misbehaviour.
func (s *Server) SetProviderMisbehaviour(m ProviderMisbehaviour) {
	s.stack.Provider.SetMisbehaviour(provider.Misbehaviour(m))
}

// JWKSRequests returns how many times the fake provider has served its
// JWKS, so that a test can check how often a relying party fetches keys.
func (s *Server) JWKSRequests() int { return s.stack.Provider.JWKSRequests() }

// KPSISMisbehaviour makes the fake КПСИС break its contract.
type KPSISMisbehaviour struct {
	// PassTokensUnchecked hands on the provider's ID token unchecked, so
	// that only the relying party's own checks remain.
	PassTokensUnchecked bool
	// HideNonce leaves "nonce" out of the login response.
	HideNonce bool
}

// SetKPSISMisbehaviour replaces the КПСИС's misbehaviour.
func (s *Server) SetKPSISMisbehaviour(m KPSISMisbehaviour) {
	s.stack.KPSIS.SetMisbehaviour(kpsis.Misbehaviour(m))
}

// SetClientProgramRejecting makes the client program refuse to confirm
// login requests, as it does with no reader or card.
func (s *Server) SetClientProgramRejecting(reject bool) {
	s.stack.ClientProgram.SetRejecting(reject)
}
