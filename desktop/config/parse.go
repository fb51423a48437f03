package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"casreset/assets"
)

// setter checks a value as the TOML decoder gives it (string, int64,
// float64, bool, time.Time, []any, map[string]any) and stores it. dir is
// the file's directory, against which relative paths are resolved.
type setter func(c *Config, v any, dir string) error

// topKeys are the keys outside any table.
var topKeys = map[string]setter{
	"server": text(checkServer, func(c *Config, s string) { c.Server = s }),
	"ca_file": func(c *Config, v any, dir string) error {
		s, err := asString(v)
		if err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			return errors.New("is empty; leave it out to trust the system's certificate authorities")
		}
		path := s
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		pem, err := readCA(path)
		if err != nil {
			return err
		}
		c.CAFile, c.CAPEM = path, pem
		return nil
	},
	"pin_sha256": text(checkPin, func(c *Config, s string) { c.PinSHA256 = s }),
	"language":   text(checkLanguage, func(c *Config, s string) { c.Language = s }),
	"mode":       text(checkMode, func(c *Config, s string) { c.Mode = s }),
	"idle_timeout": func(c *Config, v any, _ string) error {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("must be a duration in double quotes such as \"5m\", not %s", typeName(v))
		}
		var err error
		c.IdleTimeout, err = checkIdleTimeout(s)
		return err
	},
}

// tables are the tables and their keys. Each is created when the table
// is present, so that it replaces the built-in values as a whole.
var tables = map[string]struct {
	create  func(c *Config)
	present func(c *Config) bool
	keys    map[string]setter
	// check says what the table needs as a whole; key names a key of the
	// table as the reader knows it (the file's key, or the policy value).
	check func(c *Config, key func(string) string) error
}{
	"organisation": {
		create:  func(c *Config) { c.Org = &Organisation{} },
		present: func(c *Config) bool { return c.Org != nil },
		keys: map[string]setter{
			"name": perLanguage("name", "names", func(o *Organisation, tag, s string) { o.setName(tag, s) }),
			// name_zh is what name."zh-HK" was before names per language.
			"name_zh": text(checkText, func(c *Config, s string) { c.Org.setName(legacyChinese(), s) }),
			// The footer line: one for every language, or a table of lines
			// by language tag, as name.
			"copyright": perLanguage("copyright", "lines", func(o *Organisation, tag, s string) { o.setCopyright(tag, s) }),
		},
		check: func(c *Config, key func(string) string) error {
			if c.Org.Name == "" {
				d := assets.Default()
				return fmt.Errorf("needs %s, the organisation's name in %s", key("name."+d.Tag), d.EnglishName)
			}
			return nil
		},
	},
	"it_help": {
		create:  func(c *Config) { c.Help = &ITHelp{} },
		present: func(c *Config) bool { return c.Help != nil },
		keys: map[string]setter{
			"email": text(checkEmail, func(c *Config, s string) { c.Help.Email = s }),
			"phone": text(checkText, func(c *Config, s string) { c.Help.Phone = s }),
			"hours": text(checkText, func(c *Config, s string) { c.Help.Hours = s }),
		},
		check: func(c *Config, key func(string) string) error {
			if c.Help.Email == "" && c.Help.Phone == "" {
				return fmt.Errorf("needs %s or %s, so that staff can reach IT Help", key("email"), key("phone"))
			}
			return nil
		},
	},
}

// perLanguage reads a text of the organisation given for every language,
// or as a table by language tag ([organisation.name] with en = "…",
// "zh-HK" = "…"): organisation.name and organisation.copyright. set
// stores the text of one language, or of every language when tag is "".
// key names the key in messages, what its texts (names, lines).
func perLanguage(key, what string, set func(o *Organisation, tag, s string)) setter {
	return func(c *Config, v any, _ string) error {
		switch v := v.(type) {
		case string:
			s, err := checkText(v)
			if err != nil {
				return err
			}
			set(c.Org, "", s)
			return nil
		case map[string]any:
			for _, tag := range slices.Sorted(maps.Keys(v)) {
				if _, err := checkLanguage(tag); err != nil {
					return fmt.Errorf("has a %s in %v", strings.TrimSuffix(what, "s"), err)
				}
				s, err := asString(v[tag])
				if err == nil {
					s, err = checkText(s)
				}
				if err != nil {
					return fmt.Errorf("%s %v", strconv.Quote(tag), err)
				}
				set(c.Org, tag, s)
			}
			return nil
		}
		return fmt.Errorf("must be text in double quotes, not %s (or a table of %s by language, [organisation.%s])", typeName(v), what, key)
	}
}

