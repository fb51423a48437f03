package config

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with the configuration.
type Problem struct {
	// Policy is the policy value, such as
	// HKLM\Software\Policies\casreset\Server, for a problem of Group
	// Policy; File, Line and Key are then empty.
	Policy string
	// File is the configuration file; empty for the command line.
	File string
	// Line is the line of the file, from 1; zero when not known.
	Line int
	// Key is the key ("it_help.email") or the flag ("--server"); empty
	// for a syntax error that no key can be blamed for.
	Key string
	// Message says what is wrong and what would be right.
	Message string
}

// String is the problem as one line for a person:
// `C:\ProgramData\casreset\casreset.toml, line 4, key "server": …` or
// `Group Policy HKLM\Software\Policies\casreset\Server: …`.
func (p Problem) String() string {
	if p.Policy != "" {
		return "Group Policy " + p.Policy + ": " + p.Message
	}
	var where []string
	if p.File != "" {
		where = append(where, p.File)
	} else {
		where = append(where, "command line")
	}
	if p.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", p.Line))
	}
	switch {
	case strings.HasPrefix(p.Key, "-"):
		where = append(where, "flag "+p.Key)
	case p.Key != "":
		where = append(where, fmt.Sprintf("key %q", p.Key))
	}
	return strings.Join(where, ", ") + ": " + p.Message
}

// Error is a configuration that cannot be used: every problem found, in
// the order of the file, then those of the command line, then those of
// Group Policy.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
