package sambatest

import (
	"strings"
	"testing"
)

func TestMissingProgramsFailNamingThePackages(t *testing.T) {
	msg := missingError([]string{"samba-tool", schemaDir}).Error()
	for _, want := range []string{"samba-tool", schemaDir, Packages, "scripts/deps.sh"} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message %q does not name %q", msg, want)
		}
	}
}

func TestSIDsAreFormattedAsWindowsDoes(t *testing.T) {
	// S-1-5-21-1-2-3-1102
	b := []byte{1, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0x4e, 0x04, 0, 0}
	if got, err := sidString(b); err != nil || got != "S-1-5-21-1-2-1102" {
		t.Errorf("sidString = %q, %v", got, err)
	}
	if _, err := sidString(b[:10]); err == nil {
		t.Error("a truncated SID was accepted")
	}
}
