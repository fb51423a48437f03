package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"casreset/assets"
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
		if l, ok := f.Value.(repeatable); ok {
			items = strings.Split(v, l.envSeparator())
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

// repeatable is a flag that may be given more than once; its environment
// variable holds the items separated by envSeparator.
type repeatable interface{ envSeparator() string }

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

func (l *listValue) envSeparator() string { return l.envSep }

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

// namesValue is a name given for every language or per language of the
// table: "Example College", or "zh-HK=示例學院" for one language. It may
// be repeated; its environment variable holds one per line.
type namesValue struct {
	all    *string
	byLang *map[string]string
}

// namesUsage is the help of a namesValue flag, after what it names.
func namesUsage(what string) string {
	return what + "; repeat as LANGUAGE=NAME for its name in one language (" + strings.Join(assets.Tags(), ", ") + "; one per line in the environment)"
}

func (n namesValue) envSeparator() string { return "\n" }

func (n namesValue) String() string {
	if n.all == nil {
		return ""
	}
	return *n.all
}

func (n namesValue) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil // an empty line of the environment variable
	}
	tag, name, ok := strings.Cut(v, "=")
	if tag = strings.TrimSpace(tag); !ok || !languageTagShape.MatchString(tag) {
		*n.all = v
		return nil
	}
	l, known := assets.Lookup(tag)
	if !known {
		return fmt.Errorf("%q is not a language of resetd: use one of %s", tag, strings.Join(assets.Tags(), ", "))
	}
	if name = strings.TrimSpace(name); name == "" {
		return fmt.Errorf("the name in %s is empty", l.Tag)
	}
	if *n.byLang == nil {
		*n.byLang = map[string]string{}
	}
	(*n.byLang)[l.Tag] = name
	return nil
}

// languageTagShape is what a BCP 47 tag looks like ("en", "zh-HK",
// "zh-Hans"), so that a name such as "A=B College" is a name.
var languageTagShape = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
