package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoLocaleErrorUnderThePOSIXLocale starts this test program again, as
// the wizard starts, under LANG=C.UTF-8 (Debian's default, and many remote
// sessions'), and finds no "Error parsing user locale C" from Fyne.
func TestNoLocaleErrorUnderThePOSIXLocale(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES":
		default:
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the program under LANG=C.UTF-8: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Error parsing user locale") {
		t.Errorf("Fyne still cannot read the locale:\n%s", out)
	}
}
