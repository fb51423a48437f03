package config

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

func TestLocations(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name    string
		goos    string
		exeDir  string
		env     map[string]string
		userDir string
		want    []string
	}{
		{"windows", "windows", "/opt/casreset", map[string]string{"ProgramData": `D:\ProgramData`}, `C:\Users\chan\AppData\Roaming`,
			[]string{filepath.Join("/opt/casreset", FileName), `D:\ProgramData\casreset\casreset.toml`}},
		{"windows without ProgramData", "windows", "", nil, "",
			[]string{`C:\ProgramData\casreset\casreset.toml`}},
		// The directories given are joined as the build's paths are.
		{"linux", "linux", "/opt/casreset", nil, "/home/chan/.config",
			[]string{filepath.Join("/opt/casreset", FileName), "/etc/casreset/casreset.toml", filepath.Join("/home/chan/.config", "casreset", FileName)}},
		{"linux without a home", "linux", "/opt/casreset", nil, "",
			[]string{filepath.Join("/opt/casreset", FileName), "/etc/casreset/casreset.toml"}},
	}
	for _, tc := range tests {
		if got := Locations(tc.goos, tc.exeDir, env(tc.env), tc.userDir); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Locations = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDefaultLocationsStartBesideTheExecutable(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ = filepath.EvalSymlinks(exe)
	got := DefaultLocations()
	if len(got) < 2 || got[0] != filepath.Join(filepath.Dir(exe), FileName) {
		t.Fatalf("DefaultLocations = %q, want the executable's directory first", got)
	}
	if runtime.GOOS == "linux" && got[1] != "/etc/casreset/casreset.toml" {
		t.Errorf("DefaultLocations[1] = %q, want /etc/casreset/casreset.toml", got[1])
	}
}

// TestPrecedence: a flag beats --config, which beats the file beside the
// executable, which beats the machine's file, which beats the user's.
func TestPrecedence(t *testing.T) {
	root := t.TempDir()
	file := func(dir, org, lang string) string {
		return writeFile(t, filepath.Join(root, dir), FileName,
			"language = \""+lang+"\"\n[organisation]\nname = \""+org+"\"\n")
	}
	explicit := file("explicit", "From --config", "zh-HK")
	beside := file("beside", "Beside the executable", "zh-HK")
	machine := file("machine", "Machine", "zh-HK")
	user := file("user", "User", "zh-HK")
	missing := filepath.Join(root, "nowhere", FileName)

	tests := []struct {
		name      string
		flags     Flags
		locations []string
		wantOrg   string
		wantLang  string
	}{
		{"nothing anywhere", Flags{}, []string{missing}, "", ""},
		{"the user's file when it is the only one", Flags{}, []string{missing, missing, user}, "User", "zh-HK"},
		{"the machine's file over the user's", Flags{}, []string{missing, machine, user}, "Machine", "zh-HK"},
		{"beside the executable over the machine's", Flags{}, []string{beside, machine, user}, "Beside the executable", "zh-HK"},
		{"--config over every location", Flags{Config: explicit}, []string{beside, machine, user}, "From --config", "zh-HK"},
		{"a flag over --config", Flags{Config: explicit, Lang: "en"}, []string{beside}, "From --config", "en"},
		{"a flag over the file found", Flags{Lang: "en"}, []string{beside}, "Beside the executable", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.flags, tc.locations, nil)
			if err != nil {
				t.Fatal(err)
			}
			org := ""
			if c.Org != nil {
				org = c.Org.Name
			}
			if org != tc.wantOrg || c.Language != tc.wantLang {
				t.Errorf("organisation %q, language %q; want %q, %q", org, c.Language, tc.wantOrg, tc.wantLang)
			}
		})
	}
}

func TestServerFlagsOverTheFile(t *testing.T) {
	dir := t.TempDir()
	fileCA := writeFile(t, dir, "file-ca.pem", string(caPEM))
	flagCA := writeFile(t, dir, "flag-ca.pem", string(caPEM))
	path := writeFile(t, dir, FileName, "server = \"https://file.example\"\nca_file = \"file-ca.pem\"\npin_sha256 = \""+pin+"\"\n")

	c, err := Load(Flags{Config: path, Server: "https://flag.example", CA: flagCA}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server != "https://flag.example" || c.CAFile != flagCA || c.PinSHA256 != pin {
		t.Errorf("server %q, CA %q, pin %q: want the flags' server and CA and the file's pin", c.Server, c.CAFile, c.PinSHA256)
	}
	// Only the flag given replaces the file's value.
	c, err = Load(Flags{Config: path, Server: "https://flag.example"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.CAFile != fileCA {
		t.Errorf("CA %q, want the file's %q", c.CAFile, fileCA)
	}
	// A server given by flag makes a file's CA without server valid.
	path = writeFile(t, dir, FileName, "ca_file = \"file-ca.pem\"\n")
	if c, err = Load(Flags{Config: path, Server: "https://flag.example"}, nil, nil); err != nil || c.Demo() {
		t.Errorf("Load = %+v, %v", c, err)
	}
}
