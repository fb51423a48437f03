package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"text/tabwriter"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/accounts"
	"casreset/service/server"
)

func accountsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("accounts: say import, show or unlock (resetd accounts import --help)")}
	}
	switch args[0] {
	case "import":
		return importAccounts(ctx, args[1:], getenv, stdout, stderr)
	case "show":
		return showAccount(ctx, args[1:], getenv, stdout, stderr)
	case "unlock":
		return unlockAccount(ctx, args[1:], getenv, stdout, stderr)
	}
	return usageError{fmt.Errorf("accounts: unknown subcommand %q (import, show or unlock)", args[0])}
}

// storeFlags are the flags every subcommand that opens the database has.
type storeFlags struct{ data, db string }

func (s *storeFlags) define(c *command) {
	c.fs.StringVar(&s.data, "data", "", "`directory` of the service's data (as resetd serve --data)")
	c.fs.StringVar(&s.db, "db", "", "PostgreSQL `URL` (as resetd serve --db)")
}

func (s *storeFlags) open(ctx context.Context, mustExist bool) (service.Store, error) {
	store, _, err := server.OpenStore(ctx, s.data, s.db, mustExist)
	return store, err
}

// defineStaffNumberCase defines --staff-number-case. Every command that
// reads staff numbers has it, under one environment variable, so that the
// import, the look-ups of serve and the look-ups of IT read them alike.
func defineStaffNumberCase(c *command, v *api.StaffNumberCase) {
	c.fs.TextVar(v, "staff-number-case", api.StaffNumberCaseSensitive,
		"staff numbers' letter `case`: sensitive (kept as typed; the database compares exactly) or insensitive "+
			"(turned to upper case wherever a number comes in: import, step 1, look-ups); give every resetd command the same value")
}

// staffNumberArg reads a staff number given on the command line the way the
// service reads one typed at step 1.
func staffNumberArg(what, s string, staffCase api.StaffNumberCase) (string, error) {
	n, err := api.ParseStaffNumber(s, staffCase)
	if err != nil {
		return "", usageError{fmt.Errorf("%s %q is not a staff number (letters, digits and - _ ., at most %d)", what, s, api.StaffNumberMaxLength)}
	}
	return n, nil
}

