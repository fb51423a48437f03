package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casreset/assets"
)

// fakePolicy is a registry key's values, as the Windows source reads them.
type fakePolicy map[string]any

func (fakePolicy) Name() string                      { return PolicyKeyName }
func (f fakePolicy) Values() (map[string]any, error) { return f, nil }

// unreadablePolicy is a key the app may not read.
type unreadablePolicy struct{}

func (unreadablePolicy) Name() string                    { return PolicyKeyName }
func (unreadablePolicy) Values() (map[string]any, error) { return nil, errors.New("Access is denied.") }

func TestEveryPolicyValueAlone(t *testing.T) {
	dir := t.TempDir()
	ca := writeFile(t, dir, "ca.pem", string(caPEM))
	server := fakePolicy{"Server": "https://reset.example.edu.hk"}
	with := func(name string, v any) fakePolicy {
		p := fakePolicy{name: v}
		for k, v := range server {
			p[k] = v
		}
		return p
	}
	tests := []struct {
		name   string
		policy fakePolicy
		check  func(c Config) bool
	}{
		{"Server", server, func(c Config) bool { return c.Server == "https://reset.example.edu.hk" && !c.Demo() }},
		{"CAFile", with("CAFile", ca), func(c Config) bool { return c.CAFile == ca && string(c.CAPEM) == string(caPEM) }},
		{"PinSHA256", with("PinSHA256", pin), func(c Config) bool { return c.PinSHA256 == pin }},
		{"Language", fakePolicy{"Language": "zh-HK"}, func(c Config) bool { return c.Language == "zh-HK" && c.Demo() }},
		{"IdleTimeoutMinutes", fakePolicy{"IdleTimeoutMinutes": uint64(10)}, func(c Config) bool { return c.IdleTimeout == 10*time.Minute }},
		{"OrganisationName_en", fakePolicy{"OrganisationName_en": "Example College"}, func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{Name: "Example College", Names: map[string]string{"en": "Example College"}})
		}},
		{"the whole organisation", fakePolicy{
			"OrganisationName_en": "Example College", "OrganisationName_zh-HK": "示例學院", "OrganisationName_zh-Hans": "示例学院",
			"OrganisationCopyright": "© Example College",
		}, func(c Config) bool {
			return reflect.DeepEqual(*c.Org, Organisation{
				Name:      "Example College",
				Names:     map[string]string{"en": "Example College", "zh-HK": "示例學院", "zh-Hans": "示例学院"},
				Copyright: "© Example College",
			})
		}},
		{"IT Help", fakePolicy{"ITHelpEmail": "ithelp@example.edu.hk", "ITHelpPhone": "2345 6789", "ITHelpHours": "9-5"}, func(c Config) bool {
			return *c.Help == ITHelp{Email: "ithelp@example.edu.hk", Phone: "2345 6789", Hours: "9-5"} && c.Org == nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(Flags{}, nil, tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("read %+v", c)
			}
			var names []string
			for name := range tc.policy {
				names = append(names, name)
			}
			slices.Sort(names)
			if !reflect.DeepEqual(c.Policy, names) {
				t.Errorf("Policy = %q, want the values set, %q", c.Policy, names)
			}
		})
	}
}

// TestPolicyWinsOverTheFileAndTheFlags: what IT enforces by Group Policy
// cannot be changed by a file beside the program or a shortcut's flags;
// what it leaves unset still comes from them.
func TestPolicyWinsOverTheFileAndTheFlags(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ca.pem", string(caPEM))
	path := writeFile(t, dir, FileName, `server = "https://file.example"
ca_file = "ca.pem"
language = "zh-HK"
[organisation]
name = "File College"
copyright = "© File College"
[it_help]
phone = "2345 6789"
`)
	policy := fakePolicy{
		"Server":                 "https://policy.example",
		"Language":               "en",
		"OrganisationName_zh-HK": "政策學院",
	}
	c, err := Load(Flags{Config: path, Server: "https://flag.example", Lang: "zh-HK"}, nil, policy)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		File:      path,
		Policy:    []string{"Language", "OrganisationName_zh-HK", "Server"},
		Server:    "https://policy.example",
		CAFile:    filepath.Join(dir, "ca.pem"),
		CAPEM:     caPEM,
		Language:  "en",
		Org:       &Organisation{Name: "File College", Names: map[string]string{"zh-HK": "政策學院"}, Copyright: "© File College"},
		Help:      &ITHelp{Phone: "2345 6789"},
		PinSHA256: "",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", c, want)
	}
}

