package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"casreset/service/tlsgen"
)

// caPEM is a real CA certificate, made once for the package's tests.
var caPEM = func() []byte {
	b, err := tlsgen.InMemory(nil, time.Now())
	if err != nil {
		panic(err)
	}
	return b.CAPEM
}()

// writeFile writes name into dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const pin = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

// everyKey sets every key the file knows.
const everyKey = `# every key
server = "https://reset.example.edu.hk/casreset/"
ca_file = "certs/college-ca.pem"
pin_sha256 = "sha256/` + pin + `"
language = "zh-HK"
idle_timeout = "3m30s"

[organisation]
name = "Example College"
name_zh = "示例學院"
copyright = "Copyright © 2026 Example College."

[it_help]
email = "ithelp@example.edu.hk"
phone = "2345 6789"
hours = "Mon-Fri 09:00-18:00"
`

func TestEveryKeyIsRead(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "certs/college-ca.pem", string(caPEM))
	path := writeFile(t, dir, FileName, everyKey)

	got, err := Load(Flags{Config: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		File:        path,
		Server:      "https://reset.example.edu.hk/casreset",
		CAFile:      filepath.Join(dir, "certs", "college-ca.pem"),
		CAPEM:       caPEM,
		PinSHA256:   "sha256/" + pin,
		Language:    "zh-HK",
		IdleTimeout: 3*time.Minute + 30*time.Second,
		Org:         &Organisation{Name: "Example College", Names: map[string]string{"zh-HK": "示例學院"}, Copyright: "Copyright © 2026 Example College."},
		Help:        &ITHelp{Email: "ithelp@example.edu.hk", Phone: "2345 6789", Hours: "Mon-Fri 09:00-18:00"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", got, want)
	}
	if got.Demo() {
		t.Error("a configured server is demo mode")
	}
	cc := got.Client("1.2.3")
	if cc.BaseURL != want.Server || !bytes.Equal(cc.CAPEM, caPEM) || cc.SystemRoots || cc.PinSHA256 != want.PinSHA256 || cc.Version != "1.2.3" {
		t.Errorf("client config = %+v", cc)
	}
}

func TestEachKeyAlone(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", string(caPEM))
	server := "server = \"https://reset.example.edu.hk\"\n"
	tests := []struct {
		name, file string
		check      func(c Config) bool
	}{
		{"server", server, func(c Config) bool { return c.Server == "https://reset.example.edu.hk" && !c.Demo() }},
		{"ca_file absolute", server + "ca_file = '" + filepath.Join(dir, "ca.pem") + "'\n", func(c Config) bool { return bytes.Equal(c.CAPEM, caPEM) }},
		{"pin_sha256", server + "pin_sha256 = \"" + pin + "\"\n", func(c Config) bool { return c.PinSHA256 == pin && c.Client("").SystemRoots }},
		{"two pins", server + "pin_sha256 = \"" + pin + ", " + pin + "\"\n", func(c Config) bool { return c.PinSHA256 == pin+", "+pin }},
		{"language en", "language = \"en\"\n", func(c Config) bool { return c.Language == "en" && c.Demo() }},
		{"idle_timeout", "idle_timeout = \"10m\"\n", func(c Config) bool { return c.IdleTimeout == 10*time.Minute }},
		{"organisation name only", "[organisation]\nname = \"X College\"\n", func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{Name: "X College"}) && c.Help == nil
		}},
		{"it_help phone only", "[it_help]\nphone = \"2345 6789\"\n", func(c Config) bool {
			return *c.Help == ITHelp{Phone: "2345 6789"} && c.Org == nil
		}},
		{"dotted keys", "organisation.name = \"Y\"\nit_help.email = \"a@b.hk\"\n", func(c Config) bool {
			return c.Org.Name == "Y" && c.Help.Email == "a@b.hk"
		}},
		{"organisation names per language", "[organisation.name]\nen = \"X College\"\n\"zh-HK\" = \"X 學院\"\n", func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{Name: "X College", Names: map[string]string{"en": "X College", "zh-HK": "X 學院"}})
		}},
		{"organisation names inline", "[organisation]\nname = { en = \"X College\", \"zh-HK\" = \"X 學院\" }\ncopyright = \"©\"\n", func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{Name: "X College", Names: map[string]string{"en": "X College", "zh-HK": "X 學院"}, Copyright: "©"})
		}},
		{"copyright lines per language", "[organisation]\nname = \"X College\"\n[organisation.copyright]\nen = \"© 2026 X College\"\n\"zh-HK\" = \"版權所有 © 2026 X 學院\"\n", func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{Name: "X College", Copyright: "© 2026 X College",
				Copyrights: map[string]string{"en": "© 2026 X College", "zh-HK": "版權所有 © 2026 X 學院"}})
		}},
		{"byte order mark and CRLF", "\ufefflanguage = \"zh-HK\"\r\n", func(c Config) bool { return c.Language == "zh-HK" }},
		{"comments only", "# nothing set yet\n", func(c Config) bool { return reflect.DeepEqual(c, Config{File: c.File}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, FileName, tc.file)
			c, err := Load(Flags{Config: path}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("read %+v", c)
			}
		})
	}
}