func importAccounts(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	var staffCase api.StaffNumberCase
	c := newCommand("accounts import", "resetd accounts import --data DIR FILE.csv",
		"Upserts accounts (by staff number) from a CSV file with the header\n"+
			"  staff_number,name,mobile,email,contract_end_date\n"+
			"Staff numbers are letters, digits and - _ . (spaces and full-width characters are\n"+
			"normalised as at step 1); contract_end_date is YYYY-MM-DD or empty; mobile numbers\n"+
			"without a country code are Hong Kong (+852). All or nothing: if any line is bad,\n"+
			"nothing is imported and every bad line is listed with its number and reason.",
		stderr)
	sf.define(c)
	defineStaffNumberCase(c, &staffCase)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("accounts import takes one CSV file")}
	}
	f, err := os.Open(c.fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := accounts.ParseCSV(f, staffCase)
	if err != nil {
		return fmt.Errorf("%s: %w", c.fs.Arg(0), err)
	}

	store, err := sf.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	var added, updated int
	err = store.Update(ctx, func(tx service.Tx) error {
		added, updated = 0, 0
		for _, a := range list {
			_, err := tx.Account(a.StaffNumber)
			switch {
			case errors.Is(err, service.ErrNotFound):
				added++
			case err != nil:
				return err
			default:
				updated++
			}
			if err := tx.UpsertAccount(a); err != nil {
				return fmt.Errorf("staff number %s: %w", a.StaffNumber, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d account(s): %d new, %d updated\n", len(list), added, updated)
	return nil
}

func showAccount(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	var timeZone string
	var months int
	var staffCase api.StaffNumberCase
	def := service.DefaultConfig()
	c := newCommand("accounts show", "resetd accounts show --data DIR STAFF_NUMBER",
		"Shows one account: masked contacts, eligibility (with the last eligible day) and\n"+
			"the last password change made through the service. STAFF_NUMBER is read as step 1\n"+
			"reads it: spaces and full-width characters do not matter, nor letter case with\n"+
			"--staff-number-case insensitive.",
		stderr)
	sf.define(c)
	defineStaffNumberCase(c, &staffCase)
	c.fs.StringVar(&timeZone, "time-zone", "Asia/Hong_Kong", "the organisation's time `zone` (as resetd serve)")
	c.fs.IntVar(&months, "eligibility-months", def.EligibilityMonths, "`months` after the contract end date (as resetd serve)")
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("accounts show takes one staff number")}
	}
	staff, err := staffNumberArg("accounts show:", c.fs.Arg(0), staffCase)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return usageError{fmt.Errorf("--time-zone %q: %w", timeZone, err)}
	}
	store, err := sf.open(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	var a service.Account
	err = store.View(ctx, func(tx service.Tx) error {
		var err error
		a, err = tx.Account(staff)
		return err
	})
	if errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("no account has staff number %q", staff)
	}
	if err != nil {
		return err
	}

	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(w, "%s:\t%s\n", k, v) }
	row("Staff number", a.StaffNumber)
	row("Name", a.Name)
	row("Mobile", orNone(a.Mobile, service.MaskMobile))
	row("E-mail", orNone(a.Email, service.MaskEmail))
	row("Contract end", orDefault(a.ContractEnd, "none"))
	row("Eligible", eligibility(a, months, loc, time.Now()))
	if a.PasswordChangedAt.IsZero() {
		row("Last change", "never through this service")
	} else {
		row("Last change", a.PasswordChangedAt.In(loc).Format("2006-01-02 15:04 MST"))
	}
	return w.Flush()
}

func unlockAccount(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var sf storeFlags
	cfg := service.DefaultConfig()
	c := newCommand("accounts unlock", "resetd accounts unlock --data DIR STAFF_NUMBER",
		"Lifts the limits resetd holds against one account (its codes sent and its wrong\n"+
			"codes within their windows) and ends its open reset flows, so that its owner can\n"+
			"start again at step 1 at once. Do it once you know the person asking is the\n"+
			"owner. It is audited (event user_updated, naming the user and host that ran it).\n"+
			"Limits per client address stay. Works while the service runs.",
		stderr)
	sf.define(c)
	defineStaffNumberCase(c, &cfg.StaffNumberCase)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("accounts unlock takes one staff number")}
	}
	staff, err := staffNumberArg("accounts unlock:", c.fs.Arg(0), cfg.StaffNumberCase)
	if err != nil {
		return err
	}
	store, err := sf.open(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := service.New(cfg, store, nil, nil, nil)
	if err != nil {
		return err
	}
	got, err := svc.UnlockAccount(ctx, service.Client{UserAgent: "resetd accounts unlock"}, staff, commandLineUser())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "unlocked %s: %d counted sends and wrong codes forgotten, %d open flows ended\n", staff, got.Hits, got.Flows)
	return nil
}

// commandLineUser names who runs this command, for the audit.
func commandLineUser() string {
	name := fmt.Sprintf("uid %d", os.Getuid()) // a dynamic user is not in /etc/passwd
	if u, err := user.Current(); err == nil {
		name = "user " + u.Username
	}
	if host, err := os.Hostname(); err == nil {
		name += " on " + host
	}
	return "the command line (" + name + ")"
}

// eligibility says whether a may reset now and until when.
func eligibility(a service.Account, months int, loc *time.Location, now time.Time) string {
	if a.ContractEnd == "" {
		return "yes (no contract end date)"
	}
	last, err := service.LastEligibleDay(a.ContractEnd, months, loc)
	if err != nil {
		return "unknown: " + err.Error()
	}
	ok, _ := service.Eligible(a, months, loc, now)
	if ok {
		return "yes, through " + last.Format(service.DateLayout)
	}
	return "no, since " + last.AddDate(0, 0, 1).Format(service.DateLayout)
}

func orNone(v string, mask func(string) string) string {
	if v == "" {
		return "none"
	}
	return mask(v)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
