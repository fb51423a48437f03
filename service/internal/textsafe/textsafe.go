// Package textsafe turns bytes a client sent (header values) into text the
// log and the audit may keep, and that text into what a terminal may show.
// The HTTP adapter and the domain share it so that both clean a value the
// same way.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s as valid UTF-8 without control characters, cut to
// at most max bytes on a character boundary: a header is bytes, the log and
// the audit keep text (and PostgreSQL refuses NUL and invalid UTF-8 in it).
func Printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if len(s) > max {
		s = s[:max]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// Escape returns s with the backslash and every character that is not
// graphic written as an escape (\\, \u0009, \u202E, \U000E0001): control
// and format characters (the bidirectional overrides and isolates among
// them, and zero-width ones), line and paragraph separators, private-use,
// unassigned and non-characters. Text a client sent then shows as what it
// is: it cannot reverse or end a terminal's line, or hide characters in it.
// Printable keeps such characters (but controls), for they are what was
// sent; this is for showing it.
func Escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, mustEscape) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case !mustEscape(r):
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	return b.String()
}

func mustEscape(r rune) bool { return r == '\\' || r != ' ' && !unicode.IsGraphic(r) }
