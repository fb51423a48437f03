package shell

// Text is a message kept as its key and data rather than as a string, so
// that a page can show it again in another language.
type Text struct {
	key    string
	data   []any
	count  int
	plural bool
}

// Msg is a Text without plural forms.
func Msg(key string, data ...any) Text { return Text{key: key, data: data} }

// Plural is a Text with plural forms chosen by count.
func Plural(key string, count int, data ...any) Text {
	return Text{key: key, data: data, count: count, plural: true}
}

// Key is m's translation key ("" for the empty Text), for a page that
// shows more beside some messages.
func (m Text) Key() string { return m.key }

// Empty reports whether m is the empty Text.
func (m Text) Empty() bool { return m.key == "" }

// In renders m in t's language; the empty Text renders as "".
func (m Text) In(t *Translator) string {
	switch {
	case m.key == "":
		return ""
	case m.plural:
		return t.N(m.key, m.count, m.data...)
	default:
		return t.T(m.key, m.data...)
	}
}
