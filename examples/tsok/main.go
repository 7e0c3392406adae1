// Command tsok manages the technological certificate of a КПСИС (ТСОК):
// it has the КПСИС generate the key and the certificate request, checks a
// request file against the ТСОК profile before it goes to the operator,
// and prints the expiry status of an issued certificate.
//
//	go run ./examples/tsok request -out tsok.csr
//	go run ./examples/tsok request -kpsis-keygen http://10.0.0.5:9999 \
//		-passwords-file holders.txt -cn kpsis.example.by -organization 'ОАО «Пример»' ...
//	go run ./examples/tsok check tsok.csr
//	go run ./examples/tsok status tsok.cer
//
// Without -kpsis-keygen, request starts a fake КПСИС on 127.0.0.1 and uses
// demo data, so the command runs without a real installation.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
		fmt.Fprintln(os.Stderr, "tsok:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  tsok request [flags]   have the КПСИС generate the ТСОК key and request file
  tsok check FILE        check a request file against the ТСОК profile
  tsok status FILE       print the expiry status of an issued ТСОК
Run "tsok COMMAND -h" for the flags of a command.`

// run executes one subcommand. It returns flag.ErrHelp after printing
// help, and an error for a failure or a check that did not pass.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("a command is required: request, check or status")
	}
	switch args[0] {
	case "request":
		return runRequest(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "status":
		return runStatus(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return flag.ErrHelp
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q (expected request, check or status)", args[0])
}

// fileArgument parses the flags of a command that takes one file.
func fileArgument(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", fmt.Errorf("%s: expected one FILE argument, got %d", fs.Name(), fs.NArg())
	}
	return fs.Arg(0), nil
}
