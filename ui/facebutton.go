package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FaceButton names the widget outside this package; the golden files
// record ui.faceButton.
type FaceButton = faceButton

// faceButton is a flat button, as Fyne's of low importance, whose text is
// drawn in a font face of its own and measured in it: a language's name
// in that language's font, whatever the screen's language.
//
// A widget.Button inside a container.NewThemeOverride will not do: Fyne
// 2.7 draws its text with the override's font but measures it with the
// app's theme, so on a PC without an East Asian font an English screen
// measured 繁體中文 too narrow and the button cut it to 繁體中. A
// canvas.Text with a FontSource is measured in that face.
type faceButton struct {
	widget.BaseWidget

	Text string
	// Face draws Text; nil: the theme's bold face, as a button's text.
	Face          fyne.Resource
	Icon          fyne.Resource // nil: none
	IconPlacement widget.ButtonIconPlacement
	Alignment     widget.ButtonAlign
	OnTapped      func()

	focused, hovered bool
	tapAnim          *fyne.Animation
}

var (
	_ fyne.Focusable    = (*faceButton)(nil)
	_ fyne.Tappable     = (*faceButton)(nil)
	_ desktop.Hoverable = (*faceButton)(nil)
)

func NewFaceButton(onTap func()) *FaceButton {
	b := &faceButton{OnTapped: onTap}
	b.ExtendBaseWidget(b)
	return b
}

// SetText shows text, drawn in face (nil: the theme's).
func (b *faceButton) SetText(text string, face fyne.Resource) {
	b.Text, b.Face = text, face
	b.Refresh()
}

func (b *faceButton) SetIcon(icon fyne.Resource) {
	b.Icon = icon
	b.Refresh()
}

// Tapped runs OnTapped, with the ripple of Fyne's buttons.
func (b *faceButton) Tapped(*fyne.PointEvent) {
	if b.tapAnim != nil && fyne.CurrentApp().Settings().ShowAnimations() {
		b.tapAnim.Stop()
		b.tapAnim.Start()
	}
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

// FocusGained shows the focus ring, as the other buttons do
// (focusring.go).
func (b *faceButton) FocusGained() { b.focused = true; b.Refresh() }
func (b *faceButton) FocusLost()   { b.focused = false; b.Refresh() }

func (b *faceButton) TypedRune(rune) {}

// TypedKey presses the button on Space, and on Enter as an ActionButton
// does.
func (b *faceButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	}
}

func (b *faceButton) MouseIn(*desktop.MouseEvent)    { b.hovered = true; b.Refresh() }
func (b *faceButton) MouseMoved(*desktop.MouseEvent) {}
func (b *faceButton) MouseOut()                      { b.hovered = false; b.Refresh() }

func (b *faceButton) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	r := &faceButtonRenderer{
		b:          b,
		background: canvas.NewRectangle(color.Transparent),
		tapBG:      canvas.NewRectangle(color.Transparent),
		text:       canvas.NewText("", color.Transparent),
		icon:       canvas.NewImageFromResource(nil),
	}
	r.label = &fyne.Container{Objects: []fyne.CanvasObject{r.text}}
	r.text.TextStyle.Bold = true
	r.icon.FillMode = canvas.ImageFillContain
	b.tapAnim = tapAnimation(r.tapBG, b)
	r.Refresh()
	return withFocusRing(b, r, &b.focused)
}

// faceButtonRenderer lays the button out as Fyne lays out its own: the
// text and icon side by side, a padding apart, with the inner padding
// around them.
type faceButtonRenderer struct {
	b                 *faceButton
	background, tapBG *canvas.Rectangle
	text              *canvas.Text
	// label holds text at its origin, as a button's RichText does:
	// Fyne's GL painter rounds a text's size to whole pixels by its
	// position within its parent, so at the origin it is drawn pixel for
	// pixel as a button's text (elsewhere half a pixel lower and blurred).
	label *fyne.Container
	icon  *canvas.Image
}

func (r *faceButtonRenderer) Destroy() {}

func (r *faceButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.tapBG, r.label, r.icon}
}