// setCopyright sets the footer line in the language tag, or of every
// language without its own when tag is "".
func (o *Organisation) setCopyright(tag, line string) {
	if tag == "" {
		o.Copyright = line
		return
	}
	if o.Copyrights == nil {
		o.Copyrights = map[string]string{}
	}
	o.Copyrights[tag] = line
	if tag == assets.Default().Tag {
		o.Copyright = line
	}
}

// setName sets the name in the language tag, or of every language without
// its own when tag is "".
func (o *Organisation) setName(tag, name string) {
	if tag == "" {
		o.Name = name
		return
	}
	if o.Names == nil {
		o.Names = map[string]string{}
	}
	o.Names[tag] = name
	if tag == assets.Default().Tag {
		o.Name = name
	}
}

// legacyChinese is the language of name_zh: the table's first Chinese.
func legacyChinese() string {
	for _, l := range assets.Languages() {
		if l.Base() == "zh" {
			return l.Tag
		}
	}
	return assets.Default().Tag
}

// text is a setter of a string checked by check.
func text(check func(string) (string, error), set func(c *Config, s string)) setter {
	return func(c *Config, v any, _ string) error {
		s, err := asString(v)
		if err != nil {
			return err
		}
		s, err = check(s)
		if err != nil {
			return err
		}
		set(c, s)
		return nil
	}
}

func asString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("must be text in double quotes, not %s", typeName(v))
	}
	return s, nil
}

