package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// success says the password was changed, and that it is for CAS; when
// the directory keeps the account locked out, that IT Help must unlock it.
type success struct {
	c           *controller
	stillLocked bool
	title       *wrapLabel
	icon        *widget.Icon
	done        *wrapLabel
	locked      *wrapLabel
	contact     *contactCard // how to reach IT Help, who unlock the account
	casNote     *wrapLabel
	finish      *actionButton
	box         *fyne.Container
	bar         fyne.CanvasObject
}

func newSuccess(c *controller, stillLocked bool) *success {
	s := &success{
		c:           c,
		stillLocked: stillLocked,
		title:       newHeading(),
		icon:        widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())),
		done:        newWrapLabel(),
		locked:      newWrapLabel(),
		casNote:     newWrapLabel(),
		contact:     newContactCard(c.shell),
	}
	s.locked.Importance = widget.WarningImportance
	if !stillLocked {
		s.locked.Hide()
		s.contact.Box().Hide()
	}
	s.done.TextStyle.Bold = true
	s.finish = newPrimaryButton(func() { c.newFlow(text{}) })
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
