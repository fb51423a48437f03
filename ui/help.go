package ui

import (
	"bytes"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
)

// helpPage is "how to use": the steps in the current language, and how to
// reach IT Help. Back returns to the screen it was opened from, as it was.
type helpPage struct {
	c       *controller
	from    screen
	text    *widget.RichText
	contact *contactCard
	back    *actionButton
	box     *fyne.Container
}

func newHelpPage(c *controller, from screen) *helpPage {
	h := &helpPage{c: c, from: from, text: widget.NewRichText(), contact: newContactCard(c)}
	h.text.Wrapping = fyne.TextWrapWord
	h.back = newPrimaryButton(func() { c.goBack(from) })
	h.box = container.NewVBox(h.text, h.contact.box, buttonRow(h.back))
	return h
}

func (h *helpPage) step() int {
	if h.from != nil {
		return h.from.step()
	}
	return 1
}
func (h *helpPage) content() fyne.CanvasObject { return h.box }
func (h *helpPage) focus() fyne.Focusable      { return h.back }
func (h *helpPage) setBusy(bool)               {}

func (h *helpPage) refresh() {
	h.text.ParseMarkdown(helpText(h.c.lang, h.c.deps.Settings))
	h.contact.refresh()
	h.back.SetText(h.c.t("button.back"))
}

// helpText is the help page in lang, its template filled from s.
func helpText(lang string, s Settings) string {
	src, err := assets.Match(lang).Help()
	if err != nil {
		src, _ = assets.Default().Help()
	}
	tmpl, err := template.New("help").Parse(string(src))
	if err != nil {
		return string(src)
	}
	minutes := int(s.IdleTimeout.Minutes() + 0.5)
	var b bytes.Buffer
	if err := tmpl.Execute(&b, map[string]any{"IdleMinutes": max(minutes, 1), "Demo": s.DemoMode}); err != nil {
		return string(src)
	}
	return b.String()
}
