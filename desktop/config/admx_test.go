package config

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"casreset/assets"
)

// The Group Policy templates IT copies to PolicyDefinitions.
const (
	admxDir  = "../../packaging/windows"
	admxFile = "casreset.admx"
	admlFile = "casreset.adml"
)

// admlLanguages are the languages the templates are translated into: the
// app's languages, as Windows names its folders.
var admlLanguages = []string{"en-US", "zh-HK"}

type admx struct {
	Target struct {
		Prefix    string `xml:"prefix,attr"`
		Namespace string `xml:"namespace,attr"`
	} `xml:"policyNamespaces>target"`
	SupportedOn []named      `xml:"supportedOn>definitions>definition"`
	Categories  []named      `xml:"categories>category"`
	Policies    []admxPolicy `xml:"policies>policy"`
}

type named struct {
	Name string `xml:"name,attr"`
}

func hasName(list []named, name string) bool {
	return slices.Contains(list, named{name})
}

type admxPolicy struct {
	Name         string `xml:"name,attr"`
	Class        string `xml:"class,attr"`
	Key          string `xml:"key,attr"`
	ValueName    string `xml:"valueName,attr"`
	Presentation string `xml:"presentation,attr"`
	Category     struct {
		Ref string `xml:"ref,attr"`
	} `xml:"parentCategory"`
	SupportedOn struct {
		Ref string `xml:"ref,attr"`
	} `xml:"supportedOn"`
	Elements struct {
		List []admxElement `xml:",any"`
	} `xml:"elements"`
}

// admxElement is any element of a policy: text, decimal, enum, boolean…
type admxElement struct {
	XMLName    xml.Name
	ID         string `xml:"id,attr"`
	ValueName  string `xml:"valueName,attr"`
	Expandable string `xml:"expandable,attr"`
	MinValue   string `xml:"minValue,attr"`
	MaxValue   string `xml:"maxValue,attr"`
	Items      []struct {
		Value string `xml:"value>string"`
	} `xml:"item"`
}

