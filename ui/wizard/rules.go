package wizard

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"casreset/ui/shell"
)

// The password rules are the service's data: step 4's checklist and the
// help page show whatever rules the policy lists, in its order, each by
// its own text "rule.<id>" filled from the rule's parameters ({{.Min}},
// {{.Max}}, {{.Count}}, {{.Chars}}; plural forms by Count). A line whose
// rule the password breaks says the problem instead, "fail.<id>" with the
// same parameters ("The two passwords do not match", not a crossed "Both
// passwords are the same"). A refusal of the rule reads "refused.<id>". A
// rule that no translation names, from a newer service, reads as
// "rule.other" ("fail.other"), once however many there are. So a new rule
// needs its texts in the translations and nothing here.

func ruleKey(id api.RuleID) string    { return "rule." + string(id) }
func failKey(id api.RuleID) string    { return "fail." + string(id) }
func refusedKey(id api.RuleID) string { return "refused." + string(id) }

// ruleLine is r in the current language, or false when no translation
// names it.
func ruleLine(t *shell.Translator, r api.Rule) (string, bool) {
	key := ruleKey(r.ID)
	if !t.Has(key) {
		return "", false
	}
	return t.N(key, r.Count, "Min", r.Min, "Max", r.Max, "Chars", spaced(r.Chars)), true
}

// failLine is the problem of a password that breaks r, in the current
// language; r's own line when no translation words it as a problem.
func failLine(t *shell.Translator, r api.Rule) string {
	if key := failKey(r.ID); t.Has(key) {
		return t.N(key, r.Count, "Min", r.Min, "Max", r.Max, "Chars", spaced(r.Chars))
	}
	line, _ := ruleLine(t, r)
	return line
}

// ruleLines are the rules of p as the help page lists them.
func ruleLines(t *shell.Translator, p api.Policy) []string {
	var lines []string
	other := false
	for _, r := range p.Requirements {
		if line, ok := ruleLine(t, r); ok {
			lines = append(lines, line)
		} else if !other {
			other = true
			lines = append(lines, t.T("rule.other"))
		}
	}
	return lines
}

// spaced writes each character apart, as the seed does: $ " \ / `
func spaced(chars string) string {
	return strings.Join(strings.Split(chars, ""), " ")
}

// foundText names the character found that breaks rule r; nothing when
// none was found. White space and other characters that cannot be seen
// are named by what they are, and white space not at all when the rule is
// the one against it: its line says so already ("The password contains a
// white space character", not again "(found: a white space)").
func foundText(t *shell.Translator, rule api.Rule, found string) string {
	r, _ := utf8.DecodeRuneInString(found)
	switch {
	case found == "":
		return ""
	case unicode.IsSpace(r) && rule.ID == api.RuleHasWhitespace:
		return ""
	case unicode.IsSpace(r):
		return t.T("rule.found_space")
	case !unicode.IsGraphic(r):
		return t.T("rule.found_char", "Char", fmt.Sprintf("U+%04X", r))
	default:
		return t.T("rule.found_char", "Char", found)
	}
}
