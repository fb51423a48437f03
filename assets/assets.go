// Package assets holds the files the desktop wizard embeds: the icon, the
// translations (English and Traditional Chinese, Hong Kong) and the help
// text. It has no dependencies so that both the app and its tests can read
// the same bytes.
package assets

import (
	"embed"
	_ "embed"
)

// Translations holds translations/en.json and translations/zh-HK.json, in
// the flat key → text format of fyne.io/fyne/v2/lang (go-i18n JSON): a
// value is either a string or an object of plural forms ("one", "other").
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the directory of Translations that holds the files.
const TranslationsDir = "translations"

// Help holds help/en.md and help/zh-HK.md, the "how to use" page.
//
//go:embed help/*.md
var Help embed.FS

// IconPNG is the application icon (256×256), rendered from icon.svg.
//
//go:embed icon.png
var IconPNG []byte