func TestBadPolicyValuesAreNamed(t *testing.T) {
	dir := t.TempDir()
	ca := writeFile(t, dir, "ca.pem", string(caPEM))
	server := "https://reset.example.edu.hk"
	tests := []struct {
		name     string
		policy   fakePolicy
		value    string // the value blamed
		contains string
	}{
		{"http server", fakePolicy{"Server": "http://reset.example.edu.hk"}, "Server", "must start with https://"},
		{"a number for the server", fakePolicy{"Server": uint64(1)}, "Server", "must be text (REG_SZ), not a number (REG_DWORD)"},
		{"a list for the language", fakePolicy{"Language": []string{"en"}}, "Language", "not a list (REG_MULTI_SZ)"},
		{"binary for the language", fakePolicy{"Language": []byte{1}}, "Language", "not binary data (REG_BINARY)"},
		{"unknown language", fakePolicy{"Language": "fr"}, "Language", `use one of "en", "zh-HK"`},
		{"text for minutes", fakePolicy{"IdleTimeoutMinutes": "5m"}, "IdleTimeoutMinutes", "must be a number of minutes (REG_DWORD)"},
		{"too many minutes", fakePolicy{"IdleTimeoutMinutes": uint64(600)}, "IdleTimeoutMinutes", "outside 1m0s to 8h0m0s"},
		{"no minutes", fakePolicy{"IdleTimeoutMinutes": uint64(0)}, "IdleTimeoutMinutes", "outside"},
		{"relative CA file", fakePolicy{"Server": server, "CAFile": "ca.pem"}, "CAFile", "not a full path"},
		{"missing CA file", fakePolicy{"Server": server, "CAFile": filepath.Join(dir, "missing.pem")}, "CAFile", "cannot be read"},
		{"bad pin", fakePolicy{"Server": server, "PinSHA256": "abc"}, "PinSHA256", "not a base64 SHA-256"},
		{"bad e-mail", fakePolicy{"ITHelpEmail": "IT Help"}, "ITHelpEmail", "not an e-mail address"},
		{"empty text", fakePolicy{"ITHelpPhone": "  "}, "ITHelpPhone", "is empty"},
		{"unknown value", fakePolicy{"Sever": server}, "Sever", `did you mean "Server"`},
		{"unknown value far from any", fakePolicy{"Colour": "blue"}, "Colour", "the values here are Server, CAFile"},
		{"organisation without its English name", fakePolicy{"OrganisationName_zh-HK": "示例學院"}, "OrganisationName_zh-HK", "needs OrganisationName_en, the organisation's name in English"},
		{"empty name in one language", fakePolicy{"OrganisationName_en": "X", "OrganisationName_zh-Hans": " "}, "OrganisationName_zh-Hans", "is empty"},
		{"IT Help without a way to reach it", fakePolicy{"ITHelpHours": "9-5"}, "ITHelpHours", "needs ITHelpEmail or ITHelpPhone"},
		{"CA file without a server", fakePolicy{"CAFile": ca}, "CAFile", "is set but Server is not"},
		{"pin without a server", fakePolicy{"PinSHA256": pin}, "PinSHA256", "is set but Server is not"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(Flags{}, nil, tc.policy)
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) != 1 {
				t.Fatalf("Load error = %v, want one problem", err)
			}
			p := ce.Problems[0]
			wantPolicy := `HKLM\Software\Policies\casreset\` + tc.value
			if p.Policy != wantPolicy || p.File != "" || p.Key != "" || !strings.Contains(p.Message, tc.contains) {
				t.Errorf("problem = %+v\nwant policy %s, message containing %q", p, wantPolicy, tc.contains)
			}
			if s := p.String(); !strings.HasPrefix(s, "Group Policy "+wantPolicy+": ") {
				t.Errorf("the problem reads %q: it must name the policy value", s)
			}
		})
	}
}

// TestProblemsOfTheFileAndOfPolicyTogether: IT sees everything to mend at
// once, the file's problems first.
func TestProblemsOfTheFileAndOfPolicyTogether(t *testing.T) {
	path := writeFile(t, t.TempDir(), FileName, "language = \"fr\"\n")
	_, err := Load(Flags{Config: path}, nil, fakePolicy{"Server": "http://a.example", "Language": "en"})
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 2 {
		t.Fatalf("Load error = %v, want two problems", err)
	}
	if ce.Problems[0].File != path || ce.Problems[1].Policy != PolicyKeyName+`\Server` {
		t.Errorf("problems %v, want the file's, then the policy's", ce.Problems)
	}
}

func TestAnUnreadablePolicySaysSo(t *testing.T) {
	_, err := Load(Flags{}, nil, unreadablePolicy{})
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 1 {
		t.Fatalf("Load error = %v, want one problem", err)
	}
	if s := ce.Problems[0].String(); s != `Group Policy HKLM\Software\Policies\casreset: cannot be read: Access is denied.` {
		t.Errorf("problem %q", s)
	}
}

func TestNoPolicyIsNoChange(t *testing.T) {
	path := writeFile(t, t.TempDir(), FileName, everyKeyWithoutCA)
	withNil, err := Load(Flags{Config: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	withEmpty, err := Load(Flags{Config: path}, nil, fakePolicy{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withNil, withEmpty) || withEmpty.Policy != nil {
		t.Errorf("an empty policy changed the configuration:\n%+v\n%+v", withNil, withEmpty)
	}
}

// everyKeyWithoutCA is everyKey without the CA file it would need beside it.
var everyKeyWithoutCA = strings.Replace(everyKey, "ca_file = \"certs/college-ca.pem\"\n", "", 1)

// TestEveryConfigurationKeyHasAPolicyValue: a key added to the file, or
// a language added to the app, must be given its policy value too (and
// its policy in the ADMX template, which TestADMXDefinesEveryPolicyValue
// checks).
func TestEveryConfigurationKeyHasAPolicyValue(t *testing.T) {
	// organisation.name_zh is what organisation.name."zh-HK" was before
	// names per language; Group Policy has only the new form.
	legacy := map[string]bool{"organisation.name_zh": true}
	var keys []string
	for k := range topKeys {
		keys = append(keys, k)
	}
	for name, table := range tables {
		for k := range table.keys {
			if !legacy[name+"."+k] {
				keys = append(keys, name+"."+k)
			}
		}
	}
	for _, tag := range assets.Tags() {
		keys = append(keys, "organisation.name."+tag)
	}
	for _, k := range keys {
		if !slices.ContainsFunc(policyValues, func(p policyValue) bool { return p.Key == k || p.key() == k }) {
			t.Errorf("the configuration key %s has no policy value", k)
		}
	}
	seen := map[string]bool{}
	for _, p := range policyValues {
		if keySetter(p.Key) == nil {
			t.Errorf("the policy value %s sets %s, which is no configuration key", p.Name, p.Key)
		}
		if seen[p.key()] {
			t.Errorf("two policy values set %s", p.key())
		}
		seen[p.key()] = true
	}
}
