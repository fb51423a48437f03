// Command casreset is the desktop wizard that staff use to set a new CAS
// password.
package main

import (
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"casreset/assets"
	"casreset/client"
	"casreset/ui"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	server := flag.String("server", "", "the reset service's https:// address")
	caFile := flag.String("ca", "", "PEM file of the certificate authority that signed the service's certificate (default: the system's)")
	language := flag.String("lang", "", "en or zh-HK (default: the system's language)")
	flag.Parse()

	// Fyne's own texts (the entries' context menu) follow the system's
	// language from the same files; the wizard switches its own at runtime.
	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		fmt.Fprintln(os.Stderr, "casreset: translations:", err)
	}
	a := app.NewWithID("hk.edu.casreset")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := a.NewWindow("CAS Password Reset")
	w.Resize(fyne.NewSize(820, 860))

	settings := ui.DefaultSettings()
	settings.Language = *language

	// CASRESET_PREVIEW=<screen> shows one screen with sample data and no
	// service, for scripts/screenshots.sh.
	if screen := os.Getenv("CASRESET_PREVIEW"); screen != "" {
		if _, err := ui.Preview(a, w, settings, screen); err != nil {
			fmt.Fprintln(os.Stderr, "casreset:", err)
			os.Exit(2)
		}
		w.ShowAndRun()
		return
	}

	backend, err := client.New(client.Config{
		BaseURL:     *server,
		CAFile:      *caFile,
		SystemRoots: *caFile == "",
		Version:     version,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "casreset:", err)
		os.Exit(2)
	}
	ui.New(a, w, ui.Deps{Backend: backend, Staff: client.NewKeyring(), Settings: settings})
	w.ShowAndRun()
}
