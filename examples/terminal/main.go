// Command terminal reads an ID card and signs files at a workstation, in the
// terminal mode of ЕС ИФЮЛ: through the terminal module of the КПСИС and the
// client program that drives the card reader.
//
// By default it starts the fake ЕС ИФЮЛ in process, with the ID card of a
// test person in the reader:
//
//	go run ./examples/terminal read            # the personal data of test person 1
//	go run ./examples/terminal sign FILE       # sign FILE and verify the signature
//	go run ./examples/terminal status          # the terminal certificate and its days left
//
// With -kpsis it uses a real КПСИС terminal module and the client program on
// this computer instead:
//
//	go run ./examples/terminal -kpsis http://kpsis.internal:48777 \
//	    -certificate holder.cer sign contract.pdf
package main

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/esiful/sdk-go/attrcert"
	"github.com/esiful/sdk-go/internal/fake/stack"
	"github.com/esiful/sdk-go/terminal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "terminal:", err)
		os.Exit(1)
	}
}

type options struct {
	kpsis, clientProgram, certificate string
	person                            int
	verbose                           bool
	command                           string
	args                              []string
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("terminal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: terminal [flags] read | sign FILE | status")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.kpsis, "kpsis", "",
		"base URL of the КПСИС terminal module, such as http://host:48777 "+
			"(default: start the fake stack in process)")
	fs.StringVar(&o.clientProgram, "client-program", terminal.DefaultClientProgramURL,
		"base URL of the client program, used with -kpsis")
	fs.StringVar(&o.certificate, "certificate", "",
		"the card holder's certificate (DER or PEM) to verify signatures with, used with -kpsis")
	fs.IntVar(&o.person, "person", 1, "test person whose card the fake stack puts in the reader")
	fs.BoolVar(&o.verbose, "v", false, "log every step")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}

	if fs.NArg() == 0 {
		fs.Usage()
		return nil, errors.New("missing command: read, sign or status")
	}
	o.command, o.args = fs.Arg(0), fs.Args()[1:]
	want := map[string]int{"read": 0, "sign": 1, "status": 0}
	n, ok := want[o.command]
	if !ok {
		return nil, fmt.Errorf("unknown command %q: use read, sign or status", o.command)
	}
	if len(o.args) != n {
		return nil, fmt.Errorf("%s takes %d argument(s), got %d", o.command, n, len(o.args))
	}
	return o, nil
}

// workstation is the setting of a session: the КПСИС, the client program
// and, when known, the card holder's certificate.
type workstation struct {
	kpsisURL string
	channel  terminal.CardChannel
	signer   *attrcert.Certificate
	close    func()
}

