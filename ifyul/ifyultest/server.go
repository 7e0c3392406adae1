// Package ifyultest runs the whole fake ЕС ИФЮЛ on loopback for a relying
// party's own tests, in the spirit of net/http/httptest: NewServer starts
// the provider, the КПСИС and the client program, Config points an
// ifyul.Client at them, NewBrowser follows a login as a browser would, and
// Close stops everything.
//
// The fake behaves like the real system where its behaviour is known (the
// КПСИС api/v2, the client program's select_auth, the "data" callback) and
// can misbehave on request, so that every error path can be tested. Nothing
// it does reaches beyond 127.0.0.1.
package ifyultest

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

// Options configures a Server. The zero value is a usable default.
type Options struct {
	// AutoLogin logs in the test person with this ID without showing the
	// fake provider's login page. Zero shows the page.
	AutoLogin int
	// RequireConfirmation makes the provider refuse every request the
	// client program has not confirmed, plain OpenID Connect ones included.
	RequireConfirmation bool
	// PersonsFile is a JSON fixture of test persons replacing the built-in.
	PersonsFile string
	// Logger receives the fake components' request logs.
	Logger *slog.Logger
}

// Server is a running fake ЕС ИФЮЛ.
type Server struct {
	// ProviderURL is the fake provider's issuer URL.
	ProviderURL string
	// KPSISURL is the fake КПСИС's base URL.
	KPSISURL string
	// ClientProgramURL is the fake client program's address.
	ClientProgramURL string
	// AddressRegisterURL is the fake address register, for
	// gir.HTTPResolver; RegisterServicesURL the fake register services,
	// for gir.HTTPTransport.
	AddressRegisterURL  string
	RegisterServicesURL string
	// ClientID and ClientSecret are the registration of the system under
	// test.
	ClientID     string
	ClientSecret string

	stack *stack.Stack
}

// NewServer starts a fake ЕС ИФЮЛ with default options. It panics if it
// cannot, as httptest.NewServer does.
func NewServer() *Server {
	s, err := Start(Options{})
	if err != nil {
		panic(fmt.Sprintf("ifyultest: %v", err))
	}
	return s
}

// Start starts a fake ЕС ИФЮЛ with the options.
func Start(opts Options) (*Server, error) {
	set := persons.Default()
	if opts.PersonsFile != "" {
		var err error
		if set, err = persons.Load(opts.PersonsFile); err != nil {
			return nil, err
		}
	}
	st, err := stack.Start(stack.Options{
		Persons:             set,
		AutoLogin:           opts.AutoLogin,
		RequireConfirmation: opts.RequireConfirmation,
		Logger:              opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Server{
		ProviderURL:         st.ProviderURL,
		KPSISURL:            st.KPSISURL,
		ClientProgramURL:    st.ClientProgramURL,
		AddressRegisterURL:  st.AddressRegisterURL,
		RegisterServicesURL: st.RegisterServicesURL,
		ClientID:            st.ClientID,
		ClientSecret:        st.ClientSecret,
		stack:               st,
	}, nil
}

// Close stops the fake.
func (s *Server) Close() { _ = s.stack.Close() }

// Client returns an HTTP client for talking to the fake.
func (s *Server) Client() *http.Client {
	return &http.Client{Timeout: 30 * time.Second}
}

// Flow selects the login flow in Config.
type Flow int

const (
	// KPSISFlow logs in through the fake КПСИС and client program.
	KPSISFlow Flow = iota
	// DirectFlow logs in with OpenID Connect straight at the provider.
	DirectFlow
)

// Config registers redirectURL (and postLogoutURL, if not empty) with the
// fake provider and returns an ifyul.Config for the flow that points at the
// fake. Adjust the returned value before ifyul.New as needed.
func (s *Server) Config(flow Flow, redirectURL, postLogoutURL string) ifyul.Config {
	var postLogout []string
	if postLogoutURL != "" {
		postLogout = []string{postLogoutURL}
	}
	if err := s.stack.Register([]string{redirectURL}, postLogout); err != nil {
		panic(fmt.Sprintf("ifyultest: %v", err))
	}
	cfg := ifyul.Config{
		Authority:             s.ProviderURL,
		ClientID:              s.ClientID,
		RedirectURL:           redirectURL,
		PostLogoutRedirectURL: postLogoutURL,
		ClientProgramURL:      s.ClientProgramURL,
		HTTPClient:            s.Client(),
	}
	if flow == KPSISFlow {
		cfg.KPSISURL = s.KPSISURL
	} else {
		cfg.ClientSecret = s.ClientSecret
	}
	return cfg
}

// SetAutoLogin makes the provider log in the person with the ID without the
// login page; 0 shows the page again.
func (s *Server) SetAutoLogin(personID int) { s.stack.Provider.SetAutoLogin(personID) }