// problems loads and returns the problems, failing when there are none.
func problems(t *testing.T, f Flags, locations []string) []Problem {
	t.Helper()
	_, err := Load(f, locations, nil)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *Error", err)
	}
	return ce.Problems
}

func TestBadFilesNameTheLineAndKey(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", string(caPEM))
	writeFile(t, dir, "not-a-cert.pem", "hello\n")
	_, notFound := os.Stat(filepath.Join(dir, "missing.pem")) // the system's words
	tests := []struct {
		name     string
		file     string
		line     int
		key      string
		contains string
	}{
		{"syntax error", "server = \"https://a.example\"\n\nlanguage = en\n", 3, "language", "not valid TOML"},
		{"unclosed table", "[organisation\nname = \"x\"\n", 1, "", "not valid TOML"},
		{"unknown key", "# c\nserver = \"https://a.example\"\nlangauge = \"en\"\n", 3, "langauge", `did you mean "language"`},
		{"unknown key in a table", "[it_help]\nemail = \"a@b.hk\"\nfax = \"1234\"\n", 3, "it_help.fax", "the keys here are email, hours, phone"},
		{"unknown table", "\n[colours]\nprimary = \"blue\"\n", 2, "colours", "unknown key"},
		{"key in other case", "Server = \"https://a.example\"\n", 1, "Server", `did you mean "server"`},
		{"wrong type: number for text", "[organisation]\nname = 42\n", 2, "organisation.name", "must be text in double quotes, not a number"},
		{"wrong type: bool for language", "language = true\n", 1, "language", "not true or false"},
		{"wrong type: text for a table", "it_help = \"ithelp@example.edu.hk\"\n", 1, "it_help", "must be a table"},
		{"wrong type: number for a duration", "idle_timeout = 300\n", 1, "idle_timeout", "duration in double quotes"},
		{"bad URL", "server = \"reset example\"\n", 1, "server", "must be an https:// address"},
		{"URL with a query", "server = \"https://a.example/?x=1\"\n", 1, "server", "must not hold"},
		{"http URL", "\nserver = \"http://reset.example.edu.hk\"\n", 2, "server", "must start with https://"},
		{"empty URL", "server = \"\"\n", 1, "server", "is empty"},
		{"missing CA file", "server = \"https://a.example\"\nca_file = \"missing.pem\"\n", 2, "ca_file", "missing.pem cannot be read: " + pathErr(notFound)},
		{"CA file without a certificate", "server = \"https://a.example\"\nca_file = \"not-a-cert.pem\"\n", 2, "ca_file", "holds no PEM certificate"},
		{"bad pin", "server = \"https://a.example\"\npin_sha256 = \"abc\"\n", 2, "pin_sha256", "not a base64 SHA-256"},
		{"bad duration", "idle_timeout = \"five minutes\"\n", 1, "idle_timeout", "not a duration"},
		{"duration too short", "idle_timeout = \"10s\"\n", 1, "idle_timeout", "outside 1m0s to 8h0m0s"},
		{"bad language", "language = \"fr\"\n", 1, "language", "use one of " + languageList()},
		{"language in the wrong case", "language = \"zh-hk\"\n", 1, "language", "use one of " + languageList()},
		{"a name in an unknown language", "[organisation.name]\nen = \"X\"\nfr = \"Y\"\n", 1, "organisation.name", `has a name in "fr" is not a language`},
		{"a copyright line in an unknown language", "[organisation]\nname = \"X\"\n[organisation.copyright]\nfr = \"Y\"\n", 3, "organisation.copyright", `has a line in "fr" is not a language`},
		{"names without the default language's", "[organisation.name]\n\"zh-HK\" = \"X 學院\"\n", 0, "organisation", "needs name"},
		{"a name per language that is not text", "[organisation.name]\nen = 3\n", 1, "organisation.name", `"en" must be text`},
		{"bad e-mail", "[it_help]\nemail = \"IT Help\"\n", 2, "it_help.email", "not an e-mail address"},
		{"organisation without a name", "[organisation]\nname_zh = \"學院\"\n", 1, "organisation", "needs name"},
		{"IT Help without a way to reach it", "[it_help]\nhours = \"9-5\"\n", 1, "it_help", "needs email or phone"},
		// A value over several lines is placed on its last line.
		{"text on two lines", "[organisation]\nname = \"\"\"\nA\nB\"\"\"\n", 4, "organisation.name", "one line"},
		{"CA without a server", "\nca_file = \"ca.pem\"\n", 0, "ca_file", "server is not"},
		{"pin without a server", "pin_sha256 = \"" + pin + "\"\n", 0, "pin_sha256", "server is not"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, FileName, tc.file)
			ps := problems(t, Flags{Config: path}, nil)
			if len(ps) != 1 {
				t.Fatalf("%d problems, want 1: %v", len(ps), ps)
			}
			p := ps[0]
			if p.File != path || p.Line != tc.line || p.Key != tc.key || !strings.Contains(p.Message, tc.contains) {
				t.Errorf("problem = %+v\nwant file %s, line %d, key %q, message containing %q", p, path, tc.line, tc.key, tc.contains)
			}
			s := p.String()
			if !strings.HasPrefix(s, path) || (tc.line > 0 && !strings.Contains(s, ", line ")) || (tc.key != "" && !strings.Contains(s, `key "`+tc.key+`"`)) {
				t.Errorf("the problem reads %q: it must name the file, the line and the key", s)
			}
		})
	}
}