func setUp(o *options, logger *slog.Logger) (*workstation, error) {
	if o.kpsis != "" {
		w := &workstation{kpsisURL: o.kpsis, close: func() {},
			channel: terminal.NewClientProgramChannel(o.clientProgram)}
		if o.certificate != "" {
			cert, err := readCertificate(o.certificate)
			if err != nil {
				return nil, err
			}
			w.signer = cert
		}
		return w, nil
	}

	s, err := stack.Start(stack.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	if err := s.ClientProgram.InsertCard(o.person); err != nil {
		_ = s.Close()
		return nil, err
	}
	signer, err := attrcert.ParseCertificate(s.Card(o.person).SignerCertificate())
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	logger.Info("fake stack started", "kpsis_terminal", s.KPSISTerminalURL,
		"client_program", s.ClientProgramURL, "person", o.person)
	return &workstation{kpsisURL: s.KPSISTerminalURL, signer: signer,
		channel: terminal.NewClientProgramChannel(s.ClientProgramURL),
		close:   func() { _ = s.Close() }}, nil
}

func readCertificate(path string) (*attrcert.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if block, _ := pem.Decode(data); block != nil {
		data = block.Bytes
	}
	return attrcert.ParseCertificate(data)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	w, err := setUp(o, logger)
	if err != nil {
		return err
	}
	defer w.close()
	session, err := terminal.NewSession(terminal.Config{KPSISURL: w.kpsisURL,
		Channel: w.channel, Logger: logger})
	if err != nil {
		return err
	}

	err = session.Open(ctx)
	if o.command == "status" {
		printStatus(stdout, session)
	}
	if err != nil {
		return err
	}
	defer func() {
		if err := session.Close(context.WithoutCancel(ctx)); err != nil {
			logger.Warn("closing the card session failed", "error", err)
		}
	}()

	switch o.command {
	case "read":
		data, err := session.ReadPersonalData(ctx)
		if err != nil {
			return err
		}
		printPersonalData(stdout, data)
	case "sign":
		return sign(ctx, stdout, session, o.args[0], w.signer)
	}
	return nil
}

func printStatus(out io.Writer, s *terminal.Session) {
	cert := s.TerminalCertificate()
	status, ok := s.TerminalCertificateStatus()
	if cert == nil || !ok {
		return
	}
	fmt.Fprintf(out, "terminal certificate %s, issued by %s\n", cert.HolderReference,
		cert.AuthorityReference)
	fmt.Fprintf(out, "valid %s to %s: %s, %d days left\n",
		cert.EffectiveDate.Format(time.DateOnly), cert.ExpirationDate.Format(time.DateOnly),
		status.State, status.DaysLeft)
	fmt.Fprintf(out, "rights: %v\n", cert.Rights)
}

func printPersonalData(out io.Writer, d *terminal.PersonalData) {
	rows := [][2]string{
		{"Family name", join(d.Belarusian.Family, d.Russian.Family, d.Latin.Family)},
		{"Given name", join(d.Belarusian.Given, d.Russian.Given, d.Latin.Given)},
		{"Middle name", join(d.Belarusian.Middle, d.Russian.Middle, d.Latin.Middle)},
		{"Personal number", d.PersonalNumber.String()},
		{"Birth date", date(d.BirthDate)},
		{"Sex", d.Sex.String()},
		{"Place of birth", join(d.PlaceOfBirthBelarusian, d.PlaceOfBirthRussian)},
		{"Citizenship", d.Citizenship},
		{"Document", strings.TrimSpace(d.DocumentType + " " + d.DocumentNumber)},
		{"Issued", date(d.DateOfIssuance)},
		{"Issued by", d.IssuanceBoard},
		{"Expires", date(d.DateOfExpiry)},
	}
	for _, r := range rows {
		fmt.Fprintf(out, "%-16s %s\n", r[0]+":", r[1])
	}
	for _, key := range slices.Sorted(maps.Keys(d.Extra)) {
		fmt.Fprintf(out, "%-16s %s\n", key+":", d.Extra[key])
	}
}

func sign(ctx context.Context, out io.Writer, s *terminal.Session, path string,
	signer *attrcert.Certificate) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sig, err := s.Sign(ctx, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "signature (%s, %d bytes):\n%s\n", sig.Format, len(sig.Raw),
		base64.StdEncoding.EncodeToString(sig.Raw))

	if signer == nil && sig.Format == terminal.SignatureCMS {
		if signer, err = sig.SignerCertificate(); err == nil {
			fmt.Fprintln(out, "using the certificate in the signature; its chain is not checked")
		}
	}
	if signer == nil {
		fmt.Fprintln(out, "not verified: no certificate of the card holder (see -certificate)")
		return nil
	}
	if err := sig.Verify(data, signer); err != nil {
		return err
	}
	fmt.Fprintf(out, "verified under the certificate of %s (serial number %s)\n",
		signer.X509.Subject.CommonName, signer.X509.SerialNumber)
	return nil
}

func join(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " / ")
}

// date writes a card date as YYYY-MM-DD, with ?? for an unknown month or day.
func date(d terminal.CardDate) string {
	if d.IsZero() {
		return ""
	}
	part := func(n int) string {
		if n == 0 {
			return "??"
		}
		return fmt.Sprintf("%02d", n)
	}
	return fmt.Sprintf("%04d-%s-%s", d.Year, part(d.Month), part(d.Day))
}
