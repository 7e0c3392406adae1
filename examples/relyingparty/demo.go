package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/ifyul"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

// Options configures the demo.
type Options struct {
	Addr                  string
	KPSISURL              string
	Authority             string
	ClientID              string
	ClientProgramURL      string
	FakeClientProgramAddr string
	FakeLogin             int
	// FakeCard is the test person whose ID card is in the embedded fake's
	// reader; 0 means person 1.
	FakeCard int
	Direct   bool
	Logger   *slog.Logger
}

// Demo is the running demo system.
type Demo struct {
	// URL is the demo's base address, without a trailing slash.
	URL string

	client *ifyul.Client
	fake   *stack.Stack
	// addressRegister is the base URL of the address register, or "".
	addressRegister string
	// cards reads ID cards through the browser relay; nil without a
	// terminal module.
	cards            *cardReader
	clientProgramURL string
	srv              *http.Server
	logger           *slog.Logger
}

//go:embed templates/*.html templates/style.css templates/card.js
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Format("02.01.2006")
	},
}).ParseFS(templateFiles, "templates/*.html"))

// Start listens, starts the embedded fake unless a real КПСИС is named, and
// serves the demo in the background.
func Start(opts Options) (*Demo, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	listener, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	d := &Demo{URL: "http://" + listener.Addr().String(), logger: opts.Logger}

	cfg, err := d.sdkConfig(opts)
	if err != nil {
		_ = listener.Close()
		return nil, err
	}
	d.client, err = ifyul.New(cfg)
	if err != nil {
		d.Close()
		_ = listener.Close()
		return nil, err
	}

	d.srv = &http.Server{Handler: d.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := d.srv.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.logger.Error("demo: serve", "error", err)
		}
	}()
	d.logger.Info("demo: started", "url", d.URL, "flow", d.client.Flow().Name())
	return d, nil
}

// sdkConfig returns the SDK configuration, starting the embedded fake when
// no real КПСИС is named.
func (d *Demo) sdkConfig(opts Options) (ifyul.Config, error) {
	cfg := ifyul.Config{
		RedirectURL:           d.URL + "/callback",
		PostLogoutRedirectURL: d.URL + "/",
		ErrorHandler:          d.writeError,
		Logger:                d.logger,
	}
	if opts.KPSISURL != "" {
		if opts.ClientID == "" {
			return cfg, errors.New("-kpsis needs -client-id")
		}
		cfg.Authority = opts.Authority
		cfg.ClientID = opts.ClientID
		cfg.KPSISURL = opts.KPSISURL
		cfg.ClientProgramURL = opts.ClientProgramURL
		return cfg, nil
	}

	fake, err := stack.Start(stack.Options{
		ClientProgramAddr:      opts.FakeClientProgramAddr,
		RedirectURIs:           []string{cfg.RedirectURL},
		PostLogoutRedirectURIs: []string{cfg.PostLogoutRedirectURL},
		AutoLogin:              opts.FakeLogin,
		Logger:                 d.logger,
	})
	if err != nil {
		return cfg, fmt.Errorf("starting the embedded fake ЕС ИФЮЛ: %w", err)
	}
	d.fake = fake
	d.logger.Info("demo: embedded fake ЕС ИФЮЛ started", "provider", fake.ProviderURL,
		"kpsis", fake.KPSISURL, "client_program", fake.ClientProgramURL)

	d.addressRegister = fake.AddressRegisterURL
	d.cards = newCardReader(fake.KPSISTerminalURL)
	if err := fake.ClientProgram.InsertCard(max(opts.FakeCard, 1)); err != nil {
		return cfg, fmt.Errorf("-fake-card: %w", err)
	}
	cfg.Scopes = append(slices.Clone(ifyul.DefaultScopes), "stay_place",
		attrcert.DefaultCertificateClaims.Scope)
	cfg.Authority = fake.ProviderURL
	cfg.ClientID = fake.ClientID
	cfg.ClientProgramURL = fake.ClientProgramURL
	d.clientProgramURL = fake.ClientProgramURL
	if opts.Direct {
		cfg.ClientSecret = fake.ClientSecret
	} else {
		cfg.KPSISURL = fake.KPSISURL
	}
	return cfg, nil
}

// Close stops the demo and the embedded fake.
func (d *Demo) Close() {
	if d.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.srv.Shutdown(ctx)
	}
	if d.fake != nil {
		_ = d.fake.Close()
	}
}

func (d *Demo) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.home)
	mux.HandleFunc("GET /style.css", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, templateFiles, "templates/style.css")
	})
	mux.Handle("GET /login", d.client.LoginHandler())
	mux.Handle("GET /callback", d.client.CallbackHandler())
	mux.Handle("/logout", d.client.LogoutHandler())
	mux.Handle("GET /person", d.client.RequireSession("/login", http.HandlerFunc(d.person)))
	if d.cards != nil {
		mux.HandleFunc("GET /card", d.card)
		mux.HandleFunc("GET /card/result", d.cards.result)
		mux.HandleFunc("GET /card.js", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			http.ServeFileFS(w, r, templateFiles, "templates/card.js")
		})
		mux.Handle("/terminal-relay/", http.StripPrefix("/terminal-relay", d.cards.relay))
	}
	return d.logRequests(mux)
}

func (d *Demo) home(w http.ResponseWriter, r *http.Request) {
	s, _ := d.client.Session(r)
	d.render(w, http.StatusOK, "home.html", map[string]any{"Session": s, "Cards": d.cards != nil})
}

func (d *Demo) person(w http.ResponseWriter, r *http.Request) {
	s, _ := ifyul.SessionFromContext(r.Context())
	d.render(w, http.StatusOK, "person.html", map[string]any{
		"Session": s, "Identity": s.Identity, "Places": d.places(r.Context(), s.Identity),
		"Certificates": d.certificates(r.Context(), s.Identity),
	})
}

// card starts reading the ID card in the workstation's reader and serves
// the page whose relay script reaches the client program.
func (d *Demo) card(w http.ResponseWriter, _ *http.Request) {
	session, err := d.cards.start(d)
	if err != nil {
		d.logger.Error("demo: card session", "error", err)
		d.render(w, http.StatusServiceUnavailable, "error.html",
			map[string]any{"Message": "Не удалось начать чтение карты."})
		return
	}
	d.render(w, http.StatusOK, "card.html", map[string]any{
		"Session": session, "ClientProgram": d.clientProgramURL,
	})
}

func (d *Demo) writeError(w http.ResponseWriter, _ *http.Request, err error) {
	status, message := ifyul.ErrorMessage(err)
	d.render(w, status, "error.html", map[string]any{"Message": message})
}

func (d *Demo) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	csp := "default-src 'self'; frame-ancestors 'none'"
	if d.clientProgramURL != "" {
		// The card page's relay script talks to the client program.
		csp += "; connect-src 'self' " + d.clientProgramURL
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		d.logger.Error("demo: rendering page", "page", name, "error", err)
	}
}

// logRequests logs one line per request, without the query, which can
// carry codes and tokens.
func (d *Demo) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		d.logger.Info("demo: request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration", time.Since(start).Round(time.Millisecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