func TestEveryProblemOfAFileIsReportedInOrder(t *testing.T) {
	path := writeFile(t, t.TempDir(), FileName, `server = "http://a.example"
[it_help]
email = 7
phone = "2345 6789"
[organisation]
nmae = "X"
name = "X"
`)
	ps := problems(t, Flags{Config: path}, nil)
	var got []string
	for _, p := range ps {
		got = append(got, p.Key)
	}
	want := []string{"server", "it_help.email", "organisation.nmae"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems at %v, want %v: %v", got, want, ps)
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Line <= ps[i-1].Line {
			t.Errorf("problems out of the file's order: %v", ps)
		}
	}
}

func TestBadFlagsAreNamed(t *testing.T) {
	dir := t.TempDir()
	// The operating system's words for a missing file: "no such file or
	// directory" on Linux, "The system cannot find the file specified." on
	// Windows.
	_, notFound := os.Stat(filepath.Join(dir, "absent.toml"))
	tests := []struct {
		flags    Flags
		key      string
		contains string
	}{
		{Flags{Server: "http://a.example"}, "--server", "must start with https://"},
		{Flags{Server: "https://a.example", CA: filepath.Join(dir, "nope.pem")}, "--ca", "cannot be read"},
		{Flags{Server: "https://a.example", Pin: "xyz"}, "--pin", "not a base64"},
		{Flags{Lang: "de"}, "--lang", "not a language"},
		{Flags{CA: writeFile(t, dir, "ca.pem", string(caPEM))}, "--ca", "no server is"},
		{Flags{Config: filepath.Join(dir, "absent.toml")}, "--config", "cannot be read: " + pathErr(notFound)},
	}
	for _, tc := range tests {
		ps := problems(t, tc.flags, nil)
		if len(ps) != 1 || ps[0].Key != tc.key || ps[0].File != "" || !strings.Contains(ps[0].Message, tc.contains) {
			t.Errorf("%+v: problems %v, want one of %s containing %q", tc.flags, ps, tc.key, tc.contains)
		}
		if s := ps[0].String(); !strings.HasPrefix(s, "command line, flag "+tc.key+": ") {
			t.Errorf("flag problem reads %q", s)
		}
	}
}

