package wizard

// text is a message kept as its key and data rather than as a string, so
// that a screen can show it again in another language.
type text struct {
	key    string
	data   []any
	count  int
	plural bool
	then   []text // sentences that follow it
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
	if m.key == "" {
		return ""
	}
	var out string
	if m.plural {
		out = t.N(m.key, m.count, m.data...)
	} else {
		out = t.T(m.key, m.data...)
	}
	for _, next := range m.then {
		out = t.Sentences(out, next.in(t))
	}
	return out
}
