package archtest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// forbidden are the packages that ui/ (the shell and its modes) must not
// depend on, directly or through another package: the wizard speaks to the
// reset service through its Backend port (filled by the client), the
// shell's Demo inbox to the demonstration through its Outbox port (filled
// by desktop/embedded), and failures are told apart by api.FailureOf,
// never by the client's own error types.
var forbidden = []string{
	"casreset/service",          // the service's domain and every adapter under it
	"casreset/client",           // the concrete client and its error types
	"casreset/desktop",          // the adapters that fill the wizard's ports
	"casreset/internal/testkit", // test kits
	"casreset/cmd",              // binaries
}

// TestTheWizardImportsOnlyItsPorts fails when a package of ui/, built as
// the app builds it (tests aside: they may start the real service), depends
// on one of the forbidden packages.
func TestTheWizardImportsOnlyItsPorts(t *testing.T) {
	deps := goList(t, "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{end}}`, "casreset/ui/...")
	for _, pkg := range []string{"casreset/ui", "casreset/ui/shell", "casreset/ui/wizard", "casreset/ui/helpdesk"} {
		if !strings.Contains(deps, pkg+"\n") {
			t.Fatalf("go list does not list %s:\n%s", pkg, deps)
		}
	}
	for _, dep := range strings.Fields(deps) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("ui/ depends on %s: %s", dep, importers(t, dep))
			}
		}
	}
}

// TestTheShellImportsNoMode fails when ui/shell, which every mode (the
// wizard, the help desk) is built on, depends on a mode or on another
// package of ui/ than the widgets of ui: a mode depends on the shell,
// never the other way round.
func TestTheShellImportsNoMode(t *testing.T) {
	deps := goList(t, "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{end}}`, "casreset/ui/shell")
	for _, dep := range strings.Fields(deps) {
		if strings.HasPrefix(dep, "casreset/ui/") && dep != "casreset/ui/shell" {
			t.Errorf("ui/shell depends on %s", dep)
		}
	}
}

// importers names the packages of ui/ and below that import dep directly,
// for the message.
func importers(t *testing.T, dep string) string {
	t.Helper()
	out := goList(t, "-deps", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "casreset/ui/...")
	var who []string
	for _, line := range strings.Split(out, "\n") {
		pkg, imports, ok := strings.Cut(line, ":")
		if ok && strings.HasPrefix(pkg, "casreset/") && strings.Contains(" "+imports+" ", " "+dep+" ") {
			who = append(who, pkg)
		}
	}
	return "imported by " + strings.Join(who, ", ")
}

// goList runs go list in the module's root.
func goList(t *testing.T, args ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to list the packages: %v", err)
	}
	cmd := exec.Command(goTool, append([]string{"list"}, args...)...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
