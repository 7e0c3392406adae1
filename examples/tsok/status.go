package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/esiful/sdk-go/ifyul/tsok"
)

// runStatus prints the expiry status of an issued ТСОК.
func runStatus(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	warnDays := fs.Int("warn-days", int(tsok.DefaultWarnBefore/(24*time.Hour)),
		"days before expiry from which the renewal is due")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tsok status [-warn-days N] FILE\n\nPrints the expiry "+
			"status of an issued ТСОК (PEM or DER). Exits with status 1 when the certificate "+
			"has expired or is not yet valid.")
		fs.PrintDefaults()
	}
	path, err := fileArgument(fs, args)
	if err != nil {
		return err
	}
	if *warnDays <= 0 {
		return fmt.Errorf("status: -warn-days %d must be positive", *warnDays)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	cert, err := tsok.ReadCertificate(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	s := tsok.Status(cert, time.Now(), time.Duration(*warnDays)*24*time.Hour)
	fmt.Fprintf(stdout, "subject:    %s\nserial:     %s\nnot before: %s\nnot after:  %s\n"+
		"days left:  %d\nstate:      %s\n%s\n%s\n", s.Subject, s.SerialNumber,
		s.NotBefore.UTC().Format(time.RFC3339), s.NotAfter.UTC().Format(time.RFC3339),
		s.DaysLeft, s.State, s.Message().Ru, s.Message().En)
	if s.State == tsok.StateExpired || s.State == tsok.StateNotYetValid {
		return fmt.Errorf("%s: the ТСОК is %s", path, s.State)
	}
	return nil
}
