// Command relyingparty is a demo web system that logs people in through
// ЕС ИФЮЛ with the SDK. Without flags it starts an embedded fake ЕС ИФЮЛ
// (provider, КПСИС and client program on loopback) and prints the address
// to open:
//
//	go run ./examples/relyingparty
//
// With -kpsis it uses a real КПСИС instead; -authority, -client-id and
// -client-program then name the real provider, the system's client_id and
// the client program's address.
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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "relyingparty:", err)
		os.Exit(1)
	}
}

// run parses the flags, starts the demo and serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("relyingparty", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts Options
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen address of the demo")
	fs.StringVar(&opts.KPSISURL, "kpsis", "",
		"base URL of a real КПСИС (for example http://10.0.0.5:13000); empty starts the embedded fake")
	fs.StringVar(&opts.Authority, "authority", "https://esiful.gov.by",
		"issuer URL of the provider, used with -kpsis")
	fs.StringVar(&opts.ClientID, "client-id", "", "the system's client_id, used with -kpsis")
	fs.StringVar(&opts.ClientProgramURL, "client-program", "http://127.0.0.1:8084",
		"the client program's address as the browser reaches it, used with -kpsis")
	fs.StringVar(&opts.FakeClientProgramAddr, "fake-client-program-addr", "127.0.0.1:8084",
		"listen address of the embedded fake client program")
	fs.IntVar(&opts.FakeLogin, "fake-login", 0,
		"embedded fake only: log in as test person N without the fake login page")
	fs.IntVar(&opts.FakeCard, "fake-card", 1,
		"embedded fake only: the test person whose ID card is in the reader")
	fs.BoolVar(&opts.Direct, "direct", false,
		"embedded fake only: use the direct OpenID Connect flow instead of the КПСИС flow")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opts.KPSISURL != "" && opts.FakeLogin != 0 {
		return fmt.Errorf("-fake-login works with the embedded fake only, not with -kpsis")
	}

	opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	demo, err := Start(opts)
	if err != nil {
		return err
	}
	defer demo.Close()
	fmt.Fprintf(stdout, "Демо-система запущена: откройте %s/\n", demo.URL)

	<-ctx.Done()
	return nil
}
