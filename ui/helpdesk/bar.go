package helpdesk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casreset/ui"
)

// sessionBar is the help desk's header: who is signed in, and Sign out.
// It shows only while an operator is signed in.
type sessionBar struct {
	c       *controller
	who     *widget.Label
	signOut *ui.ActionButton
	box     *fyne.Container
}

func newSessionBar(c *controller) *sessionBar {
	b := &sessionBar{c: c, who: widget.NewLabel("")}
	b.signOut = ui.NewActionButton(func() { c.signOut(noText) })
	b.box = container.NewBorder(nil, nil, nil, b.signOut, b.who)
	b.box.Hide()
	return b
}

func (b *sessionBar) refresh() {
	c := b.c
	if c.token == "" {
		b.box.Hide()
		return
	}
	kind := c.operator.Kind
	if key, ok := operatorKindKeys[kind]; ok {
		kind = c.t(key)
	}
	b.who.SetText(c.t("hd.bar.signed_in", "Name", c.operator.Name, "Kind", kind))
	b.signOut.SetText(c.t("hd.bar.sign_out"))
	b.box.Show()
}
