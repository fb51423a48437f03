package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casreset/desktop/config"
	"casreset/desktop/embedded"
	"casreset/ui/helpdesk"
	"casreset/ui/shell"
	"casreset/ui/wizard"
)

// launched is what launch put into the window: the wizard's
// dependencies, or the start error.
type launched struct {
	stop  func()
	cache string // the embedded service's cache directory

	wizard   *wizard.Deps
	desk     *helpdesk.Deps
	problem  shell.StartProblem
	details  string
	language string
	failed   bool
}

func launchForTest(t *testing.T, flags config.Flags, locations []string) *launched {
	t.Helper()
	return launchWithPolicy(t, flags, locations, nil)
}

func launchWithPolicy(t *testing.T, flags config.Flags, locations []string, policy config.PolicySource) *launched {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	l := &launched{cache: t.TempDir()}
	l.stop = launch(a, w, flags, locations, policy, launchOptions{
		Embedded: func(o *embedded.Options) { o.CacheDir = l.cache },
		Log:      slog.New(slog.DiscardHandler),
		ShowWizard: func(_ fyne.App, _ fyne.Window, d wizard.Deps) {
			l.wizard = &d
		},
		ShowHelpdesk: func(_ fyne.App, _ fyne.Window, d helpdesk.Deps) {
			l.desk = &d
		},
		ShowError: func(_ fyne.App, _ fyne.Window, language string, p shell.StartProblem, details string) {
			l.failed, l.language, l.problem, l.details = true, language, p, details
		},
	})
	t.Cleanup(func() {
		if l.wizard != nil && l.wizard.DemoInbox != nil {
			l.wizard.DemoInbox.Close()
		}
		if l.desk != nil && l.desk.DemoInbox != nil {
			l.desk.DemoInbox.Close()
		}
		l.stop()
	})
	return l
}

func TestNoConfigurationRunsTheEmbeddedDefault(t *testing.T) {
	l := launchForTest(t, config.Flags{Lang: "en"}, []string{filepath.Join(t.TempDir(), config.FileName)})
	if l.failed || l.wizard == nil {
		t.Fatalf("no wizard: %s", l.details)
	}
	d := l.wizard
	if !d.Settings.DemoMode || d.DemoInbox == nil {
		t.Errorf("demo mode %v, Demo inbox %v: want both", d.Settings.DemoMode, d.DemoInbox != nil)
	}
	if d.Staff != nil {
		t.Error("the demonstration would remember its staff numbers in the OS keyring")
	}
	// The wizard's backend reaches the embedded service over TLS.
	ctx := context.Background()
	if _, err := d.Backend.NewCaptcha(ctx); err != nil {
		t.Fatalf("the wizard cannot reach the embedded service: %v", err)
	}
	if _, err := os.Stat(filepath.Join(l.cache, "demo", "resetd.db")); err != nil {
		t.Errorf("no demonstration database in the cache directory: %v", err)
	}
	outbox := filepath.Join(l.cache, embedded.OutboxDir)
	if _, err := os.Stat(outbox); err != nil {
		t.Fatalf("no outbox in the cache directory: %v", err)
	}

	// Quitting shuts the embedded service down.
	l.stop()
	if _, err := os.Stat(outbox); !os.IsNotExist(err) {
		t.Errorf("the outbox is still there after the app quit: %v", err)
	}
	if _, err := d.Backend.NewCaptcha(ctx); err == nil {
		t.Error("the embedded service still answers after the app quit")
	}
}

func TestAConfiguredServerRunsTheWizardWithoutDemo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, config.FileName)
	os.WriteFile(path, []byte(`server = "https://127.0.0.1:1"
language = "zh-HK"
[organisation]
name = "Example College"
`), 0o644)
	l := launchForTest(t, config.Flags{Config: path}, nil)
	if l.failed || l.wizard == nil {
		t.Fatalf("no wizard: %s", l.details)
	}
	d := l.wizard
	if d.Settings.DemoMode || d.DemoInbox != nil || d.Staff == nil {
		t.Errorf("demo mode %v, Demo inbox %v, keyring %v: want the real service's wizard", d.Settings.DemoMode, d.DemoInbox != nil, d.Staff != nil)
	}
	if d.Settings.Organisation != "Example College" || d.Settings.Language != "zh-HK" {
		t.Errorf("settings %+v do not follow the file", d.Settings)
	}
	if entries, _ := os.ReadDir(l.cache); len(entries) > 0 {
		t.Errorf("the embedded service started although a server is configured: %s", entries[0].Name())
	}
}

