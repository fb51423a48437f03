package helpdesk

import (
	"time"

	"fyne.io/fyne/v2"
)

// mode is the help desk as the shell hosts it (shell.Mode).
type mode struct{ c *controller }

// Header is the session bar: who is signed in, and Sign out.
func (m mode) Header() fyne.CanvasObject { return m.c.bar.box }

func (m mode) Title() string { return m.c.t("hd.app.title") }

func (m mode) Start() {
	m.c.shell.SetBusy(false) // the footer's busy line shows only during a call
	m.c.showSignIn(noText)
}

func (m mode) Refresh() {
	m.c.bar.refresh()
	if m.c.current != nil {
		m.c.current.refresh()
	}
}

func (m mode) Tick(now time.Time) {
	if t, ok := m.c.current.(ticker); ok {
		t.tick(now)
	}
}

// Dirty is true while signed in, or with something typed on the
// sign-in page.
func (m mode) Dirty() bool { return m.c.dirty() }

func (m mode) Idle(timeout time.Duration) { m.c.idle(timeout) }

func (m mode) Close() { m.c.close() }
