package evidence

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// resetdBin is the resetd binary the tests run, built once by TestMain.
var resetdBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "evidence-resetd-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	resetdBin = filepath.Join(dir, "resetd")
	build := exec.Command("go", "build", "-o", resetdBin, "casreset/cmd/resetd")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building resetd: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
