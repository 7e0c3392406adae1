// Package stack starts the whole fake ЕС ИФЮЛ on loopback in one call: the
// provider, the КПСИС with its terminal module and the client program, each
// on its own listener, wired to each other and sharing the test persons and
// their ID cards.
package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/esiful/sdk-go/internal/fake/clientprogram"
	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/provider"
	"github.com/esiful/sdk-go/internal/fake/registers"
)

// Options configures a Stack. Zero values pick loopback ports and defaults.
type Options struct {
	// Listen addresses; default "127.0.0.1:0" (a free port).
	ProviderAddr      string
	KPSISAddr         string
	ClientProgramAddr string
	// KPSISTerminalAddr is the listen address of the КПСИС's terminal
	// module (port 48777 in real deployments).
	KPSISTerminalAddr string
	// KeygenAddr is the listen address of the КПСИС's key-generation API
	// (port 9999 in real deployments).
	KeygenAddr string

	// Persons are the test persons; default persons.Default().
	Persons *persons.Set

	// ClientID and ClientSecret register the consumer's information
	// system; defaults "test-system" and a random secret.
	ClientID     string
	ClientSecret string
	// RedirectURIs and PostLogoutRedirectURIs are registered for the
	// client; more can be added with Register.
	RedirectURIs           []string
	PostLogoutRedirectURIs []string

	// AutoLogin logs in the person with this ID without the login page.
	AutoLogin int
	// RequireConfirmation makes the provider refuse requests the client
	// program did not confirm, plain OpenID Connect requests included.
	RequireConfirmation bool

	// Admin serves the control endpoints under /fake/ on the provider's
	// address (see adminHandler).
	Admin bool

	Logger *slog.Logger
}

// Stack is a running fake ЕС ИФЮЛ.
type Stack struct {
	Provider      *provider.Provider
	KPSIS         *kpsis.KPSIS
	ClientProgram *clientprogram.ClientProgram

	ProviderURL      string
	KPSISURL         string
	ClientProgramURL string
	KPSISTerminalURL string
	KeygenURL        string
	// AddressRegisterURL and RegisterServicesURL are the fake state
	// registers, served on the provider's address.
	AddressRegisterURL  string
	RegisterServicesURL string

	ClientID     string
	ClientSecret string
	Persons      *persons.Set

	ProviderSwitch      *fault.Switch
	KPSISSwitch         *fault.Switch
	ClientProgramSwitch *fault.Switch

	pki      *testPKI
	terminal *terminalSetup
	servers  []*http.Server
}

// TrustRoot returns the fake PKI's root certificate (DER), the trust anchor
// of every certificate the fake issues.
func (s *Stack) TrustRoot() []byte { return s.pki.root.DER }

// RUC returns the certificate (DER) of the fake PKI's РУЦ, which issues the
// ТСОК and the persons' certificates.
func (s *Stack) RUC() []byte { return s.pki.ruc.DER }

// TSOK returns the КПСИС's technological certificate (DER).
func (s *Stack) TSOK() []byte { return s.pki.tsok }

