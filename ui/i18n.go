package ui

import (
	"encoding/json"
	"io/fs"
	"log/slog"
	"path"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"casreset/assets"
)

// Languages the wizard speaks, as BCP 47 tags; the file names of
// assets/translations.
const (
	langEnglish = "en"
	langChinese = "zh-HK"
)

// languages lists them in the order the switch offers them.
var languages = []string{langEnglish, langChinese}

// translator looks up the wizard's text in the current language.
//
// Fyne's lang package reads the same files, but it picks its language once
// from the operating system and offers no way to change it while the app
// runs, and a shared staff-room PC must switch at any step. So the wizard
// keeps its own localizers over the same go-i18n bundle format and the same
// embedded JSON, one per language, and switches between them.
type translator struct {
	lang       string
	localizers map[string]*i18n.Localizer
	log        *slog.Logger
	missing    sync.Map // keys already reported missing
}

// bundle parses the embedded translations once.
var bundle = sync.OnceValues(func() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range languages {
		name := path.Join(assets.TranslationsDir, l+".json")
		data, err := fs.ReadFile(assets.Translations, name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, name); err != nil {
			return nil, err
		}
	}
	return b, nil
})

func newTranslator(lang string, log *slog.Logger) *translator {
	b, err := bundle()
	if err != nil {
		// The files are embedded and tested; this is a build defect.
		panic("ui: translations: " + err.Error())
	}
	t := &translator{localizers: map[string]*i18n.Localizer{}, log: log}
	for _, l := range languages {
		t.localizers[l] = i18n.NewLocalizer(b, l)
	}
	t.setLang(lang)
	return t
}

// supportedLang maps any tag ("zh", "zh-Hant-HK", "en-GB") to a language of
// the wizard; English when nothing fits.
func supportedLang(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	if t == "zh" || strings.HasPrefix(t, "zh-") {
		return langChinese
	}
	return langEnglish
}

func (t *translator) setLang(lang string) { t.lang = supportedLang(lang) }

// T returns the text of key, its template filled from data (pairs of field
// name and value).
func (t *translator) T(key string, data ...any) string {
	return t.localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: pairs(data)})
}

// N is T for a text with plural forms; data gets Count = count.
func (t *translator) N(key string, count int, data ...any) string {
	d := pairs(data)
	if d == nil {
		d = map[string]any{}
	}
	d["Count"] = count
	return t.localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: d})
}

func (t *translator) localize(cfg *i18n.LocalizeConfig) string {
	s, err := t.localizers[t.lang].Localize(cfg)
	if err != nil {
		if _, seen := t.missing.LoadOrStore(t.lang+"/"+cfg.MessageID, true); !seen {
			t.log.Error("translation missing", "lang", t.lang, "key", cfg.MessageID, "err", err)
		}
		return cfg.MessageID
	}
	return s
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// text is a message kept as its key and data rather than as a string, so
// that a screen can show it again in another language.
type text struct {
	key    string
	data   []any
	count  int
	plural bool
}

// msg is a text without plural forms.
func msg(key string, data ...any) text { return text{key: key, data: data} }

// plural is a text with plural forms chosen by count.
func plural(key string, count int, data ...any) text {
	return text{key: key, data: data, count: count, plural: true}
}

func (m text) empty() bool { return m.key == "" }

// in renders m in t's language; the empty text renders as "".
func (m text) in(t *translator) string {
	switch {
	case m.key == "":
		return ""
	case m.plural:
		return t.N(m.key, m.count, m.data...)
	default:
		return t.T(m.key, m.data...)
	}
}
