package windows

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPackagesUnderWine runs the tests of the packages that meet Windows
// itself, cross-compiled, each in a fresh prefix: every test must pass,
// and those that only exist on Windows must have run.
func TestPackagesUnderWine(t *testing.T) {
	tests := []struct {
		pkg  string
		must []string // tests that must have passed
	}{
		// go-keyring's Credential Manager code path, and the client over
		// Windows' TLS and sockets.
		{"casreset/client", []string{"TestKeyringWithCredentialManager", "TestRealServiceWholeFlow"}},
		// Group Policy values written with reg.exe, read from the registry.
		{"casreset/desktop/config", []string{"TestGroupPolicyFromTheRegistry", "TestDefaultLocationsStartBesideTheExecutable"}},
		// The Demo inbox's outbox emptied and removed with Windows' rules.
		{"casreset/desktop/embedded", []string{"TestStartEmptiesWhatAnEarlierRunLeft", "TestShutdownRemovesTheOutboxAndKeepsTheDatabase"}},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			exe, dir := windowsTestBinary(t, tc.pkg)
			p := newPrefix(t, "")
			cmd := p.command(t.Context(), winPath(exe), "-test.v", "-test.count=1", "-test.timeout=15m")
			cmd.Dir = dir // the tests read files beside them
			out, err := cmd.CombinedOutput()
			text := strings.ReplaceAll(string(out), "\r\n", "\n")
			if err != nil {
				if _, exited := err.(*exec.ExitError); !exited {
					t.Fatalf("wine: %v", err)
				}
				t.Fatalf("the tests of %s failed under Wine: %v\n%s", tc.pkg, err, failures(text))
			}
			for _, name := range tc.must {
				if !strings.Contains(text, "--- PASS: "+name+" ") {
					t.Errorf("%s did not run and pass under Wine:\n%s", name, text)
				}
			}
		})
	}
}

// failures is the part of a verbose test output worth reading: the lines
// of failed tests and what they logged, or all of it when none is marked.
func failures(out string) string {
	var keep []string
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if strings.Contains(line, "--- FAIL") || strings.HasPrefix(strings.TrimSpace(line), "panic:") {
			start := max(0, i-20)
			keep = append(keep, lines[start:i+1]...)
		}
	}
	if len(keep) == 0 {
		return out
	}
	return strings.Join(keep, "\n")
}
