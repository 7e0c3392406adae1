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

// SetDelay makes a component wait d before every answer.
func (s *Server) SetDelay(c Component, d time.Duration) { s.faultSwitch(c).SetDelay(d) }

// ProviderMisbehaviour makes the fake provider break the protocol.
type ProviderMisbehaviour struct {
	WrongIssuer     bool // ID tokens name another issuer
	WrongAudience   bool // ID tokens name another audience
	BadSignature    bool // ID tokens are signed by a key not in the JWKS
	OmitNonce       bool // ID tokens carry no nonce
	ExpiredToken    bool // ID tokens expired an hour ago
	ReplayableCodes bool // an authorization code can be exchanged twice
	WrongIssParam   bool // the authorization response's iss names another issuer
}

// SetProviderMisbehaviour replaces the provider's misbehaviour.
func (s *Server) SetProviderMisbehaviour(m ProviderMisbehaviour) {
	s.stack.Provider.SetMisbehaviour(provider.Misbehaviour(m))
}

// KPSISMisbehaviour makes the fake КПСИС break its contract.
type KPSISMisbehaviour struct {
	// PassTokensUnchecked hands on the provider's ID token unchecked, so
	// that the relying party's own checks are what stands.
	PassTokensUnchecked bool
	// HideNonce leaves "nonce" out of the login answer.
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
