// Command casreset is the desktop wizard that staff use to set a new CAS
// password, and with --helpdesk the help desk that IT Help uses to help
// them. With a server configured (casreset.toml, --server or, on
// Windows, Group Policy) it talks to the college's reset service; with
// none it runs the embedded demonstration service and its Demo inbox.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"casreset/assets"
	"casreset/desktop/config"
	"casreset/desktop/embedded"
	// Before Fyne reads the locale: a language for "C.UTF-8".
	_ "casreset/internal/posixlocale"
	"casreset/ui/helpdesk"
	"casreset/ui/shell"
	"casreset/ui/wizard"
)

// appID is the same as FyneApp.toml's.
const appID = "hk.edu.casreset"

func main() {
	flags, flagErr := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(flagErr, errShowVersion) {
		fmt.Println(versionString())
		return
	}
	// CASRESET_PREVIEW=languages prints the language table, one language
	// a line (tag, own name, English name, separated by tabs), for
	// scripts/screenshots.sh.
	if os.Getenv("CASRESET_PREVIEW") == "languages" {
		for _, l := range assets.Languages() {
			fmt.Printf("%s\t%s\t%s\n", l.Tag, l.Name, l.EnglishName)
		}
		return
	}
	// CASRESET_PREVIEW=screens lists the screens CASRESET_PREVIEW=all
	// shows, one a line.
	if os.Getenv("CASRESET_PREVIEW") == "screens" {
		for _, s := range previewScreens() {
			fmt.Println(s)
		}
		return
	}

	// Fyne's own texts (the entries' context menu) follow the system's
	// language from the same files; the wizard switches its own at runtime.
	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		slog.Error("translations", "err", err)
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := a.NewWindow("CAS Password Reset")
	w.Resize(fyne.NewSize(820, 860))
	w.SetMaster() // closing the wizard quits, the Demo inbox included

	// CASRESET_PREVIEW=<screen> shows one screen with sample data and no
	// service, for scripts/screenshots.sh; CASRESET_PREVIEW_DEMO=1 adds
	// the demo banner, and CASRESET_PREVIEW=demo-inbox shows the Demo
	// inbox with sample messages.
	if screen := os.Getenv("CASRESET_PREVIEW"); screen == "all" {
		// CASRESET_PREVIEW=all shows every screen in every language at
		// both window sizes, one after the other, for scripts/screenshots.sh
		// to save into CASRESET_PREVIEW_OUT.
		go func() {
			if err := showEveryScreen(a, w, os.Getenv("CASRESET_PREVIEW_OUT")); err != nil {
				fmt.Fprintln(os.Stderr, "casreset:", err)
				os.Exit(2)
			}
			fyne.Do(a.Quit)
		}()
		w.ShowAndRun()
		return
	} else if screen == "demo-inbox" {
		s := shell.DefaultSettings()
		s.Language = flags.Lang
		samples, err := embedded.SampleMessages(demoOrganisation(s), startLanguage(s), shell.SampleTime)
		if err != nil {
			fmt.Fprintln(os.Stderr, "casreset:", err)
			os.Exit(2)
		}
		shell.PreviewDemoInbox(a, flags.Lang, samples)
		a.Run()
		return
	} else if screen != "" {
		settings := shell.DefaultSettings()
		settings.Language = flags.Lang
		settings.DemoMode = os.Getenv("CASRESET_PREVIEW_DEMO") != ""
		preview := wizard.Preview
		// hd-<page> is a page of the help desk.
		if page, ok := strings.CutPrefix(screen, "hd-"); ok {
			preview, screen = helpdesk.Preview, page
		}
		if _, err := preview(a, w, settings, screen); err != nil {
			fmt.Fprintln(os.Stderr, "casreset:", err)
			os.Exit(2)
		}
		w.ShowAndRun()
		return
	}

	// A session that ends, or Ctrl+C in a terminal, quits as the window's
	// close button does, so that the demonstration service stops cleanly.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		fyne.Do(a.Quit)
	}()

	var stop func()
	if flagErr != nil {
		shell.ShowStartError(a, w, "", shell.BadConfiguration, "command line: "+flagErr.Error())
		stop = func() {}
	} else {
		stop = launch(a, w, flags, config.DefaultLocations(), config.SystemPolicy(), launchOptions{})
	}
	go releaseStartupMemory()
	w.ShowAndRun()
	stop()
}

// startupSettled is how long after the start the first screen has been
// built, drawn and filled (its CAPTCHA fetched).
const startupSettled = 3 * time.Second

// releaseStartupMemory gives the start-up's garbage back to the system
// once the first screen has settled: the fonts parsed to measure it, the
// system font index Fyne's fallback reads. The collector would otherwise
// keep those pages for the heap to grow into, about as much again as what
// the wizard holds.
func releaseStartupMemory() {
	time.Sleep(startupSettled)
	debug.FreeOSMemory()
}

// parseFlags reads the command line: --config, and the settings that
// override the configuration file.
func parseFlags(args []string, stderr io.Writer) (config.Flags, error) {
	var f config.Flags
	fs := flag.NewFlagSet("casreset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.Config, "config", "", "configuration `file` (default: "+config.FileName+" beside the program, then the system's and the user's configuration directory)")
	fs.StringVar(&f.Server, "server", "", "the reset service's https:// `address` (default: the built-in demonstration service)")
	fs.StringVar(&f.CA, "ca", "", "PEM `file` of the certificate authority that signed the service's certificate (default: the system's)")
	fs.StringVar(&f.Pin, "pin", "", "base64 SHA-256 `pin` of the service's or its CA's public key")
	fs.BoolVar(&f.Helpdesk, "helpdesk", false, "start in help-desk mode, for IT Help operators (as mode = \"helpdesk\" in the configuration)")
	fs.StringVar(&f.Lang, "lang", "", "`language`: "+strings.Join(assets.Tags(), ", ")+" (default: the system's)")
	showVersion := fs.Bool("version", false, "print the version and the Go toolchain it was built with, and exit")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if *showVersion {
		return f, errShowVersion
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return f, nil
}