// Start listens on its addresses and serves until Close.
func Start(opts Options) (*Stack, error) {
	s := &Stack{
		ClientID:            opts.ClientID,
		ClientSecret:        opts.ClientSecret,
		Persons:             opts.Persons,
		ProviderSwitch:      &fault.Switch{},
		KPSISSwitch:         &fault.Switch{},
		ClientProgramSwitch: &fault.Switch{},
	}
	if s.ClientID == "" {
		s.ClientID = "test-system"
	}
	if s.ClientSecret == "" {
		s.ClientSecret = randomSecret()
	}
	if s.Persons == nil {
		s.Persons = persons.Default()
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	listeners, err := listenAll(opts.ProviderAddr, opts.KPSISAddr, opts.ClientProgramAddr,
		opts.KPSISTerminalAddr, opts.KeygenAddr)
	if err != nil {
		return nil, err
	}
	s.ProviderURL = "http://" + listeners[0].Addr().String()
	s.KPSISURL = "http://" + listeners[1].Addr().String()
	s.ClientProgramURL = "http://" + listeners[2].Addr().String()
	s.KPSISTerminalURL = "http://" + listeners[3].Addr().String()
	s.KeygenURL = "http://" + listeners[4].Addr().String()

	s.pki, err = newTestPKI(s.ClientID, time.Now())
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	s.terminal, err = newTerminalSetup(s.Persons, s.pki.ruc, time.Now())
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	certificates, err := s.personCertificates(time.Now())
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	s.Provider, err = provider.New(provider.Config{
		Issuer:       s.ProviderURL,
		Persons:      s.Persons,
		Certificates: certificates,
		Clients: []provider.Client{{
			ID:                     s.ClientID,
			Secret:                 s.ClientSecret,
			RedirectURIs:           opts.RedirectURIs,
			PostLogoutRedirectURIs: opts.PostLogoutRedirectURIs,
			RequestVerifier:        s.pki.kpsisVerifier(s.ClientID),
		}},
		AutoLogin:           opts.AutoLogin,
		RequireConfirmation: opts.RequireConfirmation,
		Switch:              s.ProviderSwitch,
		Logger:              logger.With("component", "provider"),
	})
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	s.KPSIS = kpsis.New(kpsis.Config{
		Authority:    s.ProviderURL,
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		Signer:       s.pki.kpsisSigner(),
		Switch:       s.KPSISSwitch,
		Logger:       logger.With("component", "kpsis"),
		Terminal:     s.terminal.kpsisConfig(),
	})
	s.ClientProgram = clientprogram.New(clientprogram.Config{
		KPSISVerifier: s.pki.kpsisVerifier(s.ClientID),
		Provider:      s.Provider,
		Switch:        s.ClientProgramSwitch,
		Logger:        logger.With("component", "client-program"),
		Cards:         s.terminal.cards,
	})

	providerHandler, err := s.withRegisters(s.Provider)
	if err != nil {
		closeAll(listeners)
		return nil, err
	}
	if opts.Admin {
		providerHandler = s.adminHandler(providerHandler)
	}
	handlers := []http.Handler{providerHandler, s.KPSIS, s.ClientProgram,
		s.KPSIS.TerminalHandler(), s.KPSIS.KeygenHandler()}
	for i, h := range handlers {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		go func(l net.Listener) { _ = srv.Serve(l) }(listeners[i])
	}
	return s, nil
}

// withRegisters serves the fake state registers under /gir/ and /oais/ next
// to the provider.
func (s *Stack) withRegisters(provider http.Handler) (http.Handler, error) {
	registerHandler, err := registers.Handler(s.Persons)
	if err != nil {
		return nil, err
	}
	s.AddressRegisterURL = s.ProviderURL + "/gir"
	s.RegisterServicesURL = s.ProviderURL + "/oais"
	mux := http.NewServeMux()
	mux.Handle("/gir/", registerHandler)
	mux.Handle("/oais/", registerHandler)
	mux.Handle("/", provider)
	return mux, nil
}

// Register adds redirect URIs for the stack's client.
func (s *Stack) Register(redirectURIs, postLogoutURIs []string) error {
	return s.Provider.Register(s.ClientID, redirectURIs, postLogoutURIs)
}

// Close stops the servers and waits briefly for requests under way.
func (s *Stack) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, srv.Close())
		}
	}
	return errors.Join(errs...)
}

func listenAll(addrs ...string) ([]net.Listener, error) {
	var listeners []net.Listener
	for _, addr := range addrs {
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll(listeners)
			return nil, fmt.Errorf("stack: listen on %s: %w", addr, err)
		}
		listeners = append(listeners, l)
	}
	return listeners, nil
}

func closeAll(listeners []net.Listener) {
	for _, l := range listeners {
		_ = l.Close()
	}
}
