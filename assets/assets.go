// Package assets holds what the programs embed and the table of the
// languages they speak (languages.go): the icon, and per language the
// wizard's translations, its help text and the texts of the messages
// resetd sends. It has no dependencies so that the app, the service and
// their tests read the same bytes.
package assets

import (
	"embed"
	_ "embed"
)

// Translations holds translations/TAG.json for each language, in the flat
// key → text format of fyne.io/fyne/v2/lang (go-i18n JSON): a value is
// either a string or an object of plural forms ("one", "other").
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the directory of Translations that holds the files.
const TranslationsDir = "translations"

// Help holds help/TAG.md for each language, the "how to use" page.
//
//go:embed help/*.md
var Help embed.FS

// HelpDir is the directory of Help that holds the files.
const HelpDir = "help"

// Messages holds messages/TAG/ for each language: the Go templates of
// the SMS and e-mails resetd sends, one file per message
// (service/delivery says which files and what they are given).
//
//go:embed messages
var Messages embed.FS

// MessagesDir is the directory of Messages that holds the languages'.
const MessagesDir = "messages"

// IconPNG is the application icon (256×256), rendered from icon.svg.
//
//go:embed icon.png
var IconPNG []byte
