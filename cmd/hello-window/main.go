// Command hello-window is Fyne's hello world, the yardstick of
// scripts/measure-ui.sh (make measure-ui): the least a Fyne window costs,
// in the wizard's window size, against which the wizard's start-up time
// and memory are measured.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.New()
	w := a.NewWindow("Hello")
	w.Resize(fyne.NewSize(820, 860))
	w.SetContent(widget.NewLabel("Hello World!"))
	w.ShowAndRun()
}
