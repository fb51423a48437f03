package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"casreset/assets"
)

// PolicyKey is where Group Policy puts the app's settings on Windows,
// under HKEY_LOCAL_MACHINE. The templates in packaging/windows
// (casreset.admx with its .adml) write there.
const PolicyKey = `Software\Policies\casreset`

// PolicyKeyName is PolicyKey as IT writes it, for messages.
const PolicyKeyName = `HKLM\` + PolicyKey

// PolicySource is a set of settings that an administrator enforces: on
// Windows the values of PolicyKey, which Group Policy or Intune writes.
// A policy value wins over the configuration file and the flags.
type PolicySource interface {
	// Name names the source for a person, such as
	// HKLM\Software\Policies\casreset; a value is named Name()\value.
	Name() string
	// Values returns the values that are set, by name: a string for text
	// (REG_SZ, and REG_EXPAND_SZ with its variables expanded), a uint64
	// for a number (REG_DWORD, REG_QWORD), a []string for REG_MULTI_SZ
	// and a []byte for anything else. A source with nothing set (no
	// key) returns none and no error.
	Values() (map[string]any, error)
}

// policyValue is the policy form of one configuration key.
type policyValue struct {
	// Name is the value's name under PolicyKey.
	Name string
	// Key is the configuration key it sets ("it_help.email"); with Lang,
	// the key of the names per language ("organisation.name").
	Key  string
	Lang string
	// Minutes marks a duration given as a number of minutes (REG_DWORD,
	// which the Group Policy editor shows as a number), not as text.
	Minutes bool
	// Path marks a file name, which must be absolute: a policy has no
	// directory for a relative name to be relative to.
	Path bool
}

// key is the configuration key it sets, with the language of a name:
// "organisation.name.zh-HK".
func (p policyValue) key() string {
	if p.Lang != "" {
		return p.Key + "." + p.Lang
	}
	return p.Key
}

// policyValues are the values of PolicyKey, one for each configuration
// key and the organisation's name in each language of the app
// (OrganisationName_en, OrganisationName_zh-HK…).
// packaging/windows/casreset.admx defines a policy for each; a test keeps
// the two in step.
var policyValues = func() []policyValue {
	values := []policyValue{
		{Name: "Server", Key: "server"},
		{Name: "CAFile", Key: "ca_file", Path: true},
		{Name: "PinSHA256", Key: "pin_sha256"},
		{Name: "Language", Key: "language"},
		{Name: "Mode", Key: "mode"},
		{Name: "IdleTimeoutMinutes", Key: "idle_timeout", Minutes: true},
	}
	for _, tag := range assets.Tags() {
		values = append(values, policyValue{Name: "OrganisationName_" + tag, Key: "organisation.name", Lang: tag})
	}
	return append(values,
		policyValue{Name: "OrganisationCopyright", Key: "organisation.copyright"},
		policyValue{Name: "ITHelpEmail", Key: "it_help.email"},
		policyValue{Name: "ITHelpPhone", Key: "it_help.phone"},
		policyValue{Name: "ITHelpHours", Key: "it_help.hours"},
	)
}()

// policyName is the policy value of a configuration key
// ("organisation.name.en" for a name in one language).
func policyName(key string) string {
	for _, p := range policyValues {
		if p.key() == key {
			return p.Name
		}
	}
	return key
}

// applyPolicy puts the values of src over c, each over the same key of
// the file and the flags, and returns what is wrong with them. A value of
// a table (organisation, it_help) joins the file's table, or creates it
// when the file has none; either way the table must then be whole.
func applyPolicy(c *Config, src PolicySource) []Problem {
	if src == nil {
		return nil
	}
	where := src.Name()
	values, err := src.Values()
	if err != nil {
		return []Problem{{Policy: where, Message: "cannot be read: " + err.Error()}}
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)

	var problems []Problem
	bad := func(name string, err error) {
		problems = append(problems, Problem{Policy: where + `\` + name, Message: err.Error()})
	}
	var touched []string           // tables given a value, in order
	firstOf := map[string]string{} // the first value set of each table
	for _, name := range names {
		i := slices.IndexFunc(policyValues, func(p policyValue) bool { return p.Name == name })
		if i < 0 {
			bad(name, errors.New(unknownPolicyMessage(name)))
			continue
		}
		p := policyValues[i]
		table, _, inTable := strings.Cut(p.Key, ".")
		if inTable && !tables[table].present(c) {
			tables[table].create(c)
		}
		if err := p.set(c, values[name]); err != nil {
			bad(name, err)
			continue
		}
		c.Policy = append(c.Policy, name)
		if _, seen := firstOf[table]; inTable && !seen {
			firstOf[table] = name
			touched = append(touched, table)
		}
	}
	for _, table := range touched {
		err := tables[table].check(c, func(k string) string { return policyName(table + "." + k) })
		if err != nil {
			bad(firstOf[table], err)
		}
	}
	return problems
}

// set checks v as the configuration key's own setter does and stores it.
func (p policyValue) set(c *Config, v any) error {
	var text string
	switch {
	case p.Minutes:
		n, ok := v.(uint64)
		if !ok {
			return fmt.Errorf("must be a number of minutes (REG_DWORD), not %s", registryTypeName(v))
		}
		// The key's own check, with its limits, reads a duration.
		text = fmt.Sprintf("%dm", n)
	default:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("must be text (REG_SZ), not %s", registryTypeName(v))
		}
		if p.Path && strings.TrimSpace(s) != "" && !filepath.IsAbs(s) {
			return fmt.Errorf("%q is not a full path; write it as C:\\ProgramData\\casreset\\ca.pem", s)
		}
		text = s
	}
	if p.Lang != "" {
		// As the file's table of names by language gives it.
		return keySetter(p.Key)(c, map[string]any{p.Lang: text}, "")
	}
	return keySetter(p.Key)(c, text, "")
}

// keySetter is the setter of a configuration key ("server",
// "it_help.email").
func keySetter(key string) setter {
	if table, k, ok := strings.Cut(key, "."); ok {
		return tables[table].keys[k]
	}
	return topKeys[key]
}

// registryTypeName names a policy value's type for a person.
func registryTypeName(v any) string {
	switch v.(type) {
	case string:
		return "text (REG_SZ)"
	case uint64:
		return "a number (REG_DWORD)"
	case []string:
		return "a list (REG_MULTI_SZ)"
	}
	return "binary data (REG_BINARY)"
}

// unknownPolicyMessage suggests the policy value an unknown one is
// closest to, or lists them all.
func unknownPolicyMessage(name string) string {
	var known []string
	for _, p := range policyValues {
		if closeTo(name, p.Name) {
			return fmt.Sprintf("unknown value; did you mean %q?", p.Name)
		}
		known = append(known, p.Name)
	}
	return "unknown value; the values here are " + strings.Join(known, ", ")
}
