package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// success says the password was changed, and that it is for CAS.
type success struct {
	c       *controller
	title   *widget.Label
	icon    *widget.Icon
	done    *widget.Label
	casNote *widget.Label
	finish  *actionButton
	box     *fyne.Container
}

func newSuccess(c *controller) *success {
	s := &success{
		c:       c,
		title:   newHeading(),
		icon:    widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())),
		done:    newWrapLabel(),
		casNote: newWrapLabel(),
	}
	s.done.TextStyle.Bold = true
	s.finish = newPrimaryButton(func() { c.newFlow(text{}) })
	s.box = container.NewVBox(
		s.title,
		container.NewBorder(nil, nil, s.icon, nil, s.done),
		s.casNote,
		buttonRow(s.finish),
	)
	return s
}

func (s *success) step() int                  { return stepDone }
func (s *success) content() fyne.CanvasObject { return s.box }
func (s *success) focus() fyne.Focusable      { return s.finish }
func (s *success) setBusy(bool)               {}

func (s *success) refresh() {
	t := s.c.t
	s.title.SetText(t("success.title"))
	s.done.SetText(t("success.done"))
	s.casNote.SetText(t("success.cas_note", "Org", s.c.orgName()))
	s.finish.SetText(t("success.finish"))
}
