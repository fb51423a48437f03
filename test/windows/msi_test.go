package windows

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/service/delivery"
	"casreset/service/server"
)

// Where the MSI installs and where IT's configuration lives.
const (
	installedExe = `C:\Program Files\CAS Password Reset\casreset.exe`
	configDir    = `C:\ProgramData\casreset`
	policyKey    = `HKLM\Software\Policies\casreset`
	shortcutName = "CAS Password Reset.lnk"
)

// The licence of the Chinese fonts the program embeds, which the SIL OFL
// asks to ship with them: in the repository, and as the MSI installs it
// beside the program (the Linux archive's name).
const (
	fontLicence          = "assets/fonts/OFL.txt"
	installedFontLicence = "FONTS-OFL.txt"
)

// TestMSIUnderWine deploys the wizard as IT does: the MSI installed
// silently per machine, a configuration in ProgramData naming the
// college's reset service, the app started from Program Files; then a
// later build of the same x.y.z installed over it, Group Policy set over
// the file, and the MSI removed. IT's configuration is never touched.
func TestMSIUnderWine(t *testing.T) {
	older := buildRelease(t, oldVersion, false)
	newer := buildRelease(t, newVersion, true)
	display := startXvfb(t)
	p := newPrefix(t, display)

	// Two real reset services, each with a CA of its own: the file names
	// the first, Group Policy the second.
	fileService, policyService := startService(t), startService(t)

	p.run(5*time.Minute, "msiexec", "/i", winPath(older.MSI), "/qn")
	if _, err := os.Stat(p.path(installedExe)); err != nil {
		t.Fatalf("the MSI did not install %s: %v", installedExe, err)
	}
	if got := installedVersions(t, p); len(got) != 1 || got[0] != "1.0.0" {
		t.Errorf("Apps lists versions %q, want one, 1.0.0", got)
	}
	if got := shortcuts(t, p); len(got) != 1 {
		t.Errorf("Start-menu shortcuts %q, want one", got)
	}
	licence := filepath.Join(filepath.Dir(p.path(installedExe)), installedFontLicence)
	want, err := os.ReadFile(filepath.Join(repoRoot, fontLicence))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(licence); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s beside the program (%v) is not %s", installedFontLicence, err, fontLicence)
	}

	config := `# IT's settings
server = "` + fileService.URL + `"
ca_file = "ca.pem"
language = "en"

[organisation]
name = "Example College"
`
	writeFile(t, p.path(configDir+`\casreset.toml`), config)
	writeFile(t, p.path(configDir+`\ca.pem`), string(fileService.CAPEM))
	configFiles := snapshot(t, p.path(configDir))

	// The installed app reads ProgramData's file and reaches the service
	// it names, trusting the CA beside it.
	app := p.start(installedExe)
	line := app.waitForLine(5*time.Minute, "INFO configuration")
	if logValue(line, "file") != configDir+`\casreset.toml` || logValue(line, "server") != fileService.URL || logValue(line, "policy") != "" {
		t.Errorf("the app's configuration: %s\nwant the file in %s and its server %s", line, configDir, fileService.URL)
	}
	fileService.waitForRequest(t, "POST /v1/captchas 201", app)
	waitForWindow(t, display, windowTitle, app, 3*time.Minute)
	app.kill()

	// A later build of the same x.y.z replaces the program, and only it.
	p.run(5*time.Minute, "msiexec", "/i", winPath(newer.MSI), "/qn")
	if got := installedVersions(t, p); len(got) != 1 {
		t.Errorf("Apps lists versions %q after the upgrade, want one", got)
	}
	if out := p.run(2*time.Minute, installedExe, "--version"); !strings.HasPrefix(out, "casreset "+newVersion+" ") {
		t.Errorf("after the upgrade the installed program says %q, want %s", out, newVersion)
	}
	if got := shortcuts(t, p); len(got) != 1 {
		t.Errorf("Start-menu shortcuts %q after the upgrade, want one", got)
	}
	sameFiles(t, "after the upgrade", configFiles, snapshot(t, p.path(configDir)))

	// Group Policy over the file: a bad value stops the app and is named
	// as a file's line is.
	p.run(time.Minute, "reg", "add", policyKey, "/v", "Server", "/t", "REG_SZ", "/d", "http://reset.example.edu.hk", "/f")
	app = p.start(installedExe)
	line = app.waitForLine(5*time.Minute, "ERROR configuration")
	if err := logValue(line, "err"); !strings.HasPrefix(err, `Group Policy `+policyKey+`\Server: "http://reset.example.edu.hk" must start with https://`) {
		t.Errorf("the app's error %q does not name the policy value", err)
	}
	waitForWindow(t, display, windowTitle, app, 3*time.Minute) // the start error
	app.kill()

	// A good one wins over the file: the app talks to the policy's
	// service, trusting the policy's CA (a path with %ProgramData%).
	writeFile(t, p.path(configDir+`\policy-ca.pem`), string(policyService.CAPEM))
	p.run(time.Minute, "reg", "add", policyKey, "/v", "Server", "/t", "REG_SZ", "/d", policyService.URL, "/f")
	p.run(time.Minute, "reg", "add", policyKey, "/v", "CAFile", "/t", "REG_EXPAND_SZ", "/d", `%ProgramData%\casreset\policy-ca.pem`, "/f")
	app = p.start(installedExe)
	line = app.waitForLine(5*time.Minute, "INFO configuration")
	if logValue(line, "server") != policyService.URL || logValue(line, "policy") != "CAFile,Server" {
		t.Errorf("the app's configuration with Group Policy: %s\nwant the policy's server %s", line, policyService.URL)
	}
	policyService.waitForRequest(t, "POST /v1/captchas 201", app)
	app.kill()

	// Uninstalling removes the program and its shortcut, and leaves IT's
	// files.
	p.run(5*time.Minute, "msiexec", "/x", winPath(newer.MSI), "/qn")
	for _, path := range []string{p.path(installedExe), licence} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s is still there after uninstalling: %v", path, err)
		}
	}
	if got := installedVersions(t, p); len(got) != 0 {
		t.Errorf("Apps still lists %q after uninstalling", got)
	}
	if got := shortcuts(t, p); len(got) != 0 {
		t.Errorf("Start-menu shortcuts %q are still there after uninstalling", got)
	}
	sameFiles(t, "after uninstalling", configFiles, snapshot(t, p.path(configDir)))
}

