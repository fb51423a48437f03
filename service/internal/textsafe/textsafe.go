// Package textsafe turns bytes a client sent (header values) into text the
// log and the audit may keep. The HTTP adapter and the domain share it so
// that both clean a value the same way.
package textsafe

import (
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