func TestABadConfigurationSaysWhereAndGoesNoFurther(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"http server", "# IT\n\nserver = \"http://reset.example.edu.hk\"\n", []string{"line 3", `key "server"`, "https://"}},
		{"typo in a key", "[it_help]\nemial = \"ithelp@example.edu.hk\"\n", []string{"line 2", `key "it_help.emial"`, `did you mean "email"`}},
		{"not TOML", "language = zh-HK\n", []string{"line 1", "not valid TOML"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), config.FileName)
			os.WriteFile(path, []byte(tc.file), 0o644)
			l := launchForTest(t, config.Flags{Config: path, Lang: "zh-HK"}, nil)
			if !l.failed || l.problem != shell.BadConfiguration || l.wizard != nil {
				t.Fatalf("failed %v (problem %v), wizard shown %v", l.failed, l.problem, l.wizard != nil)
			}
			for _, want := range append(tc.want, path) {
				if !strings.Contains(l.details, want) {
					t.Errorf("the details do not say %q: %s", want, l.details)
				}
			}
			if !strings.HasPrefix(l.details, "• "+path+", line ") {
				t.Errorf("the details are not a list of problems: %s", l.details)
			}
			if l.language != "zh-HK" {
				t.Errorf("the start error is in %q, want the --lang given", l.language)
			}
			if entries, _ := os.ReadDir(l.cache); len(entries) > 0 {
				t.Errorf("the embedded service started despite the bad configuration")
			}
		})
	}
}

// policy is Group Policy's registry key with the values given.
type policy map[string]any

func (policy) Name() string                      { return config.PolicyKeyName }
func (p policy) Values() (map[string]any, error) { return p, nil }

// TestGroupPolicyOverTheFile: a server set by Group Policy is the one the
// wizard talks to, and a bad policy value is named in the start error as
// a file's line is.
func TestGroupPolicyOverTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.FileName)
	os.WriteFile(path, []byte("language = \"zh-HK\"\n"), 0o644)
	l := launchWithPolicy(t, config.Flags{Config: path}, nil, policy{"Server": "https://127.0.0.1:1", "Language": "en"})
	if l.failed || l.wizard == nil {
		t.Fatalf("no wizard: %s", l.details)
	}
	if s := l.wizard.Settings; s.DemoMode || s.Language != "en" {
		t.Errorf("demo mode %v, language %q: want the policy's server and language", s.DemoMode, s.Language)
	}

	l = launchWithPolicy(t, config.Flags{Config: path, Lang: "zh-HK"}, nil, policy{"Server": "http://reset.example.edu.hk"})
	if !l.failed || l.problem != shell.BadConfiguration || l.wizard != nil {
		t.Fatalf("failed %v (problem %v), wizard shown %v", l.failed, l.problem, l.wizard != nil)
	}
	want := `• Group Policy HKLM\Software\Policies\casreset\Server: "http://reset.example.edu.hk" must start with https://`
	if !strings.HasPrefix(l.details, want) {
		t.Errorf("details %q, want them to start with %q", l.details, want)
	}
	if entries, _ := os.ReadDir(l.cache); len(entries) > 0 {
		t.Errorf("the embedded service started despite the bad policy")
	}
}

func TestADemoThatCannotStartSaysSo(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "file")
	os.WriteFile(cache, nil, 0o600) // a file where the cache directory should be
	a := test.NewTempApp(t)
	var problem shell.StartProblem
	var details string
	stop := launch(a, test.NewTempWindow(t, widget.NewLabel("")), config.Flags{}, nil, nil, launchOptions{
		Embedded:   func(o *embedded.Options) { o.CacheDir = cache },
		Log:        slog.New(slog.DiscardHandler),
		ShowWizard: func(fyne.App, fyne.Window, wizard.Deps) { t.Error("the wizard is shown without a service") },
		ShowError: func(_ fyne.App, _ fyne.Window, _ string, p shell.StartProblem, d string) {
			problem, details = p, d
		},
	})
	stop()
	if problem != shell.DemoUnavailable || !strings.Contains(details, cache) {
		t.Errorf("problem %v, details %q", problem, details)
	}
}

