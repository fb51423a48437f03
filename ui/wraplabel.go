package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// WrapLabel is a label that wraps at the width it is given, as a Label
// with word wrapping does, but by the line-breaking rules of Chinese as
// well: no line starts with closing punctuation (。，、；：？！」』） and
// the like) and none ends with opening punctuation (「『（), and a word
// of Latin letters or digits ("HKU", "128") is not cut. Fyne breaks a line
// at its last space, or, in Chinese, which has none, after whatever
// character fills the line, so that "，" or "。" could start the next one;
// Fyne has no hook for the rule, and ignores U+2060 WORD JOINER, so the
// label breaks its lines itself and draws them with a plain Label. Text
// stays what was set: only what is drawn has the line breaks.
type WrapLabel struct {
	widget.Label
}

// NewWrapLabel is a label that wraps at word boundaries and by the rules
// of Chinese.
func NewWrapLabel() *WrapLabel {
	l := &WrapLabel{}
	l.Wrapping = fyne.TextWrapWord
	l.ExtendBaseWidget(l)
	return l
}

// SetText sets the text and redraws it. Label's own would redraw the
// Label inside, not this one.
func (l *WrapLabel) SetText(text string) {
	l.Text = text
	l.Refresh()
}

// Refresh redraws the label from its fields.
func (l *WrapLabel) Refresh() { l.BaseWidget.Refresh() }

// MinSize is the size of the text as drawn at the current width.
func (l *WrapLabel) MinSize() fyne.Size { return l.BaseWidget.MinSize() }

func (l *WrapLabel) CreateRenderer() fyne.WidgetRenderer {
	r := &wrapRenderer{l: l, shown: &widget.Label{}}
	r.sync()
	return r
}

// wrapRenderer draws a WrapLabel's text, broken into lines for its width,
// with a Label of the same style.
type wrapRenderer struct {
	l     *WrapLabel
	shown *widget.Label
	width float32 // 0 until laid out: one line a paragraph

	// What the last breaking was done for, so that a refresh that
	// changes neither the text, the width nor the style measures nothing.
	brokeFor broken
}

// broken is a text broken into lines for a width in a style.
type broken struct {
	text, lines string
	width       float32
	size        float32
	style       fyne.TextStyle
}

func (r *wrapRenderer) Layout(size fyne.Size) {
	r.width = size.Width
	if r.sync() {
		r.shown.Refresh()
	}
	r.shown.Resize(size)
}

func (r *wrapRenderer) MinSize() fyne.Size           { return r.shown.MinSize() }
func (r *wrapRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.shown} }
func (r *wrapRenderer) Destroy()                     {}

func (r *wrapRenderer) Refresh() {
	r.sync()
	r.shown.Refresh()
}

// sync gives the drawn label the WrapLabel's style and its text broken for
// the current width, and reports whether the text changed.
func (r *wrapRenderer) sync() bool {
	l, s := &r.l.Label, r.shown
	s.Alignment, s.Truncation, s.TextStyle, s.Importance, s.SizeName = l.Alignment, l.Truncation, l.TextStyle, l.Importance, l.SizeName
	// Word wrap stays on, so that the label may still shrink and a line
	// that the measure here and Fyne's differ on wraps rather than
	// overflows.
	s.Wrapping = l.Wrapping
	text := l.Text
	if l.Wrapping == fyne.TextWrapWord && r.width > 0 {
		sizeName := l.SizeName
		if sizeName == "" {
			sizeName = theme.SizeNameText
		}
		textSize := theme.SizeForWidget(sizeName, r.l)
		// The Label draws its text inside its inner padding on each side;
		// a pixel more is left for rounding.
		width := r.width - 2*theme.SizeForWidget(theme.SizeNameInnerPadding, r.l) - 1
		b := r.brokeFor
		if b.text != text || b.width != width || b.size != textSize || b.style != l.TextStyle {
			b = broken{text: text, width: width, size: textSize, style: l.TextStyle}
			b.lines = breakLines(text, width, func(s string) float32 {
				return fyne.MeasureText(s, textSize, l.TextStyle).Width
			})
			r.brokeFor = b
		}
		text = b.lines
	}
	changed := s.Text != text
	s.Text = text
	return changed
}

// noLineStart are characters that may not begin a line: closing brackets
// and quotes, and the punctuation that follows what it belongs to, full
// width and ASCII.
const noLineStart = "。，、；：？！」』）】》〉〕］｝…‥・·％‰°″′,.;:?!)]}%"

// noLineEnd are characters that may not end a line: opening brackets and
// quotes.
const noLineEnd = "「『（【《〈〔［｛([{"

// breakLines breaks text into lines no wider than width, as measure
// measures them, with "\n" between them. Each line takes as much as fits
// and ends where a break is allowed (breakable); a line with no allowed
// break is cut where it is full. A space at a break is dropped.
func breakLines(text string, width float32, measure func(string) float32) string {
	if width <= 0 {
		return text
	}
	paras := strings.Split(text, "\n")
	for i, p := range paras {
		paras[i] = breakParagraph([]rune(p), width, measure)
	}
	return strings.Join(paras, "\n")
}

func breakParagraph(p []rune, width float32, measure func(string) float32) string {
	var lines []string
	for len(p) > 0 {
		if measure(string(p)) <= width {
			lines = append(lines, string(p))
			break
		}
		// fit is the longest prefix that fits: at least one character.
		fit := 1
		for lo, hi := 1, len(p); lo <= hi; {
			mid := (lo + hi) / 2
			if measure(string(p[:mid])) <= width {
				fit, lo = mid, mid+1
			} else {
				hi = mid - 1
			}
		}
		at := fit
		for b := fit; b >= 1; b-- {
			if breakable(p, b) {
				at = b
				break
			}
		}
		lines = append(lines, strings.TrimRightFunc(string(p[:at]), unicode.IsSpace))
		p = p[at:]
		for len(p) > 0 && unicode.IsSpace(p[0]) {
			p = p[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// breakable reports whether a line may end before p[b]: at a space, or
// between two characters of which neither is a word's letter or digit
// next to another (Chinese characters stand alone), unless p[b] may not
// start a line or p[b-1] may not end one.
func breakable(p []rune, b int) bool {
	if b >= len(p) {
		return true
	}
	before, after := p[b-1], p[b]
	switch {
	case unicode.IsSpace(after):
		return true
	case unicode.IsSpace(before):
		return !strings.ContainsRune(noLineStart, after)
	case strings.ContainsRune(noLineStart, after), strings.ContainsRune(noLineEnd, before):
		return false
	case inWord(before) && inWord(after):
		return false
	}
	return true
}

// inWord reports whether r is part of a word that is written without
// breaks inside: a letter or digit that is not of a script written one
// character at a time (Han, kana, Hangul), or a hyphen or apostrophe.
func inWord(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '@' || r == '.' || r == '_' || r == '/'
}
