package wizard

import (
	"bytes"
	"context"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/ui"
	"casreset/ui/shell"
)

// helpPage is "how to use": the steps in the current language, the
// password rules of the policy, and how to reach IT Help. Back returns to
// the screen it was opened from, as it was; so does Esc. A Back button
// heads the page, and the action bar has another.
type helpPage struct {
	c       *controller
	from    screen
	policy  api.Policy // the flow's, or else the service's once it came
	text    *widget.RichText
	contact *shell.ContactCard
	backTop *ui.ActionButton
	back    *ui.ActionButton
	box     *fyne.Container
	bar     fyne.CanvasObject
}

func newHelpPage(c *controller, from screen) *helpPage {
	h := &helpPage{c: c, from: from, policy: c.policy, text: widget.NewRichText(), contact: shell.NewContactCard(c.shell)}
	h.text.Wrapping = fyne.TextWrapWord
	back := func() { c.goBack(from) }
	h.backTop = ui.NewActionButton(back)
	h.backTop.Icon = theme.NavigateBackIcon()
	h.backTop.Importance = widget.LowImportance
	h.back = ui.NewPrimaryButton(back)
	for _, b := range []*ui.ActionButton{h.backTop, h.back} {
		b.OnEscape = back
	}
	h.box = container.NewVBox(container.NewHBox(h.backTop), h.text, h.contact.Box())
	h.bar = actionBar(nil, h.back)
	return h
}

// escape goes back, as Back does.
func (h *helpPage) escape() { h.c.goBack(h.from) }

// loadPolicy fetches the service's policy when the flow has none yet;
// until it comes, and if it cannot, the page leaves the rules to step 4's
// checklist.
func (h *helpPage) loadPolicy() {
	if h.policy.Requirements != nil {
		return
	}
	var p api.Policy
	h.c.background(func(ctx context.Context) error {
		var err error
		p, err = h.c.backend.Policy(ctx)
		return err
	}, func(err error) {
		if err != nil {
			h.c.log.Warn("help page: password policy", "err", err)
			return
		}
		h.policy = p
		if h.c.current == h {
			h.refresh()
		}
	})
}

func (h *helpPage) step() int {
	if h.from != nil {
		return h.from.step()
	}
	return 1
}
func (h *helpPage) content() fyne.CanvasObject { return h.box }
func (h *helpPage) actions() fyne.CanvasObject { return h.bar }
func (h *helpPage) focus() fyne.Focusable      { return h.backTop }
func (h *helpPage) setBusy(bool)               {}

func (h *helpPage) refresh() {
	h.text.ParseMarkdown(helpTextFor(h.c.tr, h.c.deps.Settings, h.policy, h.c.memoryOK))
	h.contact.Refresh()
	h.backTop.SetText(h.c.t("button.back"))
	h.back.SetText(h.c.t("button.back"))
}

// helpTextFor is the help page in tr's language, its template filled from
// s and from the rules of p as the checklist names them; it tells of the
// "remember my staff number" box only when step 1 shows it (remember:
// there is a keyring).
func helpTextFor(tr *shell.Translator, s shell.Settings, p api.Policy, remember bool) string {
	src, err := assets.Match(tr.Lang()).Help()
	if err != nil {
		src, _ = assets.Default().Help()
	}
	tmpl, err := template.New("help").Parse(string(src))
	if err != nil {
		return string(src)
	}
	minutes := int(s.IdleTimeout.Minutes() + 0.5)
	// The rule lines go into the Markdown as they are: Fyne's renderer
	// shows a backslash escape as written, and the forbidden characters,
	// written apart, cannot pair into emphasis or a code span.
	var b bytes.Buffer
	err = tmpl.Execute(&b, map[string]any{
		"IdleMinutes": max(minutes, 1), "Demo": s.DemoMode, "Remember": remember,
		"Rules": ruleLines(tr, p), "AdviceMin": p.Advice.MinLength,
	})
	if err != nil {
		return string(src)
	}
	return b.String()
}