// installedVersions are the DisplayVersion of every entry named CAS
// Password Reset in the machine's uninstall list ("Apps").
func installedVersions(t *testing.T, p *prefix) []string {
	t.Helper()
	out := p.run(time.Minute, "reg", "query", `HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall`, "/s")
	var versions []string
	for _, entry := range strings.Split(out, "\nHKEY_") {
		if !strings.Contains(entry, "REG_SZ    CAS Password Reset\n") {
			continue
		}
		for _, line := range strings.Split(entry, "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "DisplayVersion" {
				versions = append(versions, f[2])
			}
		}
	}
	return versions
}

// shortcuts are the wizard's Start-menu shortcuts: in the menu of all
// users, where Windows Installer puts a per-machine package's
// ProgramMenuFolder, or in a user's, where Wine 8 puts it.
func shortcuts(t *testing.T, p *prefix) []string {
	t.Helper()
	var found []string
	for _, pattern := range []string{
		`C:\ProgramData\Microsoft\Windows\Start Menu\Programs`,
		`C:\users\*\AppData\Roaming\Microsoft\Windows\Start Menu\Programs`,
	} {
		m, _ := filepath.Glob(filepath.Join(p.path(pattern), shortcutName))
		found = append(found, m...)
	}
	return found
}

// snapshot is every file of dir with its contents.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[path], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(t *testing.T, when string, want, got map[string][]byte) {
	t.Helper()
	for path, data := range want {
		if !bytes.Equal(got[path], data) {
			t.Errorf("%s %s changed or went: %q", when, path, got[path])
		}
	}
}

// service is a real reset service for the app to reach.
type service struct {
	URL      string
	CAPEM    []byte
	requests chan string // "ROUTE STATUS" of each request, from its access log
}

// startService starts the reset service on a free loopback port, with a
// CA made for it, and stops it when the test ends.
func startService(t *testing.T) *service {
	t.Helper()
	s := &service{requests: make(chan string, 100)}
	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.EphemeralTLS = true
	cfg.MetricsAddr = server.MetricsOff
	cfg.Outbox = t.TempDir()
	cfg.Org = delivery.Org{Name: "Example College", HelpEmail: "ithelp@example.edu.hk"}
	cfg.Log = slog.New(accessLog{s.requests})
	r, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Shutdown(ctx)
	})
	s.URL, s.CAPEM = r.URL, r.CAPEM
	return s
}

// waitForRequest waits until the service has answered want ("POST
// /v1/captchas 201"), failing the test when the app ends first.
func (s *service) waitForRequest(t *testing.T, want string, app *process) {
	t.Helper()
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case got := <-s.requests:
			if got == want {
				return
			}
		case <-app.ended:
			t.Fatalf("the app ended (%v) before the service answered %s:\n%s", app.err, want, app.output())
		case <-deadline:
			t.Fatalf("the service did not answer %s:\n%s", want, app.output())
		}
	}
}

// accessLog hands on the route and status of each request the service
// logs.
type accessLog struct{ requests chan<- string }

func (accessLog) Enabled(context.Context, slog.Level) bool { return true }
func (l accessLog) WithAttrs([]slog.Attr) slog.Handler     { return l }
func (l accessLog) WithGroup(string) slog.Handler          { return l }

func (l accessLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	var route, status string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "route":
			route = a.Value.String()
		case "status":
			status = a.Value.String()
		}
		return true
	})
	select {
	case l.requests <- fmt.Sprintf("%s %s", route, status):
	default:
	}
	return nil
}