func TestUnreadableFileIsAProblemNotSkipped(t *testing.T) {
	// A directory in place of the file: unreadable even for root, who
	// reads files whatever their mode.
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	later := writeFile(t, t.TempDir(), FileName, "language = \"en\"\n")
	ps := problems(t, Flags{}, []string{path, later})
	if len(ps) != 1 || ps[0].File != path || !strings.Contains(ps[0].Message, "cannot be read") {
		t.Errorf("problems %v, want %s cannot be read", ps, path)
	}
}

// TestTheExamplesAreValid: the commented example IT copies, in
// packaging/ and in the README, is accepted and sets every key.
func TestTheExamplesAreValid(t *testing.T) {
	example, err := os.ReadFile("../../packaging/casreset.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, append(append([]byte("```toml\n"), example...), "```"...)) {
		t.Error("README.md does not show packaging/casreset.example.toml as it is")
	}
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", string(caPEM))
	path := writeFile(t, dir, FileName, string(example))
	c, err := Load(Flags{Config: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server == "" || c.CAFile == "" || c.Language == "" || c.Mode == "" || c.IdleTimeout == 0 ||
		c.Org == nil || c.Org.Name == "" || len(c.Org.Names) == 0 || c.Org.Copyright == "" || len(c.Org.Copyrights) == 0 ||
		c.Help == nil || c.Help.Email == "" || c.Help.Phone == "" || c.Help.Hours == "" {
		t.Errorf("the example leaves keys unset: %+v", c)
	}
	// The pin is commented out in the example; it must be valid once
	// uncommented.
	uncommented := strings.Replace(string(example), "# pin_sha256 = ", "pin_sha256 = ", 1)
	path = writeFile(t, dir, FileName, uncommented)
	if c, err := Load(Flags{Config: path}, nil, nil); err != nil || c.PinSHA256 == "" {
		t.Errorf("the example with its pin: %+v, %v", c, err)
	}
}

// TestTheModeComesFromTheFileOrTheFlag: mode = "helpdesk" or --helpdesk
// starts the help desk; another mode is refused with the two there are.
func TestTheModeComesFromTheFileOrTheFlag(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		file     string
		flag     bool
		helpdesk bool
		problem  string
	}{
		{file: "", helpdesk: false},
		{file: `mode = "wizard"`, helpdesk: false},
		{file: `mode = "helpdesk"`, helpdesk: true},
		{file: `mode = "wizard"`, flag: true, helpdesk: true},
		{file: "", flag: true, helpdesk: true},
		{file: `mode = "admin"`, problem: `"admin" is not a mode of the app: use "wizard" (staff reset their password) or "helpdesk" (IT Help)`},
	} {
		path := writeFile(t, dir, FileName, tc.file+"\n")
		c, err := Load(Flags{Config: path, Helpdesk: tc.flag}, nil, nil)
		switch {
		case tc.problem != "":
			if err == nil || !strings.Contains(err.Error(), tc.problem) || !strings.Contains(err.Error(), "mode") {
				t.Errorf("%q: %v, want the problem %q on the key mode", tc.file, err, tc.problem)
			}
		case err != nil:
			t.Errorf("%q, --helpdesk %v: %v", tc.file, tc.flag, err)
		case c.Helpdesk() != tc.helpdesk:
			t.Errorf("%q, --helpdesk %v: help desk %v, want %v", tc.file, tc.flag, c.Helpdesk(), tc.helpdesk)
		}
	}
}
