package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/skip2/go-qrcode"
	"golang.org/x/term"

	"casreset/api"
	"casreset/service"
)

// stdin is where the operators' passwords are read from; tests replace it.
var stdin *os.File = os.Stdin

func operatorsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("operators: say add, list, remove or reset-totp (resetd operators add --help)")}
	}
	switch args[0] {
	case "add":
		return addOperator(ctx, args[1:], getenv, stdout, stderr)
	case "list":
		return listOperators(ctx, args[1:], getenv, stdout, stderr)
	case "remove":
		return removeOperator(ctx, args[1:], getenv, stdout, stderr)
	case "reset-totp":
		return resetOperatorTOTP(ctx, args[1:], getenv, stdout, stderr)
	}
	return usageError{fmt.Errorf("operators: unknown subcommand %q (add, list, remove or reset-totp)", args[0])}
}

// operatorFlags are the flags of the subcommands that seal TOTP secrets:
// the database and the code key they are sealed with, which must be the
// one resetd serve has.
type operatorFlags struct {
	storeFlags
	codeKeyFile string
	qr          string
	staffCase   api.StaffNumberCase // of --staff-number
}

func (f *operatorFlags) define(c *command, enrols bool) {
	f.storeFlags.define(c)
	if !enrols {
		return
	}
	c.fs.StringVar(&f.codeKeyFile, "code-key-file", "", "`file` of the code key, as resetd serve --code-key-file: TOTP secrets are sealed with a key derived from it, so give the same file (or none) as serve has")
	c.fs.StringVar(&f.qr, "qr", "auto", "print the TOTP QR code in the terminal: `auto` (when the output is a terminal), always or never")
}

// service opens the store and a service over it, with the code key.
func (f *operatorFlags) service(ctx context.Context, mustExist bool) (*service.Service, service.Store, error) {
	cfg := service.DefaultConfig()
	if f.staffCase != "" {
		cfg.StaffNumberCase = f.staffCase
	}
	if f.codeKeyFile != "" {
		var err error
		if cfg.CodeKey, err = readCodeKey(f.codeKeyFile); err != nil {
			return nil, nil, err
		}
	}
	store, err := f.open(ctx, mustExist)
	if err != nil {
		return nil, nil, err
	}
	svc, err := service.New(cfg, store, nil, nil, nil)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return svc, store, nil
}

const operatorsAbout = "Local operators sign in to the help desk (casreset --helpdesk) with a password and\n" +
	"the 6-digit code of an authenticator app (TOTP, RFC 6238). With LDAP configured, members\n" +
	"of --helpdesk-group sign in with their directory password instead and need no entry here."

func addOperator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f operatorFlags
	var fromStdin bool
	var staff string
	var staffCase api.StaffNumberCase
	def := service.DefaultOperatorAuthConfig()
	c := newCommand("operators add", "resetd operators add --data DIR [--password-stdin] NAME",
		operatorsAbout+"\n\n"+
			"Adds a local operator. NAME is 1 to 64 of a-z 0-9 . _ - @ (letters are folded to lower\n"+
			fmt.Sprintf("case). The password (at least %d characters) is asked twice on the terminal, or read\n", def.PasswordMinLength)+
			"once from standard input with --password-stdin. Prints the new TOTP secret, its\n"+
			"otpauth:// URI and a QR code for the operator's authenticator app: they are shown this\n"+
			"once only. Audited.",
		stderr)
	f.define(c, true)
	c.fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input (one line) instead of the terminal")
	c.fs.StringVar(&staff, "staff-number", "", "the operator's own staff `number`, if they have an account: the help desk refuses to act on it, by them or by other operators")
	defineStaffNumberCase(c, &staffCase)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("operators add takes one operator name")}
	}
	name, ok := service.NormalizeOperatorName(c.fs.Arg(0))
	if !ok {
		return usageError{fmt.Errorf("operators add: %q is not an operator name (1 to %d of a-z 0-9 . _ - @)", c.fs.Arg(0), service.OperatorNameMaxLength)}
	}
	if err := checkQR(f.qr); err != nil {
		return err
	}
	password, err := readNewPassword(name, fromStdin, stderr)
	if err != nil {
		return err
	}
	if staff != "" {
		if staff, err = staffNumberArg("operators add: --staff-number", staff, staffCase); err != nil {
			return err
		}
	}
	f.staffCase = staffCase
	svc, store, err := f.service(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	en, err := svc.AddOperator(ctx, cliClient("resetd operators add"), service.NewOperator{Name: name, Password: password, StaffNumber: staff}, commandLineUser())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added local operator %s\n", name)
	return printEnrolment(stdout, en, f.qr)
}

