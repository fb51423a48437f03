// Command casreset is the desktop wizard that staff use to set a new CAS
// password.
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("hk.edu.casreset")
	w := a.NewWindow("CAS Password Reset")
	w.SetContent(widget.NewLabel("The reset wizard is being built."))
	w.ShowAndRun()
}
