package wizard

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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
	stepNums  [4]*widget.Label // the steps' numbers, shown when the names do not fit
	row       fyne.CanvasObject
}

func newStepIndicator(c *controller) *stepIndicator {
	h := &stepIndicator{c: c, stepOf: widget.NewLabel("")}
	names := make([]fyne.CanvasObject, 4)
	for i := range h.stepNames {
		h.stepIcons[i] = widget.NewIcon(theme.RadioButtonIcon())
		h.stepNames[i] = widget.NewLabel("")
		h.stepNums[i] = widget.NewLabel(string(rune('1' + i)))
		names[i] = container.NewBorder(nil, nil, h.stepIcons[i], nil, container.NewStack(h.stepNames[i], h.stepNums[i]))
	}
	h.row = container.NewBorder(nil, nil, h.stepOf, nil, container.New(&stepsLayout{h: h}, names...))
	return h
}

// stepsLayout lays the four steps out in equal columns, each named, or
// when a name does not fit its column, each numbered: "Staff numb…" helps
// nobody.
type stepsLayout struct{ h *stepIndicator }

func (l *stepsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	cell := (size.Width - pad*float32(len(objs)-1)) / float32(len(objs))
	icon := theme.IconInlineSize() + pad
	fit := true
	for _, n := range l.h.stepNames {
		fit = fit && n.MinSize().Width+icon <= cell
	}
	for i := range l.h.stepNames {
		if fit {
			l.h.stepNames[i].Show()
			l.h.stepNums[i].Hide()
		} else {
			l.h.stepNames[i].Hide()
			l.h.stepNums[i].Show()
		}
	}
	layout.NewGridLayoutWithColumns(len(objs)).Layout(objs, size)
}

// MinSize is the numbered steps': the row can always shrink to them.
func (l *stepsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, n := range l.h.stepNums {
		c := n.MinSize().AddWidthHeight(theme.IconInlineSize()+theme.Padding(), 0)
		if i > 0 {
			s.Width += theme.Padding()
		}
		s.Width += c.Width
		s.Height = max(s.Height, c.Height, l.h.stepNames[i].MinSize().Height)
	}
	return s
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
		h.stepNums[i].TextStyle.Bold = n == step
		h.stepNums[i].Refresh()
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