func resetOperatorTOTP(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f operatorFlags
	c := newCommand("operators reset-totp", "resetd operators reset-totp --data DIR NAME",
		"Gives a local operator a new TOTP secret (a lost or new phone) and ends their sessions;\n"+
			"the old secret's codes stop working at once. Prints the new secret, its URI and QR\n"+
			"code, shown this once only. Audited.",
		stderr)
	f.define(c, true)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("operators reset-totp takes one operator name")}
	}
	if err := checkQR(f.qr); err != nil {
		return err
	}
	svc, store, err := f.service(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	en, err := svc.ResetOperatorTOTP(ctx, cliClient("resetd operators reset-totp"), c.fs.Arg(0), commandLineUser())
	if errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("no local operator is named %q", c.fs.Arg(0))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new TOTP secret for %s; their sessions have ended\n", c.fs.Arg(0))
	return printEnrolment(stdout, en, f.qr)
}

func removeOperator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f operatorFlags
	c := newCommand("operators remove", "resetd operators remove --data DIR NAME",
		"Removes a local operator and ends their sessions at once. Audited.", stderr)
	f.define(c, false)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 1 {
		return usageError{errors.New("operators remove takes one operator name")}
	}
	svc, store, err := f.service(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	err = svc.RemoveOperator(ctx, cliClient("resetd operators remove"), c.fs.Arg(0), commandLineUser())
	if errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("no local operator is named %q", c.fs.Arg(0))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed local operator %s\n", c.fs.Arg(0))
	return nil
}

func listOperators(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f operatorFlags
	c := newCommand("operators list", "resetd operators list --data DIR",
		"Lists the local operators (directory operators are the members of --helpdesk-group).", stderr)
	f.define(c, false)
	if err := c.parse(args, getenv); err != nil {
		return err
	}
	if c.fs.NArg() != 0 {
		return usageError{errors.New("operators list takes no arguments")}
	}
	svc, store, err := f.service(ctx, true)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.Operators(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no local operators")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTAFF NUMBER\tADDED (UTC)\tCHANGED (UTC)")
	for _, o := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", o.Name, orDefault(o.StaffNumber, "-"),
			o.CreatedAt.Format("2006-01-02 15:04"), o.UpdatedAt.Format("2006-01-02 15:04"))
	}
	return w.Flush()
}

// cliClient is the Client of an administration command, for the audit.
func cliClient(what string) service.Client { return service.Client{UserAgent: what} }

// maxPasswordInput bounds what --password-stdin reads.
const maxPasswordInput = 4096

// readNewPassword reads the operator's password: one line of standard
// input with --password-stdin, otherwise twice from the terminal without
// echo. The service checks the policy.
func readNewPassword(name string, fromStdin bool, stderr io.Writer) (string, error) {
	if fromStdin {
		b, err := io.ReadAll(io.LimitReader(stdin, maxPasswordInput+1))
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if len(b) > maxPasswordInput {
			return "", errors.New("the password on standard input is too long")
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		return string(bytes.TrimSuffix(line, []byte("\r"))), nil
	}
	fd := int(stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", usageError{errors.New("operators add: no terminal to ask the password on; give it on standard input with --password-stdin")}
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		return string(b), err
	}
	first, err := ask("Password for " + name + ": ")
	if err != nil {
		return "", err
	}
	again, err := ask("The same again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", errors.New("the two passwords differ; nothing was added")
	}
	return first, nil
}

func checkQR(mode string) error {
	switch mode {
	case "auto", "always", "never":
		return nil
	}
	return usageError{fmt.Errorf("--qr %q: say auto, always or never", mode)}
}

// printEnrolment prints the TOTP secret, its URI and, as mode says, its
// QR code.
func printEnrolment(w io.Writer, en service.TOTPEnrolment, mode string) error {
	fmt.Fprintf(w, "totp_secret: %s\n", en.Secret)
	fmt.Fprintf(w, "totp_uri: %s\n", en.URI)
	if mode == "always" || (mode == "auto" && isTerminal(w)) {
		q, err := qrcode.New(en.URI, qrcode.Medium)
		if err != nil {
			return fmt.Errorf("QR code: %w", err)
		}
		fmt.Fprint(w, q.ToSmallString(false))
	}
	fmt.Fprintln(w, "Load it into the operator's authenticator app now: it is not shown again.")
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