// contentSize is the size of the text and icon side by side.
func (r *faceButtonRenderer) contentSize(th fyne.Theme) (content, text, icon fyne.Size) {
	icon = fyne.NewSquareSize(th.Size(theme.SizeNameInlineIcon))
	if r.b.Text != "" {
		text = r.text.MinSize()
		content.Width = text.Width
	}
	if r.b.Icon != nil {
		if r.b.Text != "" {
			content.Width += th.Size(theme.SizeNamePadding)
		}
		content.Width += icon.Width
	}
	content.Height = fyne.Max(text.Height, icon.Height)
	return content, text, icon
}

func (r *faceButtonRenderer) MinSize() fyne.Size {
	th := r.b.Theme()
	content, _, _ := r.contentSize(th)
	return content.Add(fyne.NewSquareSize(2 * th.Size(theme.SizeNameInnerPadding)))
}

func (r *faceButtonRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	r.tapBG.Resize(size)
	th := r.b.Theme()
	content, text, icon := r.contentSize(th)
	inner := th.Size(theme.SizeNameInnerPadding)
	pos := fyne.NewPos(0, (size.Height-content.Height)/2)
	switch r.b.Alignment {
	case widget.ButtonAlignCenter:
		pos.X = (size.Width - content.Width) / 2
	case widget.ButtonAlignLeading:
		pos.X = inner
	case widget.ButtonAlignTrailing:
		pos.X = size.Width - content.Width - inner
	}
	textX, iconX := pos.X, pos.X
	if r.b.Text != "" && r.b.Icon != nil {
		if r.b.IconPlacement == widget.ButtonIconLeadingText {
			textX += icon.Width + th.Size(theme.SizeNamePadding)
		} else {
			iconX += text.Width + th.Size(theme.SizeNamePadding)
		}
	}
	r.label.Move(fyne.NewPos(textX, pos.Y+(content.Height-text.Height)/2))
	r.label.Resize(text)
	r.text.Resize(text)
	r.icon.Move(fyne.NewPos(iconX, pos.Y+(content.Height-icon.Height)/2))
	r.icon.Resize(icon)
}

// Refresh sets the text, the icon and the colours: the background shows
// only under the pointer, as a low-importance button's.
func (r *faceButtonRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.text.Text = r.b.Text
	r.text.FontSource = r.b.Face
	r.text.TextSize = th.Size(theme.SizeNameText)
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	r.label.Hidden = r.b.Text == ""
	r.icon.Resource = r.b.Icon
	r.icon.Hidden = r.b.Icon == nil
	r.background.FillColor = color.Transparent
	if r.b.hovered {
		r.background.FillColor = blend(th.Color(theme.ColorNameButton, v), th.Color(theme.ColorNameHover, v))
	}
	r.background.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.Layout(r.b.Size())
	r.text.Refresh()
	r.icon.Refresh()
	r.background.Refresh()
}

// blend lays over on under, as Fyne tints a button under the pointer.
func blend(under, over color.Color) color.Color {
	dr, dg, db, da := under.RGBA()
	sr, sg, sb, sa := over.RGBA()
	keep := 1 - float32(sa)/0xffff
	return color.RGBA64{
		R: uint16(sr + uint32(float32(dr)*keep)),
		G: uint16(sg + uint32(float32(dg)*keep)),
		B: uint16(sb + uint32(float32(db)*keep)),
		A: uint16(sa + uint32(float32(da)*keep)),
	}
}

// tapAnimation is the ripple of Fyne's buttons: a band of the pressed
// colour that widens from the middle and fades.
func tapAnimation(bg *canvas.Rectangle, w fyne.Widget) *fyne.Animation {
	a := fyne.NewAnimation(canvas.DurationStandard, func(done float32) {
		mid := w.Size().Width / 2
		half := mid * done
		bg.Resize(fyne.NewSize(half*2, w.Size().Height))
		bg.Move(fyne.NewPos(mid-half, 0))
		v := fyne.CurrentApp().Settings().ThemeVariant()
		c := color.NRGBAModel.Convert(theme.CurrentForWidget(w).Color(theme.ColorNamePressed, v)).(color.NRGBA)
		c.A -= uint8(float32(c.A) * done)
		bg.FillColor = c
		canvas.Refresh(bg)
	})
	a.Curve = fyne.AnimationEaseOut
	return a
}