func TestWizardSettingsFromConfiguration(t *testing.T) {
	c := config.Config{
		Server: "https://reset.example.edu.hk", Language: "zh-HK", IdleTimeout: 3 * time.Minute,
		Org:  &config.Organisation{Name: "Example College", Names: map[string]string{"zh-HK": "示例學院"}},
		Help: &config.ITHelp{Phone: "2345 6789"},
	}
	s := wizardSettings(c)
	if s.Organisation != "Example College" || s.OrganisationNames["zh-HK"] != "示例學院" || s.Copyright != "" ||
		s.HelpPhone != "2345 6789" || s.HelpEmail != "" || s.Language != "zh-HK" || s.IdleTimeout != 3*time.Minute || s.DemoMode {
		t.Errorf("settings %+v", s)
	}
	s = wizardSettings(config.Config{})
	if !s.DemoMode || s.Organisation == "" || s.HelpEmail == "" || s.IdleTimeout == 0 {
		t.Errorf("settings without configuration %+v: want the defaults in demo mode", s)
	}
	if o := embedded.DemoOrg(demoOrganisation(s), startLanguage(s)); o.Validate() != nil || o.Name != s.Organisation ||
		o.Copyrights["zh-HK"] == "" || o.Copyrights["zh-HK"] != s.Copyrights["zh-HK"] {
		t.Errorf("the demonstration's organisation %+v: %v", o, o.Validate())
	}
	s.Language = "zh-HK"
	if startLanguage(s) != "zh-HK" {
		t.Error("the configured language is not the one the app starts in")
	}
}

// TestHelpdeskRunsTheHelpDeskOverTheDemonstration: --helpdesk with no
// server shows the help desk, not the wizard, over the embedded service,
// with its Demo inbox and the demonstration operator, who can sign in.
func TestHelpdeskRunsTheHelpDeskOverTheDemonstration(t *testing.T) {
	l := launchForTest(t, config.Flags{Lang: "en", Helpdesk: true}, []string{filepath.Join(t.TempDir(), config.FileName)})
	if l.failed || l.desk == nil || l.wizard != nil {
		t.Fatalf("help desk %v, wizard %v: %s", l.desk != nil, l.wizard != nil, l.details)
	}
	d := l.desk
	if !d.Settings.DemoMode || d.DemoInbox == nil || d.Demo == nil || d.Desk == nil {
		t.Fatalf("demo mode %v, Demo inbox %v, demo operator %v, desk %v: want all", d.Settings.DemoMode, d.DemoInbox != nil, d.Demo != nil, d.Desk != nil)
	}
	name, password, code := d.Demo.DemoSignIn(time.Now())
	s, err := d.Desk.HelpdeskSignIn(context.Background(), name, password, code)
	if err != nil || s.Operator.Name != name {
		t.Errorf("the demonstration operator's sign-in: %+v, %v", s, err)
	}
}

// TestModeInTheFileRunsTheHelpDesk: mode = "helpdesk" with a server shows
// the help desk over that server, without demonstration.
func TestModeInTheFileRunsTheHelpDesk(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.FileName)
	os.WriteFile(path, []byte("server = \"https://127.0.0.1:1\"\nmode = \"helpdesk\"\n"), 0o644)
	l := launchForTest(t, config.Flags{Config: path}, nil)
	if l.failed || l.desk == nil || l.wizard != nil {
		t.Fatalf("help desk %v, wizard %v: %s", l.desk != nil, l.wizard != nil, l.details)
	}
	if l.desk.Settings.DemoMode || l.desk.Demo != nil || l.desk.DemoInbox != nil {
		t.Error("the help desk over a configured server shows the demonstration")
	}
}

func TestFlags(t *testing.T) {
	f, err := parseFlags([]string{"--config", "a.toml", "--server", "https://x.example", "--ca", "ca.pem", "--pin", "p", "--lang", "en", "--helpdesk"}, io.Discard)
	if err != nil || f != (config.Flags{Config: "a.toml", Server: "https://x.example", CA: "ca.pem", Pin: "p", Lang: "en", Helpdesk: true}) {
		t.Errorf("parseFlags = %+v, %v", f, err)
	}
	for _, args := range [][]string{{"--sever", "https://x"}, {"stray"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

// TestVersionNamesTheGoToolchain: --version stops before any window and
// names the release and the Go that built it, so IT can tell whether a
// build carries a standard library with known vulnerabilities.
func TestVersionNamesTheGoToolchain(t *testing.T) {
	if _, err := parseFlags([]string{"--version"}, io.Discard); !errors.Is(err, errShowVersion) {
		t.Fatalf("parseFlags(--version) = %v, want errShowVersion", err)
	}
	v := versionString()
	if !strings.HasPrefix(v, "casreset "+version+" ") || !strings.Contains(v, runtime.Version()) {
		t.Errorf("versionString() = %q, want the release %q and %s", v, version, runtime.Version())
	}
}

// TestREADMEListsTheDemoAccounts: the README's demo section names every
// demonstration account, as the help page does (tested in ui).
func TestREADMEListsTheDemoAccounts(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range embedded.Accounts {
		if !bytes.Contains(readme, []byte("`"+a.StaffNumber+"`")) {
			t.Errorf("README.md does not list the demo account %s", a.StaffNumber)
		}
	}
}
