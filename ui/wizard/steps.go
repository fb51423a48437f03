package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casreset/assets"
)

// stepIndicator is the wizard's header under the demo banner: "Step N of
// 4" and the four steps' names, the current one marked and those done
// ticked.
type stepIndicator struct {
	c         *controller
	stepOf    *widget.Label
	stepIcons [4]*widget.Icon
	stepNames [4]*widget.Label
	row       fyne.CanvasObject
}

func newStepIndicator(c *controller) *stepIndicator {
	h := &stepIndicator{c: c, stepOf: widget.NewLabel("")}
	names := make([]fyne.CanvasObject, 4)
	for i := range h.stepNames {
		h.stepIcons[i] = widget.NewIcon(theme.RadioButtonIcon())
		h.stepNames[i] = widget.NewLabel("")
		h.stepNames[i].Truncation = fyne.TextTruncateEllipsis
		names[i] = container.NewBorder(nil, nil, h.stepIcons[i], nil, h.stepNames[i])
	}
	h.row = container.NewBorder(nil, nil, h.stepOf, nil, container.NewGridWithColumns(4, names...))
	return h
}

// refresh sets the texts and marks for the current screen.
func (h *stepIndicator) refresh() {
	c := h.c
	step := 0
	if c.current != nil {
		step = c.current.step()
	}
	switch {
	case step >= 1 && step <= 4:
		// In words where the language counts steps in words, as the step
		// titles do (第四步（共四步）).
		lang := assets.Match(c.shell.Lang())
		h.stepOf.SetText(c.t("chrome.step_of", "N", lang.Count(step), "Total", lang.Count(4)))
	case step == stepDone:
		h.stepOf.SetText(c.t("chrome.done"))
	}
	for i := range h.stepNames {
		n := i + 1
		h.stepNames[i].SetText(c.t("chrome.step" + string(rune('0'+n))))
		h.stepNames[i].TextStyle.Bold = n == step
		switch {
		case n < step:
			h.stepIcons[i].SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		case n == step:
			h.stepIcons[i].SetResource(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
		default:
			h.stepIcons[i].SetResource(theme.RadioButtonIcon())
		}
		h.stepNames[i].Refresh()
	}
}
