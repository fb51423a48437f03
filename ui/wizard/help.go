package wizard

import (
	"bytes"
	"context"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/assets"
	"casreset/ui/shell"
)

// helpPage is "how to use": the steps in the current language, the
// password rules of the policy, and how to reach IT Help. Back returns to
// the screen it was opened from, as it was.
type helpPage struct {
	c       *controller
	from    screen
	policy  api.Policy // the flow's, or else the service's once it came
	text    *widget.RichText
	contact *contactCard
	back    *actionButton
	box     *fyne.Container
}

func newHelpPage(c *controller, from screen) *helpPage {
	h := &helpPage{c: c, from: from, policy: c.policy, text: widget.NewRichText(), contact: newContactCard(c.shell)}
	h.text.Wrapping = fyne.TextWrapWord
	h.back = newPrimaryButton(func() { c.goBack(from) })
	h.box = container.NewVBox(h.text, h.contact.Box(), buttonRow(h.back))
	return h
}

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
func (h *helpPage) focus() fyne.Focusable      { return h.back }
func (h *helpPage) setBusy(bool)               {}

func (h *helpPage) refresh() {
	h.text.ParseMarkdown(helpText(h.c.tr, h.c.deps.Settings, h.policy))
	h.contact.Refresh()
	h.back.SetText(h.c.t("button.back"))
}

// helpText is the help page in tr's language, its template filled from s
// and from the rules of p as the checklist names them.
func helpText(tr *translator, s shell.Settings, p api.Policy) string {
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
		"IdleMinutes": max(minutes, 1), "Demo": s.DemoMode,
		"Rules": ruleLines(tr, p), "AdviceMin": p.Advice.MinLength,
	})
	if err != nil {
		return string(src)
	}
	return b.String()
}
