//go:build windows

package config

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"
)

// TestGroupPolicyFromTheRegistry writes policy values with reg.exe, as
// IT or the Group Policy client would, and reads them the way the app
// does. It uses a key of its own beside PolicyKey so that it never touches
// the policy of the computer it runs on; test/windows runs it under Wine.
func TestGroupPolicyFromTheRegistry(t *testing.T) {
	if got := SystemPolicy().Name(); got != `HKLM\Software\Policies\casreset` {
		t.Errorf("SystemPolicy().Name() = %q", got)
	}

	path := fmt.Sprintf(`%s-test-%d`, PolicyKey, os.Getpid())
	key := `HKLM\` + path
	reg := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("reg", args...).CombinedOutput(); err != nil {
			t.Fatalf("reg %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	set := func(name, typ, data string) { t.Helper(); reg("add", key, "/v", name, "/t", typ, "/d", data, "/f") }
	t.Cleanup(func() { _ = exec.Command("reg", "delete", key, "/f").Run() })
	src := registryPolicy{root: registry.LOCAL_MACHINE, rootName: "HKLM", path: path}

	// No key: no policy, and no problem.
	if values, err := src.Values(); err != nil || len(values) != 0 {
		t.Fatalf("Values of a missing key = %v, %v; want none", values, err)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CASRESET_TEST_DIR", dir)
	set("Server", "REG_SZ", "https://reset.example.edu.hk")
	set("CAFile", "REG_EXPAND_SZ", `%CASRESET_TEST_DIR%\ca.pem`)
	set("Language", "REG_SZ", "zh-HK")
	set("IdleTimeoutMinutes", "REG_DWORD", "10")
	set("OrganisationName_en", "REG_SZ", "Example College")
	set("OrganisationName_zh-HK", "REG_SZ", "示例學院")
	c, err := Load(Flags{}, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server != "https://reset.example.edu.hk" || c.CAFile != filepath.Join(dir, "ca.pem") || string(c.CAPEM) != string(caPEM) ||
		c.Language != "zh-HK" || c.IdleTimeout != 10*time.Minute || c.Org == nil || c.Org.Name != "Example College" || c.Org.Names["zh-HK"] != "示例學院" {
		t.Errorf("read from the registry: %+v", c)
	}

	// A bad value is named with the key, as IT finds it in regedit.
	set("Server", "REG_SZ", "http://reset.example.edu.hk")
	set("Language", "REG_DWORD", "1")
	set("ITHelpHours", "REG_MULTI_SZ", `9-5\0Sat 9-1`)
	set("ITHelpPhone", "REG_BINARY", "0102")
	_, err = Load(Flags{}, nil, src)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *Error", err)
	}
	want := []string{
		`Group Policy ` + key + `\ITHelpHours: must be text (REG_SZ), not a list (REG_MULTI_SZ)`,
		`Group Policy ` + key + `\ITHelpPhone: must be text (REG_SZ), not binary data (REG_BINARY)`,
		`Group Policy ` + key + `\Language: must be text (REG_SZ), not a number (REG_DWORD)`,
		`Group Policy ` + key + `\Server: "http://reset.example.edu.hk" must start with https:// (plain http:// would send passwords unencrypted)`,
	}
	if len(ce.Problems) != len(want) {
		t.Fatalf("problems:\n%v\nwant:\n%s", ce, strings.Join(want, "\n"))
	}
	for i, p := range ce.Problems {
		if p.String() != want[i] {
			t.Errorf("problem %d = %q\nwant %q", i, p.String(), want[i])
		}
	}
}
