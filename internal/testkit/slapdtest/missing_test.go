package slapdtest

import (
	"fmt"
	"strings"
	"testing"
)

// fatalRecorder stands in for a test to see what a helper fails with.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) { r.msg = fmt.Sprintf(format, args...) }

func TestMissingProgramFailsNamingThePackages(t *testing.T) {
	r := &fatalRecorder{TB: t}
	if got := program(r, "slapd-not-installed", "/nonexistent/slapd"); got != "" {
		t.Fatalf("program = %q", got)
	}
	if !strings.Contains(r.msg, "slapd-not-installed is not installed") || !strings.Contains(r.msg, "slapd ldap-utils") {
		t.Fatalf("failure message %q does not name the missing program and the packages", r.msg)
	}
}
