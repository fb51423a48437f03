// Command resetd is the password-reset service: `resetd serve` runs it, and
// the other subcommands manage its accounts and read its audit log.
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

	// The organisation's time zone must load on servers without a zone
	// database (minimal containers).
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintf(os.Stderr, "resetd: %v\n", err)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "resetd: %v\n", err)
		os.Exit(1)
	}
}

const topUsage = `Usage: resetd <command> [flags]

resetd is the staff password-reset service (the v1 HTTPS API).

Commands:
  serve              run the service
  accounts import    upsert accounts from a CSV file (all or nothing)
  accounts show N    show one account: masked contacts, eligibility, last change
  accounts unlock N  lift an account's limits and end its open flows (audited)
  operators add N    add a local help-desk operator (password and TOTP)
  operators list     list the local help-desk operators
  operators remove N remove a local operator and end their sessions
  operators reset-totp N  give a local operator a new TOTP secret
  audit              print audit events, by staff number or reference
  backup FILE        copy the SQLite database while the service runs
  version            print the version

"resetd <command> --help" lists the command's flags. Every flag can also be
set with an environment variable RESETD_<FLAG> (e.g. RESETD_ADDR).
`

// run is the whole program; args exclude the program name. Tests call it
// with their own environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return usageError{errors.New("no command given")}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "accounts":
		return accountsCmd(ctx, rest, getenv, stdout, stderr)
	case "operators":
		return operatorsCmd(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return audit(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, rest, getenv, stdout, stderr)
	case "version", "--version":
		return printVersion(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, topUsage)
		return nil
	default:
		fmt.Fprint(stderr, topUsage)
		return usageError{fmt.Errorf("unknown command %q", cmd)}
	}
}
