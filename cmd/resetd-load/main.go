// Command resetd-load puts resetd under load and reports how fast it is
// against its floor (make load). It runs, on SQLite and on a throw-away
// PostgreSQL, many complete reset flows at once with the real client over
// TLS (CAPTCHA, image, start, code from the outbox, verify, new password),
// each endpoint alone in lock step, and starts for known and unknown staff
// numbers; then it checks that every account's stored password is its last
// successful change. The floor, in the same run, is the smallest Go HTTPS
// server under the same load and the Argon2id hash alone.
//
// Everything listens on 127.0.0.1 and lives in temporary directories; the
// counts are bounded by flags and the whole run by -timeout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"casreset/service"
)

// options are the command's flags.
type options struct {
	flows    int // complete flows in the end-to-end run
	accounts int // accounts imported (and flows in the lock-step run)
	users    int // simulated PCs at once
	requests int // requests per user against the stateless endpoint and the floor
	starts   int // starts of each kind in the timing comparison
	hashes   int // Argon2id hashes for the floor
	engines  []string
	timeout  time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "resetd-load:", err)
		}
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("resetd-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.flows, "flows", 400, "complete flows in the end-to-end run")
	fs.IntVar(&o.accounts, "accounts", 200, "accounts to import (each also gets one flow in the lock-step run)")
	fs.IntVar(&o.users, "users", 16, "simulated PCs at once, each with its own TLS connection")
	fs.IntVar(&o.requests, "requests", 100, "requests per user to GET /v1/policy and to the floor server")
	fs.IntVar(&o.starts, "starts", 50, "starts of each kind (known, unknown staff number) in the timing comparison")
	fs.IntVar(&o.hashes, "hashes", 40, "Argon2id hashes for the hashing floor")
	engines := fs.String("engines", "sqlite,postgres", "databases to run on, comma-separated: sqlite, postgres")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "bound on the whole run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.engines = strings.Split(*engines, ",")
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.users < 1 || o.accounts < o.users || o.flows < 1 || o.requests < 1 || o.starts < 1 || o.hashes < 1:
		return o, errors.New("every count must be positive, and -accounts at least -users")
	case o.flows+o.accounts > 10*o.accounts:
		// Each flow sends one code; the service allows 10 per account a day.
		return o, errors.New("more than 10 flows per account would run into the daily send limit: raise -accounts")
	case o.timeout <= 0:
		return o, errors.New("-timeout must be positive")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout io.Writer, stderr *os.File) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	rep := report{opts: o, started: time.Now(), load: loadAverage()}

	cfg := service.DefaultConfig()
	progress(stderr, "Argon2id alone: %d hashes, %d at a time", o.hashes, cfg.MaxConcurrentHashes)
	if rep.hash, err = measureHash(ctx, cfg.PasswordHash, cfg.MaxConcurrentHashes, o.hashes); err != nil {
		return fmt.Errorf("hash floor: %w", err)
	}
	progress(stderr, "HTTPS floor: %d users × %d requests", o.users, o.requests)
	if rep.floor, err = measureFloor(ctx, cfg, o); err != nil {
		return fmt.Errorf("HTTPS floor: %w", err)
	}
	for _, engine := range o.engines {
		res, err := runEngine(ctx, strings.TrimSpace(engine), o, stderr)
		if err != nil {
			return err
		}
		rep.engines = append(rep.engines, res)
	}
	rep.write(stdout)
	for _, e := range rep.engines {
		if len(e.integ.problems) > 0 {
			return fmt.Errorf("%s: %d accounts do not hold their last change", e.engine, len(e.integ.problems))
		}
	}
	return ctx.Err()
}

func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "resetd-load: "+format+"\n", args...)
}
