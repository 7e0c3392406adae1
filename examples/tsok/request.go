package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/esiful/sdk-go/ifyul/tsok"
	"github.com/esiful/sdk-go/internal/fake/kpsis"
)

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type requestFlags struct {
	keygenURL      string
	out            string
	passwordsFile  string
	responseFields listFlag
	request        tsok.KeygenRequest
	san            listFlag
}

func parseRequestFlags(args []string, stderr io.Writer) (*requestFlags, error) {
	f := &requestFlags{}
	info := &f.request.CertReqParam.CertInfo
	key := &f.request.KeyParam
	fs := flag.NewFlagSet("request", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.keygenURL, "kpsis-keygen", "", "base URL of the КПСИС key-generation API, "+
		"such as http://10.0.0.5:9999 (default: a fake КПСИС started on 127.0.0.1, with demo data)")
	fs.StringVar(&f.out, "out", "tsok-request.pem", "file to write the request to (PEM)")
	fs.StringVar(&f.passwordsFile, "passwords-file", "", "file with one password per line, "+
		"one for each holder (required with -kpsis-keygen)")

	fs.IntVar(&key.Users, "users", 5, "number of password holders (users_num)")
	fs.IntVar(&key.Threshold, "threshold", 3, "holders needed to unlock the key (treshold_num)")
	fs.IntVar(&key.IterationCount, "iterations", 10000, "PBKDF2 iteration count (iteration_count)")
	fs.BoolVar(&f.request.SaveToFile, "save-to-file", false,
		"have the КПСИС also save the request on its host (save_to_file)")

	fs.StringVar(&info.CommonName, "cn", "", "common name: the КПСИС host's DNS name (common_name)")
	fs.StringVar(&info.Description, "description", "", "description of the system")
	fs.StringVar(&info.Organization, "organization", "", "organisation's short name")
	fs.StringVar(&info.State, "state", "", "region and district; empty for a regional centre")
	fs.StringVar(&info.Locality, "locality", "", "settlement, such as 'г. Минск'")
	fs.StringVar(&info.Street, "street", "", "street, house and office")
	fs.StringVar(&info.Email, "email", "", "contact e-mail address")
	fs.Var(&f.san, "san", "subjectAltName entry: DNS name, IP address or URI (repeatable)")

	fs.Var(&f.responseFields, "response-field", "JSON field of the response that carries the "+
		"request (repeatable; default cert_req, a guess: the real field is not public)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() != 0 {
		return nil, fmt.Errorf("request: unexpected argument %q", fs.Arg(0))
	}
	info.SubjectAltName = f.san
	return f, nil
}

// runRequest has the КПСИС generate the key and the request, writes the
// request file and checks it against the profile.
func runRequest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseRequestFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.keygenURL == "" {
		stop, err := startFakeKeygen(f)
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(stdout, "using a fake КПСИС at %s with demo data\n", f.keygenURL)
	}
	if f.passwordsFile != "" {
		if f.request.KeyParam.Passwords, err = readPasswords(f.passwordsFile); err != nil {
			return err
		}
	}
	if len(f.request.KeyParam.Passwords) == 0 {
		return fmt.Errorf("request: -passwords-file is required with -kpsis-keygen")
	}

	client := &tsok.KeygenClient{URL: f.keygenURL}
	if len(f.responseFields) > 0 {
		format := tsok.DefaultResponseFormat
		format.RequestFields = f.responseFields
		client.Format = &format
	}
	generated, err := client.GenerateRequest(ctx, f.request)
	if err != nil {
		return err
	}
	if err := os.WriteFile(f.out, tsok.EncodePEM(generated.Request.Raw), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the request to %s\n", f.out)
	return checkRequest(generated.Request.Raw, f.out, stdout)
}

// readPasswords reads one password per line, skipping empty lines.
func readPasswords(path string) ([]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var passwords []string
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if line := strings.TrimRight(scanner.Text(), "\r"); line != "" {
			passwords = append(passwords, line)
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return passwords, nil
}

// startFakeKeygen serves the fake key-generation API on a free loopback
// port, points f at it and fills what f leaves empty with demo data.
func startFakeKeygen(f *requestFlags) (stop func(), err error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: kpsis.NewKeygen(kpsis.KeygenConfig{}),
		ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(listener) }()
	f.keygenURL = "http://" + listener.Addr().String()

	info := &f.request.CertReqParam.CertInfo
	for _, field := range []struct {
		value *string
		demo  string
	}{
		{&info.CommonName, "kpsis.example.by"},
		{&info.Description, "КПСИС демонстрационной системы"},
		{&info.Organization, "ОАО «Пример»"},
		{&info.Locality, "г. Минск"},
		{&info.Street, "ул. Примерная, д. 1"},
		{&info.Email, "admin@example.by"},
	} {
		if *field.value == "" {
			*field.value = field.demo
		}
	}
	if len(info.SubjectAltName) == 0 {
		info.SubjectAltName = []string{info.CommonName}
	}
	if f.passwordsFile == "" {
		for range f.request.KeyParam.Users {
			f.request.KeyParam.Passwords = append(f.request.KeyParam.Passwords, randomPassword())
		}
	}
	return func() { _ = srv.Close() }, nil
}

// randomPassword returns a password for the fake. The fake keeps the key
// in memory only, so nobody needs the password later.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
