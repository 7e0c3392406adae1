package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/esiful/sdk-go/ifyul/tsok"
)

// runCheck checks a request file and prints every rule it breaks.
func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tsok check FILE\n\nChecks a certificate request file "+
			"(PEM, DER or base64) against the ТСОК profile.")
	}
	path, err := fileArgument(fs, args)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return checkRequest(data, path, stdout)
}

// checkRequest parses and checks a request, printing the result. It
// returns an error when the request does not parse, its signature fails,
// or it breaks a rule of SeverityError.
func checkRequest(data []byte, name string, stdout io.Writer) error {
	r, err := tsok.ParseRequest(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	violations, err := tsok.CheckProfile(r, nil)
	var profileErr *tsok.ProfileError
	if err != nil && !errors.As(err, &profileErr) {
		return fmt.Errorf("%s: %w", name, err)
	}

	printViolations(stdout, violations)
	if profileErr != nil {
		return fmt.Errorf("%s breaks the ТСОК profile: rules %v", name, profileErr.RuleIDs())
	}
	if len(violations) == 0 {
		fmt.Fprintf(stdout, "%s: the request keeps every rule of the ТСОК profile\n", name)
	} else {
		fmt.Fprintf(stdout, "%s: the request keeps the ТСОК profile, with %d warning(s)\n",
			name, len(violations))
	}
	return nil
}

func printViolations(w io.Writer, violations []tsok.Violation) {
	for _, v := range violations {
		fmt.Fprintf(w, "%-7s %s: %s\n", v.Severity, v.RuleID, v.Detail)
		fmt.Fprintf(w, "        %s\n        %s\n        (%s)\n", v.Message.Ru, v.Message.En,
			v.Source)
	}
}
