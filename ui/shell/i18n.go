package shell

import (
	"encoding/json"
	"log/slog"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"casreset/assets"
)

// langEnglish is the tag of the default language, which the wizard
// speaks when nothing else fits.
var langEnglish = assets.Default().Tag

// Translator looks up the app's text in the current language.
//
// Fyne's lang package reads the same files, but it picks its language once
// from the operating system and offers no way to change it while the app
// runs, and a shared staff-room PC must switch at any step. So the wizard
// keeps its own localizers over the same go-i18n bundle format and the same
// embedded JSON, one per language, and switches between them.
type Translator struct {
	lang       string
	localizers map[string]*i18n.Localizer
	log        *slog.Logger
	missing    sync.Map // keys already reported missing
}

// bundle parses the embedded translations once.
var bundle = sync.OnceValues(func() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range assets.Languages() {
		data, err := l.Translations()
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, l.Tag+".json"); err != nil {
			return nil, err
		}
	}
	return b, nil
})

func NewTranslator(lang string, log *slog.Logger) *Translator {
	b, err := bundle()
	if err != nil {
		// The files are embedded and tested; this is a build defect.
		panic("ui: translations: " + err.Error())
	}
	t := &Translator{localizers: map[string]*i18n.Localizer{}, log: log}
	for _, l := range assets.Languages() {
		t.localizers[l.Tag] = i18n.NewLocalizer(b, l.Tag)
	}
	t.SetLang(lang)
	return t
}

// SupportedLang maps any tag ("zh", "zh-Hant-HK", "en-GB") to the tag of
// the language of the table that fits it best; the default when none does.
func SupportedLang(tag string) string { return assets.Match(tag).Tag }

// SetLang switches to lang, any tag (SupportedLang picks the language).
func (t *Translator) SetLang(lang string) { t.lang = SupportedLang(lang) }

// Lang is the tag of the current language.
func (t *Translator) Lang() string { return t.lang }

// T returns the text of key, its template filled from data (pairs of field
// name and value); numbers are written as the language writes them.
func (t *Translator) T(key string, data ...any) string {
	return t.localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: t.pairs(data)})
}

// N is T for a text with plural forms; data gets Count = count.
func (t *Translator) N(key string, count int, data ...any) string {
	d := t.pairs(data)
	if d == nil {
		d = map[string]any{}
	}
	d["Count"] = t.language().Number(int64(count))
	return t.localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: d})
}

// language is the row of the table of the current language.
func (t *Translator) language() assets.Language { return assets.Match(t.lang) }

// Has reports whether key has a text, in the current language or in
// English. Texts named after a service's data (a rule id) may not.
func (t *Translator) Has(key string) bool {
	_, tag, _ := t.localizers[t.lang].LocalizeWithTag(&i18n.LocalizeConfig{MessageID: key})
	return tag != language.Und
}

func (t *Translator) localize(cfg *i18n.LocalizeConfig) string {
	s, err := t.localizers[t.lang].Localize(cfg)
	if err != nil {
		if _, seen := t.missing.LoadOrStore(t.lang+"/"+cfg.MessageID, true); !seen {
			t.log.Error("translation missing", "lang", t.lang, "key", cfg.MessageID, "err", err)
		}
		return cfg.MessageID
	}
	return s
}

// pairs turns field names and values into template data, with whole
// numbers written in the current language.
func (t *Translator) pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if n, ok := v.(int); ok {
			v = t.language().Number(int64(n))
		}
		m[kv[i].(string)] = v
	}
	return m
}

// Sentences puts two sentences one after the other: with a space between
// them in a language written with spaces, without one in Chinese.
func (t *Translator) Sentences(first, second string) string {
	if t.language().Script == "Latn" {
		return first + " " + second
	}
	return first + second
}