type adml struct {
	Strings []struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"resources>stringTable>string"`
	Presentations []struct {
		ID       string `xml:"id,attr"`
		Controls []struct {
			RefID string `xml:"refId,attr"`
		} `xml:",any"`
	} `xml:"resources>presentationTable>presentation"`
}

// readXML reads a template, failing the test when it is not well-formed.
func readXML(t *testing.T, path string, v any) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Unmarshal stops after the root element; the whole file must be
	// well-formed, as the Group Policy editor reads it.
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data
}

// TestADMXDefinesEveryPolicyValue: each value the app reads under
// PolicyKey has a machine policy in casreset.admx that writes it there,
// with the element its type needs, and the template writes nothing else.
func TestADMXDefinesEveryPolicyValue(t *testing.T) {
	var doc admx
	readXML(t, filepath.Join(admxDir, admxFile), &doc)
	if doc.Target.Prefix == "" || doc.Target.Namespace == "" {
		t.Error("casreset.admx has no target namespace")
	}

	written := map[string]admxElement{}
	for _, p := range doc.Policies {
		if p.Class != "Machine" || p.Key != PolicyKey {
			t.Errorf("policy %s: class %q, key %q; want Machine and %s", p.Name, p.Class, p.Key, PolicyKey)
		}
		if p.ValueName != "" {
			t.Errorf("policy %s writes %s itself; the app reads values of elements only", p.Name, p.ValueName)
		}
		if !hasName(doc.Categories, p.Category.Ref) {
			t.Errorf("policy %s: no category %q", p.Name, p.Category.Ref)
		}
		if !hasName(doc.SupportedOn, p.SupportedOn.Ref) {
			t.Errorf("policy %s: no supportedOn definition %q", p.Name, p.SupportedOn.Ref)
		}
		if len(p.Elements.List) == 0 {
			t.Errorf("policy %s has no elements", p.Name)
		}
		for _, e := range p.Elements.List {
			if _, dup := written[e.ValueName]; dup {
				t.Errorf("two policies write %s", e.ValueName)
			}
			written[e.ValueName] = e
		}
	}

	minutes := func(d time.Duration) string { return strconv.Itoa(int(d / time.Minute)) }
	for _, v := range policyValues {
		e, ok := written[v.Name]
		if !ok {
			t.Errorf("casreset.admx has no policy writing %s (the configuration key %s)", v.Name, v.key())
			continue
		}
		delete(written, v.Name)
		kind := e.XMLName.Local
		switch {
		case v.Minutes:
			if kind != "decimal" || e.MinValue != minutes(MinIdleTimeout) || e.MaxValue != minutes(MaxIdleTimeout) {
				t.Errorf("%s: a %s from %s to %s; want a decimal from %s to %s minutes", v.Name, kind, e.MinValue, e.MaxValue, minutes(MinIdleTimeout), minutes(MaxIdleTimeout))
			}
		case v.Path:
			if kind != "text" || e.Expandable != "true" {
				t.Errorf("%s: a %s (expandable %q); want an expandable text, so that %%ProgramData%% works", v.Name, kind, e.Expandable)
			}
		case kind == "enum":
			var choices []string
			for _, item := range e.Items {
				c := Config{}
				if err := keySetter(v.Key)(&c, item.Value, ""); err != nil {
					t.Errorf("%s: the choice %q is not a value the app accepts: %v", v.Name, item.Value, err)
				}
				choices = append(choices, item.Value)
			}
			if v.Key == "language" && !slices.Equal(choices, assets.Tags()) {
				t.Errorf("%s offers %q, want the app's languages %q", v.Name, choices, assets.Tags())
			}
		case kind != "text":
			t.Errorf("%s: a %s; want text", v.Name, kind)
		}
	}
	for name := range written {
		t.Errorf("casreset.admx writes %s, which the app does not read", name)
	}
}

// TestADMLHasEveryStringOfTheADMX: every $(string.…) and
// $(presentation.…) the template refers to is in the language file of each
// language, each presentation shows exactly its policy's elements, and
// the language files hold nothing else.
func TestADMLHasEveryStringOfTheADMX(t *testing.T) {
	var doc admx
	data := readXML(t, filepath.Join(admxDir, admxFile), &doc)
	refs := map[string][]string{} // "string" and "presentation": ids referred to
	for _, m := range regexp.MustCompile(`\$\((string|presentation)\.([^)]*)\)`).FindAllStringSubmatch(string(data), -1) {
		if !slices.Contains(refs[m[1]], m[2]) {
			refs[m[1]] = append(refs[m[1]], m[2])
		}
	}
	if len(refs["string"]) == 0 || len(refs["presentation"]) == 0 {
		t.Fatalf("casreset.admx refers to no strings or presentations: %v", refs)
	}
	elementsOf := map[string][]string{} // presentation id: element ids
	for _, p := range doc.Policies {
		id := strings.TrimSuffix(strings.TrimPrefix(p.Presentation, "$(presentation."), ")")
		for _, e := range p.Elements.List {
			elementsOf[id] = append(elementsOf[id], e.ID)
		}
	}

	for _, language := range admlLanguages {
		t.Run(language, func(t *testing.T) {
			var res adml
			path := filepath.Join(admxDir, language, admlFile)
			readXML(t, path, &res)
			strs := map[string]string{}
			for _, s := range res.Strings {
				if _, dup := strs[s.ID]; dup {
					t.Errorf("%s: string %s twice", path, s.ID)
				}
				strs[s.ID] = s.Text
			}
			for _, id := range refs["string"] {
				if strings.TrimSpace(strs[id]) == "" {
					t.Errorf("%s: no string %s, which casreset.admx refers to", path, id)
				}
				delete(strs, id)
			}
			for id := range strs {
				t.Errorf("%s: string %s is not used by casreset.admx", path, id)
			}
			presented := map[string]bool{}
			for _, p := range res.Presentations {
				presented[p.ID] = true
				want, ok := elementsOf[p.ID]
				if !ok {
					t.Errorf("%s: presentation %s is not used by casreset.admx", path, p.ID)
					continue
				}
				var got []string
				for _, c := range p.Controls {
					got = append(got, c.RefID)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: presentation %s shows %q; its policy's elements are %q", path, p.ID, got, want)
				}
			}
			for _, id := range refs["presentation"] {
				if !presented[id] {
					t.Errorf("%s: no presentation %s, which casreset.admx refers to", path, id)
				}
			}
		})
	}
}
