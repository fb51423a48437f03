package wizard

import (
	"time"

	"fyne.io/fyne/v2"
)

// mode is the wizard as the shell hosts it (shell.Mode).
type mode struct{ c *controller }

// Header is the step indicator.
func (m mode) Header() fyne.CanvasObject { return m.c.steps.row }

func (m mode) Title() string { return m.c.t("app.title") }

func (m mode) Start() { m.c.start() }

func (m mode) Refresh() {
	m.c.steps.refresh()
	if m.c.current != nil {
		m.c.current.refresh()
	}
}

func (m mode) Tick(now time.Time) {
	if t, ok := m.c.current.(ticker); ok {
		t.tick(now)
	}
}

func (m mode) Dirty() bool { return m.c.dirty() }

func (m mode) Idle(timeout time.Duration) { m.c.idle(timeout) }

// Close ends the flow and clears every field: the window is going away.
func (m mode) Close() {
	m.c.endFlow()
	m.c.calls.Close()
}
