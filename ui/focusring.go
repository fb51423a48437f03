package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FocusRingWidth is the width of the focus ring: at least 2 px (WCAG 2.2
// 2.4.13); so is the edge of a field (the theme's), which turns the ring's
// colour when it has the focus.
const FocusRingWidth = 2

// focusRingGap is the space between a control and its focus ring, so that
// the ring stands against the background, whatever the control's colour
// (a primary button is the ring's own blue).
const focusRingGap = 2

// Fyne shows the focus on a button or a check box by tinting it with the
// focus colour; tinted with a colour strong enough to see (3:1), the
// button's text or the box's tick would no longer read. So the wizard's
// buttons and check boxes keep their colours and draw a ring around
// themselves instead.

// ringRenderer draws a widget's own renderer and, while the widget has
// the focus, a ring around it.
type ringRenderer struct {
	fyne.WidgetRenderer
	w       fyne.Widget
	focused *bool
	ring    *canvas.Rectangle
}

func withFocusRing(w fyne.Widget, inner fyne.WidgetRenderer, focused *bool) fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeWidth = FocusRingWidth
	ring.CornerRadius = theme.InputRadiusSize() + focusRingGap
	r := &ringRenderer{WidgetRenderer: inner, w: w, focused: focused, ring: ring}
	r.Refresh()
	return r
}

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	out := float32(focusRingGap + FocusRingWidth/2)
	r.ring.Move(fyne.NewPos(-out, -out))
	r.ring.Resize(size.AddWidthHeight(2*out, 2*out))
}

func (r *ringRenderer) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.WidgetRenderer.Objects()...), r.ring)
}

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	if *r.focused {
		v := fyne.CurrentApp().Settings().ThemeVariant()
		r.ring.StrokeColor = fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameFocus, v)
	} else {
		r.ring.StrokeColor = color.Transparent
	}
	r.ring.Refresh()
}

// checkBox is a check box with a focus ring.
type checkBox struct {
	widget.Check
	focused bool
}

func NewCheckBox(onChanged func(bool)) *CheckBox {
	c := &checkBox{}
	c.OnChanged = onChanged
	c.ExtendBaseWidget(c)
	return c
}

// FocusGained shows the ring rather than Fyne's tint.
func (c *checkBox) FocusGained() { c.focused = true; c.Refresh() }
func (c *checkBox) FocusLost()   { c.focused = false; c.Refresh() }

func (c *checkBox) CreateRenderer() fyne.WidgetRenderer {
	return withFocusRing(c, c.Check.CreateRenderer(), &c.focused)
}
