package windows

import (
	"debug/pe"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/assets"
)

// windowTitle is the wizard's window title in English.
const windowTitle = "CAS Password Reset"

// windowTitleIn is the wizard's window title in the language of tag: the
// title follows the language the wizard shows.
func windowTitleIn(t *testing.T, tag string) string {
	t.Helper()
	lang, ok := assets.Lookup(tag)
	if !ok {
		t.Fatalf("no language %q in the language table", tag)
	}
	data, err := lang.Translations()
	if err != nil {
		t.Fatal(err)
	}
	var texts map[string]json.RawMessage // plural forms are objects
	if err := json.Unmarshal(data, &texts); err != nil {
		t.Fatalf("the %s translations: %v", tag, err)
	}
	var title string
	if err := json.Unmarshal(texts["app.title"], &title); err != nil || title == "" {
		t.Fatalf("the %s translations have no app.title (%v)", tag, err)
	}
	return title
}

// TestAppUnderWine runs the wizard as released, with nothing configured:
// it starts the demonstration, shows its window, clears what an earlier
// run left in the outbox, and when its window is closed as a person
// closes it, it quits and removes the outbox with its codes.
func TestAppUnderWine(t *testing.T) {
	r := buildRelease(t, oldVersion, false)
	checkExecutable(t, r.Exe)
	display := startXvfb(t)
	p := newPrefix(t, display)

	if out := p.run(2*time.Minute, winPath(r.Exe), "--version"); !strings.HasPrefix(out, "casreset "+oldVersion+" (go") || !strings.Contains(out, "windows/amd64") {
		t.Errorf("--version printed %q, want the version, the Go that built it and windows/amd64", out)
	}

	// Codes of an earlier run that was killed, in every user's cache.
	users, _ := filepath.Glob(p.path(`C:\users\*\AppData\Local`))
	if len(users) == 0 {
		t.Fatal("the prefix has no user profile")
	}
	for _, local := range users {
		writeFile(t, filepath.Join(local, "casreset", "outbox", "left-by-a-killed-run-sms.json"), `{"code":"123456"}`)
	}

	app := p.start(winPath(r.Exe), "--lang", "en")
	line := app.waitForLine(5*time.Minute, "INFO demonstration service", "outbox=")
	outbox := logValue(line, "outbox")
	database := logValue(line, "database")
	if !strings.HasSuffix(outbox, `\AppData\Local\casreset\outbox`) || !strings.HasSuffix(database, `\AppData\Local\casreset\demo`) {
		t.Errorf("outbox %q, database %q: want both in %%LocalAppData%%\\casreset", outbox, database)
	}
	window := waitForWindow(t, display, windowTitle, app, 5*time.Minute)
	waitForPicture(t, display, window, app, 3*time.Minute)
	entries, err := os.ReadDir(p.path(outbox))
	if err != nil {
		t.Fatalf("no outbox while the demonstration runs: %v", err)
	}
	for _, e := range entries {
		t.Errorf("%s, left by an earlier run, is still in the outbox", e.Name())
	}

	// taskkill without /f asks the window to close (WM_CLOSE), as its
	// close button does.
	// On a busy machine Wine once lost the first request (1 run in 4: the
	// app logged nothing after it); a person whose click on the close
	// button does nothing clicks again, and so does the test, once.
	p.run(time.Minute, "taskkill", "/im", filepath.Base(r.Exe))
	if !app.exited(time.Minute) {
		t.Log("the app did not quit a minute after the close request; asking once more")
		// It may be quitting slowly and gone before this: taskkill then
		// finds no such program, which is no failure.
		_, _ = p.try(time.Minute, "taskkill", "/im", filepath.Base(r.Exe))
	}
	if err := app.waitForExit(2 * time.Minute); err != nil {
		t.Errorf("the app exited with %v:\n%s", err, app.output())
	}
	if _, err := os.Stat(p.path(outbox)); !os.IsNotExist(err) {
		t.Errorf("the outbox is still there after the app quit: %v", err)
	}
	if _, err := os.Stat(p.path(database)); err != nil {
		t.Errorf("the demonstration database went with the outbox: %v", err)
	}
}

// checkExecutable checks that exe is an x86-64 Windows GUI program (no
// console window) with a resource section (icon, version).
func checkExecutable(t *testing.T, exe string) {
	t.Helper()
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatalf("%s is not a Windows executable: %v", exe, err)
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Fatalf("%s is not an x86-64 executable (machine %#x)", exe, f.Machine)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want the GUI subsystem (%d): it would open a console window", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	if f.Section(".rsrc") == nil {
		t.Errorf("%s has no resource section: no icon, no version", exe)
	}
}

// logValue is the value of key in a log line of the app (log/slog's text
// form: key=value, quoted when it holds a space).
func logValue(line, key string) string {
	i := strings.Index(line, " "+key+"=")
	if i < 0 {
		return ""
	}
	rest := line[i+len(key)+2:]
	if strings.HasPrefix(rest, `"`) {
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			s, _ := strconv.Unquote(q)
			return s
		}
	}
	v, _, _ := strings.Cut(rest, " ")
	return v
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