// typeName names a TOML value's type for a person.
func typeName(v any) string {
	switch v.(type) {
	case int64, float64:
		return "a number"
	case bool:
		return "true or false"
	case time.Time:
		return "a date or time"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

// leaf hands a value to a function from inside the TOML decoder, so that
// the function's error comes back as a toml.ParseError carrying the key's
// line.
type leaf func(v any) error

func (l leaf) UnmarshalTOML(v any) error { return l(v) }

var errUnknownKey = errors.New("unknown key")

// parse reads the configuration file at path. Every key is decoded on its
// own, in the order of the file, so that every problem is reported with
// its line, not only the first.
func parse(path string, data []byte) (Config, []Problem) {
	c := Config{File: path}
	dir := filepath.Dir(path)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Notepad's byte order mark

	var root map[string]toml.Primitive
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&root)
	if err != nil {
		return c, []Problem{syntaxProblem(path, data, err)}
	}

	var problems []Problem
	report := func(err error, key string) {
		p := Problem{File: path, Key: key, Message: err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.Line, p.Message = pe.Position.Line, pe.Message
		}
		if p.Message == errUnknownKey.Error() {
			p.Message = unknownKeyMessage(key)
		}
		problems = append(problems, p)
	}
	reported := map[string]bool{} // keys already blamed, whose children are not
	decode := func(prim toml.Primitive, key string, fn leaf) bool {
		if err := md.PrimitiveDecode(prim, fn); err != nil {
			report(err, key)
			reported[key] = true
			return false
		}
		return true
	}

	for _, name := range topLevel(md.Keys()) {
		prim := root[name]
		if set, ok := topKeys[name]; ok {
			decode(prim, name, func(v any) error { return set(&c, v, dir) })
			continue
		}
		t, ok := tables[name]
		if !ok {
			decode(prim, name, func(any) error { return errUnknownKey })
			continue
		}
		isTable := decode(prim, name, func(v any) error {
			if _, ok := v.(map[string]any); !ok {
				return fmt.Errorf("must be a table, [%s], not %s", name, typeName(v))
			}
			return nil
		})
		if !isTable {
			continue
		}
		t.create(&c)
		var sub map[string]toml.Primitive
		if err := md.PrimitiveDecode(prim, &sub); err != nil {
			report(err, name)
			continue
		}
		for _, sk := range md.Keys() {
			if len(sk) != 2 || sk[0] != name {
				continue
			}
			full := name + "." + sk[1]
			if set, ok := t.keys[sk[1]]; ok {
				decode(sub[sk[1]], full, func(v any) error { return set(&c, v, dir) })
			} else {
				decode(sub[sk[1]], full, func(any) error { return errUnknownKey })
			}
		}
		if err := t.check(&c, fileKey); err != nil && !anyReportedUnder(name, reported) {
			decode(prim, name, func(any) error { return err })
		}
	}

	// Whatever the walk above did not reach (keys nested deeper than any
	// table has) is unknown too.
	for _, k := range md.Undecoded() {
		if underReported(k, reported) {
			continue
		}
		problems = append(problems, Problem{File: path, Key: k.String(), Message: unknownKeyMessage(k.String())})
		reported[k.String()] = true
	}
	// In the order of the file; problems without a line (none expected)
	// last.
	slices.SortStableFunc(problems, func(a, b Problem) int {
		if a.Line == 0 || b.Line == 0 {
			return b.Line - a.Line
		}
		return a.Line - b.Line
	})
	return c, problems
}

// fileKey names a key of a table as the file writes it; a name in one
// language (name.en) may also be the name for all of them.
func fileKey(k string) string {
	if name, tag, ok := strings.Cut(k, "."); ok {
		return fmt.Sprintf("%[1]s (%[1]s = \"…\", or %[1]s.%[2]s = \"…\" among its names per language)", name, tag)
	}
	return k
}

// topLevel lists the names of the top-level keys and tables in the order
// they first appear; a dotted key (it_help.email = …) names its table
// only that way.
func topLevel(keys []toml.Key) []string {
	var names []string
	for _, k := range keys {
		if !slices.Contains(names, k[0]) {
			names = append(names, k[0])
		}
	}
	return names
}

// anyReportedUnder reports whether a key of table was already blamed.
func anyReportedUnder(table string, reported map[string]bool) bool {
	for k := range reported {
		if strings.HasPrefix(k, table+".") {
			return true
		}
	}
	return false
}

// underReported reports whether k or a table above it was already blamed.
func underReported(k toml.Key, reported map[string]bool) bool {
	for i := 1; i <= len(k); i++ {
		if reported[k[:i].String()] {
			return true
		}
	}
	return false
}

// unknownKeyMessage suggests the known key the unknown one is closest
// to, or lists the keys of its table, so that a typo is easy to mend.
func unknownKeyMessage(key string) string {
	table, name := "", key
	if i := strings.LastIndex(key, "."); i >= 0 {
		table, name = key[:i], key[i+1:]
	}
	var known []string
	if t, ok := tables[table]; ok {
		for k := range t.keys {
			known = append(known, k)
		}
	} else if table == "" {
		for k := range topKeys {
			known = append(known, k)
		}
		for k := range tables {
			known = append(known, "["+k+"]")
		}
	}
	slices.Sort(known)
	for _, k := range known {
		if closeTo(name, strings.Trim(k, "[]")) {
			return fmt.Sprintf("unknown key; did you mean %q?", strings.Trim(k, "[]"))
		}
	}
	if len(known) == 0 {
		return "unknown key"
	}
	return "unknown key; the keys here are " + strings.Join(known, ", ")
}

// closeTo reports whether a is b with at most two letters wrong, missing,
// added or swapped, ignoring case, dashes and underscores.
func closeTo(a, b string) bool {
	norm := func(s string) []rune {
		return []rune(strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s)))
	}
	x, y := norm(a), norm(b)
	// Optimal string alignment distance (Levenshtein with transpositions).
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)] <= 2
}

// syntaxProblem is a file that is not TOML, with the line of the mistake.
func syntaxProblem(path string, data []byte, err error) Problem {
	p := Problem{File: path, Message: "not valid TOML: " + err.Error()}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		// The line of the offending byte: the decoder's own line number
		// is one too far when that byte is the newline ending a line.
		p.Line = pe.Position.Line
		if start := pe.Position.Start; start >= 0 && start <= len(data) {
			p.Line = 1 + bytes.Count(data[:start], []byte("\n"))
		}
		p.Key = pe.LastKey
		p.Message = "not valid TOML: " + pe.Message
		if pe.Usage != "" {
			p.Message += " (" + strings.TrimSpace(strings.SplitN(pe.Usage, "\n", 2)[0]) + ")"
		}
	}
	return p
}
