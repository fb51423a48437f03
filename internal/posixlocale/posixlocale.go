// Package posixlocale gives the program a language when the system's
// locale is the POSIX one ("C.UTF-8", which Debian and many containers and
// remote sessions set): Fyne reads it as the language "C" and logs "Error
// parsing user locale C" at every start.
//
// Importing it is enough. Its init runs before Fyne's: Go initialises
// packages in the order of their import paths once their own imports are
// done, and this one imports only the standard library and sorts before
// fyne.io. It must import nothing else.
package posixlocale

import (
	"os"
	"strings"
)

// Fallback is the language a POSIX locale means to Fyne: the C locale's
// messages are English.
const Fallback = "en"

func init() { Apply(os.Getenv, os.Setenv) }

// Apply sets LANGUAGE to Fallback when the locale that decides the
// language of messages (LC_ALL, else LC_MESSAGES, else LANG) is the POSIX
// one with an encoding ("C.UTF-8", "POSIX.utf8") and LANGUAGE is unset.
// LANGUAGE is what Fyne's locale lookup reads next; C libraries ignore it
// under the C locale, so nothing else changes. The plain "C" and "POSIX"
// need nothing: Fyne reads them as no language.
func Apply(getenv func(string) string, setenv func(string, string) error) {
	if getenv("LANGUAGE") != "" {
		return
	}
	var locale string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	lang, _, hasEncoding := strings.Cut(locale, ".")
	if hasEncoding && (lang == "C" || lang == "POSIX") {
		_ = setenv("LANGUAGE", Fallback)
	}
}
