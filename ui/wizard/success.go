package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/ui"
	"casreset/ui/shell"
)

// success says the password was changed, and that it is for CAS; when
// the directory keeps the account locked out, that IT Help must unlock it.
type success struct {
	c           *controller
	stillLocked bool
	title       *ui.WrapLabel
	icon        *widget.Icon
	done        *ui.WrapLabel
	locked      *ui.WrapLabel
	contact     *shell.ContactCard // how to reach IT Help, who unlock the account
	casNote     *ui.WrapLabel
	finish      *ui.ActionButton
	box         *fyne.Container
	bar         fyne.CanvasObject
}

func newSuccess(c *controller, stillLocked bool) *success {
	s := &success{
		c:           c,
		stillLocked: stillLocked,
		title:       ui.NewHeading(),
		icon:        widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())),
		done:        ui.NewWrapLabel(),
		locked:      ui.NewWrapLabel(),
		casNote:     ui.NewWrapLabel(),
		contact:     shell.NewContactCard(c.shell),
	}
	s.locked.Importance = widget.WarningImportance
	if !stillLocked {
		s.locked.Hide()
		s.contact.Box().Hide()
	}
	s.done.TextStyle.Bold = true
	s.finish = ui.NewPrimaryButton(func() { c.newFlow(text{}) })
	s.box = container.NewVBox(
		s.title,
		container.NewBorder(nil, nil, s.icon, nil, s.done),
		s.locked,
		s.contact.Box(),
		s.casNote,
	)
	s.bar = actionBar(nil, s.finish)
	return s
}

func (s *success) step() int                  { return stepDone }
func (s *success) content() fyne.CanvasObject { return s.box }
func (s *success) actions() fyne.CanvasObject { return s.bar }
func (s *success) focus() fyne.Focusable      { return s.finish }
func (s *success) setBusy(bool)               {}

func (s *success) refresh() {
	t := s.c.t
	s.title.SetText(t("success.title"))
	s.done.SetText(t("success.done"))
	s.locked.SetText(t("success.still_locked"))
	s.contact.Refresh()
	s.casNote.SetText(t("success.cas_note", "Org", s.c.orgName()))
	s.finish.SetText(t("success.finish"))
}
