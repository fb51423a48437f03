package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// envName is the environment variable of a flag: RESETD_ and the flag's
// name in upper case with dashes as underscores (--smtp-addr is
// RESETD_SMTP_ADDR).
func envName(flagName string) string {
	return "RESETD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// envOnly documents a setting read only from the environment, for secrets
// that must not appear in a process listing.
type envOnly struct{ name, help string }

// command is one subcommand's flags and help.
type command struct {
	fs       *flag.FlagSet
	synopsis string // e.g. "resetd serve [flags]"
	about    string // a paragraph under the synopsis
	env      []envOnly
}

func newCommand(name, synopsis, about string, stderr io.Writer) *command {
	c := &command{fs: flag.NewFlagSet(name, flag.ContinueOnError), synopsis: synopsis, about: about}
	c.fs.SetOutput(stderr)
	c.fs.Usage = func() { c.usage(stderr) }
	return c
}

// parse reads args, then sets every flag not given on the command line from
// its environment variable, when that is set.
func (c *command) parse(args []string, getenv func(string) string) error {
	if err := c.fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	c.fs.VisitAll(func(f *flag.Flag) {
		env := envName(f.Name)
		v := getenv(env)
		if given[f.Name] || v == "" {
			return
		}
		items := []string{v}
		if l, ok := f.Value.(*listValue); ok {
			items = strings.Split(v, l.envSep)
		}
		for _, item := range items {
			if err := f.Value.Set(item); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", env, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return usageError{err}
	}
	return nil
}

// usage prints the synopsis and every flag with its default and
// environment variable.
func (c *command) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n", c.synopsis)
	if c.about != "" {
		fmt.Fprintf(w, "%s\n\n", c.about)
	}
	n := 0
	c.fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "Flags (each also read from the environment variable shown):")
	}
	c.fs.VisitAll(func(f *flag.Flag) {
		arg, help := flag.UnquoteUsage(f)
		if _, ok := f.Value.(boolFlag); ok {
			arg = ""
		}
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintf(w, "%s\n", line)
		fmt.Fprintf(w, "        %s", help)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "\n        env %s\n", envName(f.Name))
	})
	if len(c.env) > 0 {
		fmt.Fprintln(w, "\nEnvironment only (never on the command line):")
		for _, e := range c.env {
			fmt.Fprintf(w, "  %s\n        %s\n", e.name, e.help)
		}
	}
}

type boolFlag interface{ IsBoolFlag() bool }

// listValue is a flag that may be given more than once; its environment
// variable holds the items separated by envSep.
type listValue struct {
	items  *[]string
	envSep string
}

func (l *listValue) String() string {
	if l == nil || l.items == nil {
		return ""
	}
	return strings.Join(*l.items, l.envSep)
}

func (l *listValue) Set(v string) error {
	v = strings.TrimSpace(v)
	if v != "" {
		*l.items = append(*l.items, v)
	}
	return nil
}

// usageError marks mistakes in the command line, which exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }
