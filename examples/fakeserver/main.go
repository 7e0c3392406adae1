// Command fakeserver runs the fake ЕС ИФЮЛ as a standalone server for QA:
// the provider, the КПСИС (api/v2) and the client program, each on its own
// loopback address.
//
//	go run ./examples/fakeserver -redirect-uri http://127.0.0.1:8080/callback
//
// Failure switches put each component in a mode from the start (healthy,
// down, maintenance, suspended) or slow it down; an admin endpoint on the
// provider's address changes them at run time:
//
//	curl -X POST 'http://127.0.0.1:8081/fake/mode?component=provider&mode=maintenance'
//	curl -X POST 'http://127.0.0.1:8081/fake/delay?component=kpsis&delay=2s'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/esiful/sdk-go/internal/fake/fault"
	"github.com/esiful/sdk-go/internal/fake/persons"
	"github.com/esiful/sdk-go/internal/fake/stack"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeserver:", err)
		os.Exit(1)
	}
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type flags struct {
	opts                         stack.Options
	personsFile                  string
	providerMode, kpsisMode      string
	clientProgramMode            string
	providerDelay, kpsisDelay    time.Duration
	clientProgramDelay           time.Duration
	redirectURIs, postLogoutURIs listFlag
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("fakeserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.opts.ProviderAddr, "provider-addr", "127.0.0.1:8081", "listen address of the provider")
	fs.StringVar(&f.opts.KPSISAddr, "kpsis-addr", "127.0.0.1:13000", "listen address of the КПСИС")
	fs.StringVar(&f.opts.ClientProgramAddr, "client-program-addr", "127.0.0.1:8084",
		"listen address of the client program")
	fs.StringVar(&f.personsFile, "persons", "", "JSON fixture of test persons (default: the built-in one)")
	fs.StringVar(&f.opts.ClientID, "client-id", "test-system", "client_id of the registered system")
	fs.StringVar(&f.opts.ClientSecret, "client-secret", "test-secret", "client secret of the registered system")
	fs.Var(&f.redirectURIs, "redirect-uri", "registered redirect_uri (repeatable)")
	fs.Var(&f.postLogoutURIs, "post-logout-redirect-uri", "registered post_logout_redirect_uri (repeatable)")
	fs.IntVar(&f.opts.AutoLogin, "auto-login", 0, "log in test person N without the login page")
	fs.BoolVar(&f.opts.RequireConfirmation, "require-confirmation", false,
		"refuse every authorization request the client program did not confirm")
	fs.StringVar(&f.providerMode, "provider-mode", "healthy", "provider mode: healthy, down, maintenance, suspended")
	fs.StringVar(&f.kpsisMode, "kpsis-mode", "healthy", "КПСИС mode: healthy, down, maintenance, suspended")
	fs.StringVar(&f.clientProgramMode, "client-program-mode", "healthy", "client program mode")
	fs.DurationVar(&f.providerDelay, "provider-delay", 0, "delay before every provider response")
	fs.DurationVar(&f.kpsisDelay, "kpsis-delay", 0, "delay before every КПСИС response")
	fs.DurationVar(&f.clientProgramDelay, "client-program-delay", 0, "delay before every client program response")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	f.opts.RedirectURIs = f.redirectURIs
	f.opts.PostLogoutRedirectURIs = f.postLogoutURIs
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.personsFile != "" {
		if f.opts.Persons, err = persons.Load(f.personsFile); err != nil {
			return err
		}
	}
	f.opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	f.opts.Admin = true

	st, err := stack.Start(f.opts)
	if err != nil {
		return err
	}
	defer st.Close()

	for _, s := range []struct {
		sw    *fault.Switch
		mode  string
		delay time.Duration
	}{
		{st.ProviderSwitch, f.providerMode, f.providerDelay},
		{st.KPSISSwitch, f.kpsisMode, f.kpsisDelay},
		{st.ClientProgramSwitch, f.clientProgramMode, f.clientProgramDelay},
	} {
		mode, err := fault.ParseMode(s.mode)
		if err != nil {
			return err
		}
		s.sw.Set(mode)
		s.sw.SetDelay(s.delay)
	}

	fmt.Fprintf(stdout, "provider (issuer):  %s\nКПСИС:              %s\nclient program:     %s\n"+
		"client_id:          %s\n", st.ProviderURL, st.KPSISURL, st.ClientProgramURL, st.ClientID)
	<-ctx.Done()
	return nil
}
