package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"casreset/client"
	"casreset/desktop/config"
	"casreset/desktop/embedded"
	"casreset/ui/helpdesk"
	"casreset/ui/shell"
	"casreset/ui/wizard"
)

// launchOptions are what tests change about a launch.
type launchOptions struct {
	// Embedded adjusts the embedded service's options (its cache
	// directory, the test switch).
	Embedded func(*embedded.Options)
	// Log receives the app's log; nil means slog.Default().
	Log *slog.Logger
	// ShowWizard and ShowError fill the window: wizard.New and
	// shell.ShowStartError unless a test looks at what they are given.
	ShowWizard func(a fyne.App, w fyne.Window, d wizard.Deps)
	// ShowHelpdesk fills the window in help-desk mode: helpdesk.New
	// unless a test looks at what it is given.
	ShowHelpdesk func(a fyne.App, w fyne.Window, d helpdesk.Deps)
	ShowError    func(a fyne.App, w fyne.Window, language string, p shell.StartProblem, details string)
}

// launch reads the configuration (the file found in locations, the flags,
// then Group Policy over both) and makes w the wizard, or the help desk
// when the configuration's mode says so: over the configured
// service, or over the embedded demonstration with its Demo inbox when no
// server is configured. When the configuration cannot be used or the
// demonstration cannot start, w says so instead (file, line and key, or
// the policy value, for IT) and the wizard is not shown. It returns what
// to run once the app has quit.
func launch(a fyne.App, w fyne.Window, flags config.Flags, locations []string, policy config.PolicySource, opts launchOptions) (stop func()) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	showWizard, showError := opts.ShowWizard, opts.ShowError
	if showWizard == nil {
		showWizard = func(a fyne.App, w fyne.Window, d wizard.Deps) { wizard.New(a, w, d) }
	}
	if showError == nil {
		showError = shell.ShowStartError
	}
	showHelpdesk := opts.ShowHelpdesk
	if showHelpdesk == nil {
		showHelpdesk = func(a fyne.App, w fyne.Window, d helpdesk.Deps) { helpdesk.New(a, w, d) }
	}
	cfg, err := config.Load(flags, locations, policy)
	if err != nil {
		log.Error("configuration", "err", err)
		showError(a, w, flags.Lang, shell.BadConfiguration, problemList(err))
		return func() {}
	}
	log.Info("configuration", "file", cfg.File, "policy", strings.Join(cfg.Policy, ","), "server", cfg.Server)
	settings := wizardSettings(cfg)
	// The app's theme, with its Chinese fonts, before any window is built
	// (the Demo inbox's is, below): Fyne draws with the faces of the theme
	// it first measured text with, and its own have no Chinese, so every
	// Chinese character would be a box without a system Chinese font.
	shell.UseTheme(a, settings)
	deps := wizard.Deps{Settings: settings, Log: log}
	desk := helpdesk.Deps{Settings: settings, Log: log}
	stop = func() {}

	clientCfg := cfg.Client(version)
	if cfg.Demo() {
		eo := embedded.Options{Org: embedded.DemoOrg(demoOrganisation(settings), startLanguage(settings)), Version: version, Log: log}
		if opts.Embedded != nil {
			opts.Embedded(&eo)
		}
		demo, err := embedded.Start(context.Background(), eo)
		if err != nil {
			log.Error("demonstration service", "err", err)
			showError(a, w, settings.Language, shell.DemoUnavailable, err.Error())
			return stop
		}
		log.Info("demonstration service", "url", demo.Client.BaseURL, "database", demo.DataDir, "outbox", demo.Outbox)
		clientCfg = demo.Client
		deps.DemoInbox = shell.NewDemoInbox(a, demo, log)
		desk.DemoInbox, desk.Demo = deps.DemoInbox, demo.Operator
		stop = func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := demo.Shutdown(ctx); err != nil {
				log.Warn("demonstration service shutdown", "err", err)
			}
		}
	} else if !cfg.Helpdesk() {
		// Only the real service's staff numbers are worth remembering:
		// the demonstration's would be offered later to the real one.
		deps.Staff = client.NewKeyring()
	}

	backend, err := client.New(clientCfg)
	if err != nil {
		// Load checked everything client.New checks; this is a defect.
		log.Error("client", "err", err)
		showError(a, w, settings.Language, shell.BadConfiguration, err.Error())
		return stop
	}
	if cfg.Helpdesk() {
		desk.Desk = backend
		showHelpdesk(a, w, desk)
		return stop
	}
	deps.Backend = backend
	showWizard(a, w, deps)
	return stop
}

// problemList is a configuration error as a list, one problem a line.
func problemList(err error) string {
	var ce *config.Error
	if !errors.As(err, &ce) {
		return err.Error()
	}
	lines := make([]string, len(ce.Problems))
	for i, p := range ce.Problems {
		lines[i] = "• " + p.String()
	}
	return strings.Join(lines, "\n")
}

// wizardSettings are the wizard's defaults with what IT configured over
// them. A configured organisation or IT Help replaces the built-in one
// whole, so that no default of another college is left showing.
func wizardSettings(c config.Config) shell.Settings {
	s := shell.DefaultSettings()
	s.Language = c.Language
	if c.IdleTimeout > 0 {
		s.IdleTimeout = c.IdleTimeout
	}
	if o := c.Org; o != nil {
		s.Organisation, s.OrganisationNames, s.Copyright, s.Copyrights = o.Name, o.Names, o.Copyright, o.Copyrights
	}
	if h := c.Help; h != nil {
		s.HelpEmail, s.HelpPhone, s.HelpHours = h.Email, h.Phone, h.Hours
	}
	s.DemoMode = c.Demo()
	return s
}

// demoOrganisation is the college of s, as the demonstration's messages
// present it.
func demoOrganisation(s shell.Settings) embedded.Organisation {
	return embedded.Organisation{
		Name: s.Organisation, Names: s.OrganisationNames,
		HelpEmail: s.HelpEmail, HelpPhone: s.HelpPhone, HelpHours: s.HelpHours,
		Copyright: s.Copyright, Copyrights: s.Copyrights,
	}
}

// startLanguage is the language the app starts in: the configured one, or
// the system's.
func startLanguage(s shell.Settings) string {
	if s.Language != "" {
		return s.Language
	}
	return lang.SystemLocale().String()
}
