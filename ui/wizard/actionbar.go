package wizard

import (
	"casreset/ui/shell"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// actionBar is a screen's action bar, which the shell keeps in sight below
// the page: its buttons at the trailing edge, the primary one last, and
// beside them the message about what they did (nil for none).
func actionBar(m *message, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	if m == nil {
		return shell.ButtonRow(buttons...)
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), m.box)
}
