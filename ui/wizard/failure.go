package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/ui"
	"casreset/ui/shell"
)

// failure is the error screen: the flow has ended; "reload" starts again
// at step 1. It shows why, in plain words, and the reference the help desk
// can find in the audit log.
type failure struct {
	c         *controller
	at        int // the step where the flow stood
	reason    text
	ref       string
	title     *ui.WrapLabel
	icon      *widget.Icon
	body      *ui.WrapLabel
	reasonLbl *ui.WrapLabel
	again     *ui.WrapLabel
	refLbl    *widget.Label
	refValue  *widget.Label
	refRow    *fyne.Container
	contact   *shell.ContactCard
	reload    *ui.ActionButton
	box       *fyne.Container
	bar       fyne.CanvasObject
}

func newFailure(c *controller, err error) *failure {
	f := &failure{
		c:         c,
		reason:    c.errorText(err),
		ref:       reference(err),
		title:     ui.NewHeading(),
		icon:      widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon())),
		body:      ui.NewWrapLabel(),
		reasonLbl: ui.NewWrapLabel(),
		again:     ui.NewWrapLabel(),
		refLbl:    widget.NewLabel(""),
		refValue:  widget.NewLabel(reference(err)),
		contact:   shell.NewContactCard(c.shell),
	}
	if c.current != nil {
		f.at = c.current.step()
	}
	f.body.TextStyle.Bold = true
	// Monospace tells 0 from O; selectable, to copy into an e-mail: it is
	// not a secret.
	f.refValue.TextStyle.Monospace = true
	f.refValue.Selectable = true
	f.refRow = container.NewHBox(f.refLbl, f.refValue)
	f.reload = ui.NewPrimaryButton(func() { c.newFlow(text{}) })
	f.box = container.NewVBox(
		container.NewBorder(nil, nil, f.icon, nil, f.title),
		f.body, f.reasonLbl, f.again, f.refRow, f.contact.Box(),
	)
	f.bar = actionBar(nil, f.reload)
	return f
}

func (f *failure) step() int                  { return f.at }
func (f *failure) content() fyne.CanvasObject { return f.box }
func (f *failure) actions() fyne.CanvasObject { return f.bar }
func (f *failure) focus() fyne.Focusable      { return f.reload }
func (f *failure) setBusy(bool)               {}

func (f *failure) refresh() {
	t := f.c.t
	f.title.SetText(t("error.title"))
	f.body.SetText(t("error.body"))
	ui.SetText(f.reasonLbl, f.reason.in(f.c.tr))
	f.again.SetText(t("error.again"))
	f.refLbl.SetText(t("error.reference"))
	if f.ref != "" {
		f.refRow.Show()
	} else {
		f.refRow.Hide()
	}
	f.contact.Refresh()
	f.reload.SetText(t("error.reload"))
}
