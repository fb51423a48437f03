package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"casreset/ui"
	"casreset/ui/shell"
)

// contactKeys are the messages that send the person to IT Help: each
// shows the contact card under it, so that nobody is told to contact IT
// Help without being told how.
var contactKeys = map[string]bool{
	"err.certificate":      true,
	"err.unexpected":       true,
	"err.account_expired":  true,
	"err.no_contact":       true,
	"err.account_disabled": true,
}

// message is a line beside a field or a button that says what is wrong.
// Its line stays reserved while it is empty, so that the controls below
// do not jump under the mouse when it appears or goes; a message that
// tells the person to contact IT Help brings the contact card with it.
type message struct {
	*ui.WrapLabel
	c    *controller
	card *shell.ContactCard
	box  *fyne.Container
}

func newMessage(c *controller) *message {
	m := &message{WrapLabel: ui.NewErrorLabel(), c: c, card: shell.NewContactCard(c.shell)}
	m.card.Box().Hide()
	m.box = container.NewVBox(m.WrapLabel, m.card.Box())
	return m
}

// set shows t in the current language; the empty text leaves the line
// blank but in place.
func (m *message) set(t text) {
	appears := m.Text == "" && !t.empty()
	m.SetText(t.in(m.c.tr))
	m.Show()
	if contactKeys[t.Key()] {
		m.card.Refresh()
		m.card.Box().Show()
	} else {
		m.card.Box().Hide()
	}
	if appears && m.c.current != nil && holds(m.c.current.content(), m.box) {
		// A message below the fold would go unseen in a small window;
		// the action bar's are always in sight.
		m.c.shell.Reveal(m.box)
	}
}

// holds reports whether o is in the containers under root.
func holds(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	if c, ok := root.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if holds(child, o) {
				return true
			}
		}
	}
	return false
}