// msiTable is a table of an MSI as msiinfo exports it: the rows after
// the three header lines, split at tabs.
func msiTable(t *testing.T, msi, table string) [][]string {
	t.Helper()
	cmd := exec.Command("msiinfo", "export", msi, table)
	cmd.Dir = t.TempDir() // where it writes the streams of binary columns
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("msiinfo export %s %s: %v", msi, table, err)
	}
	lines := strings.Split(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n")
	var rows [][]string
	for _, line := range lines[min(3, len(lines)):] {
		if line != "" {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	return rows
}

// TestMSIPackage checks what the MSI tells Windows Installer: per machine
// into Program Files, a Start-menu shortcut with the icon, the program's
// file version, a fixed UpgradeCode with a major upgrade of any installed
// build up to the same x.y.z, a refusal to downgrade, and no
// configuration file.
func TestMSIPackage(t *testing.T) {
	older := buildRelease(t, oldVersion, false)
	newer := buildRelease(t, newVersion, true)
	properties := func(msi string) map[string]string {
		p := map[string]string{}
		for _, row := range msiTable(t, msi, "Property") {
			p[row[0]] = row[1]
		}
		return p
	}
	po, pn := properties(older.MSI), properties(newer.MSI)
	if pn["ALLUSERS"] != "1" {
		t.Errorf("ALLUSERS = %q: not a per-machine package", pn["ALLUSERS"])
	}
	if pn["UpgradeCode"] == "" || pn["UpgradeCode"] != po["UpgradeCode"] {
		t.Errorf("UpgradeCode %q, then %q: want one that never changes", po["UpgradeCode"], pn["UpgradeCode"])
	}
	if pn["ProductCode"] == po["ProductCode"] {
		t.Errorf("two builds share the ProductCode %s", pn["ProductCode"])
	}
	if pn["ProductVersion"] != "1.0.0" {
		t.Errorf("ProductVersion of %s = %q, want its tag's 1.0.0", newVersion, pn["ProductVersion"])
	}
	if out, err := exec.Command("msiinfo", "suminfo", newer.MSI).Output(); err != nil || !strings.Contains(string(out), "Template: x64;") {
		t.Errorf("summary information %s (%v): want an x64 package", out, err)
	}

	// File, Component_, FileName (short|long, or one name), FileSize,
	// Version, ...
	files := map[string][]string{}
	for _, row := range msiTable(t, newer.MSI, "File") {
		files[row[2][strings.LastIndex(row[2], "|")+1:]] = row
	}
	if exe := files["casreset.exe"]; len(files) != 2 || len(exe) < 5 || exe[4] != "1.0.0.2" {
		t.Errorf("File table %q, want casreset.exe with its file version 1.0.0.2, and the fonts' licence", files)
	}
	licence, err := os.ReadFile(filepath.Join(repoRoot, fontLicence))
	if err != nil {
		t.Fatal(err)
	}
	if ofl := files[installedFontLicence]; len(ofl) < 4 || ofl[3] != strconv.Itoa(len(licence)) {
		t.Errorf("File table row %q, want %s, the %d bytes of %s", ofl, installedFontLicence, len(licence), fontLicence)
	}
	dirs := map[string][]string{}
	for _, row := range msiTable(t, newer.MSI, "Directory") {
		dirs[row[0]] = row
	}
	if d := dirs["INSTALLDIR"]; len(d) < 3 || d[1] != "ProgramFiles64Folder" || d[2] != "CAS Password Reset" {
		t.Errorf("installs into %q, want Program Files\\CAS Password Reset", d)
	}
	shortcuts := msiTable(t, newer.MSI, "Shortcut")
	icons := msiTable(t, newer.MSI, "Icon")
	if len(shortcuts) != 1 || shortcuts[0][1] != "ProgramMenuFolder" || shortcuts[0][8] != "casreset.ico" ||
		len(icons) != 1 || icons[0][0] != "casreset.ico" {
		t.Errorf("shortcuts %q with icons %q: want one in ProgramMenuFolder with casreset.ico", shortcuts, icons)
	}

	// UpgradeCode, VersionMin, VersionMax, Language, Attributes, Remove,
	// ActionProperty.
	var upgrades, detectsNewer bool
	for _, row := range msiTable(t, newer.MSI, "Upgrade") {
		switch {
		case row[6] == "WIX_UPGRADE_DETECTED":
			// 0x200: the maximum itself is included.
			upgrades = row[0] == pn["UpgradeCode"] && row[1] == "" && row[2] == "1.0.0" && row[4] == "513"
		case row[6] == "WIX_DOWNGRADE_DETECTED":
			detectsNewer = row[1] == "1.0.0" && row[4] == "2"
		}
	}
	if !upgrades || !detectsNewer {
		t.Errorf("Upgrade table %q: want every installed build up to 1.0.0 replaced, and newer ones detected", msiTable(t, newer.MSI, "Upgrade"))
	}
	conditions := msiTable(t, newer.MSI, "LaunchCondition")
	if len(conditions) != 1 || conditions[0][0] != "NOT WIX_DOWNGRADE_DETECTED" {
		t.Errorf("launch conditions %q: want a refusal to downgrade", conditions)
	}
}
