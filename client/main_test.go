package client

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopSecretServices()
	os.Exit(code)
}

// subprocessEnv names the test that a child test binary is to run.
const subprocessEnv = "CASRESET_CLIENT_TEST_CHILD"

// inChild reports whether the calling test runs in a child test binary
// started for it. When it does not, it starts that child with the variables
// of env (called only here, in the parent; nil for none) and fails the test
// if the child fails; the caller then returns. A child is
// needed where state is process-wide: go-keyring's MockInit cannot be
// undone, and godbus keeps its first session bus connection.
func inChild(t *testing.T, env func() []string) bool {
	t.Helper()
	if os.Getenv(subprocessEnv) == t.Name() {
		return true
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.v", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), subprocessEnv+"="+t.Name())
	if env != nil {
		cmd.Env = append(cmd.Env, env()...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child test binary: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("the child test binary did not run %s:\n%s", t.Name(), out)
	}
	return false
}
