package wizard

import "casreset/ui/shell"

// text is a message kept as its key and data rather than as a string
// (shell.Text), so that a screen can show it again in another language,
// with the sentences that follow it.
type text struct {
	shell.Text
	then []text // sentences that follow it
}

// msg is a text without plural forms.
func msg(key string, data ...any) text { return text{Text: shell.Msg(key, data...)} }

// plural is a text with plural forms chosen by count.
func plural(key string, count int, data ...any) text {
	return text{Text: shell.Plural(key, count, data...)}
}

func (m text) empty() bool { return m.Empty() }

// in renders m in t's language; the empty text renders as "".
func (m text) in(t *shell.Translator) string {
	if m.Empty() {
		return ""
	}
	out := m.In(t)
	for _, next := range m.then {
		out = t.Sentences(out, next.in(t))
	}
	return out
}
