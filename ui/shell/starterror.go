package shell

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"casreset/ui"
)

// StartProblem is why the app cannot show the wizard.
type StartProblem int

const (
	// BadConfiguration: the configuration file or the command line has
	// a mistake.
	BadConfiguration StartProblem = iota
	// DemoUnavailable: no server is configured and the embedded
	// demonstration service could not start.
	DemoUnavailable
)

// ShowStartError makes w say that the app cannot start, instead of
// showing the wizard: a dialog in language (a tag, or empty for the
// system's) tells staff to contact IT Help and shows details for IT (for a
// bad configuration: the file, the line and the key). Its button quits
// the app.
func ShowStartError(a fyne.App, w fyne.Window, language string, problem StartProblem, details string) {
	if language == "" {
		language = lang.SystemLocale().String()
	}
	language = SupportedLang(language)
	useAppTheme(a, language, false)
	showStartDialog(a, w, language, problem, details)
}

// startDialog is what ShowStartError shows, kept for tests.
type startDialog struct {
	dialog  dialog.Dialog
	what    *ui.WrapLabel
	details *widget.Label
}

func showStartDialog(a fyne.App, w fyne.Window, language string, problem StartProblem, details string) *startDialog {
	tr := NewTranslator(language, slog.Default())
	title := widget.NewLabel(tr.T("app.title"))
	title.TextStyle.Bold = true
	w.SetContent(container.NewPadded(title))

	key := "start.config"
	if problem == DemoUnavailable {
		key = "start.demo"
	}
	what := ui.NewWrapLabel()
	what.SetText(tr.T(key))
	forIT := widget.NewLabel(tr.T("start.details"))
	forIT.TextStyle.Bold = true
	// Selectable, so that IT can copy the details into a ticket: a plain
	// Label, whose lines have no breaks of a WrapLabel's in them.
	detail := widget.NewLabel("")
	detail.Wrapping = fyne.TextWrapWord
	detail.SetText(details)
	detail.Selectable = true
	body := container.NewVBox(what, forIT, detail)

	d := dialog.NewCustom(tr.T("start.title"), tr.T("start.quit"), body, w)
	d.SetOnClosed(a.Quit)
	d.Resize(fyne.NewSize(min(w.Canvas().Size().Width-40, 680), 0))
	d.Show()
	return &startDialog{dialog: d, what: what, details: detail}
}

// useAppTheme sets the wizard's theme for a window shown without the
// wizard, with the language's font once found, or found first when
// fontsFirst (for screenshots).
func useAppTheme(a fyne.App, language string, fontsFirst bool) {
	th := newAppTheme(language, nil)
	a.Settings().SetTheme(th)
	// Set again once the app runs: Fyne keeps the faces it measured
	// with before then, and the fonts may have loaded by then.
	a.Lifecycle().SetOnStarted(func() { a.Settings().SetTheme(th.forLang(language)) })
	if fontsFirst {
		th.loadFonts(language, true, func() {})
		return
	}
	go th.loadFonts(language, true, func() { fyne.Do(func() { a.Settings().SetTheme(th.forLang(language)) }) })
}
