package api

import (
	"slices"
	"strings"
	"testing"
)

func TestRuleCheckDecidesWhatThePasswordAloneTells(t *testing.T) {
	chars := "$\"\\/`"
	tests := []struct {
		rule  Rule
		pw    string
		want  Verdict
		about string
	}{
		{Rule{ID: RuleTooShort, Min: 10}, "abcdefgh1", Verdict{Checked: true}, "nine characters"},
		{Rule{ID: RuleTooShort, Min: 10}, "密碼密碼密碼密碼a1", Verdict{Checked: true, OK: true}, "code points, not bytes"},
		{Rule{ID: RuleTooLong, Max: 128}, strings.Repeat("a1", 65), Verdict{Checked: true}, "130 characters"},
		{Rule{ID: RuleTooLong, Max: 128}, strings.Repeat("a1", 64), Verdict{Checked: true, OK: true}, "exactly the maximum"},
		{Rule{ID: RuleNeedsLetter}, "1234567890", Verdict{Checked: true}, "no letter"},
		{Rule{ID: RuleNeedsLetter}, "éüñ1", Verdict{Checked: true}, "letters outside A-Z"},
		{Rule{ID: RuleNeedsLetter}, "123a", Verdict{Checked: true, OK: true}, "a letter"},
		{Rule{ID: RuleNeedsDigit}, "abc٣", Verdict{Checked: true}, "a digit outside 0-9"},
		{Rule{ID: RuleNeedsDigit}, "abc3", Verdict{Checked: true, OK: true}, "a digit"},
		{Rule{ID: RuleHasWhitespace}, "ab\u3000c", Verdict{Checked: true, Found: "\u3000"}, "ideographic space"},
		{Rule{ID: RuleHasWhitespace}, "ab\tc", Verdict{Checked: true, Found: "\t"}, "tab"},
		{Rule{ID: RuleForbiddenChar, Chars: chars}, "ab`c\\d", Verdict{Checked: true, Found: "`"}, "the first forbidden character"},
		{Rule{ID: RuleForbiddenChar, Chars: chars}, "ab\x00c", Verdict{Checked: true, OK: true}, "a control character is invisible_char's"},
		{Rule{ID: RuleForbiddenChar, Chars: chars + " "}, "ab c\td", Verdict{Checked: true, OK: true}, "white space is has_whitespace's"},
		{Rule{ID: RuleInvisibleChar}, "ab\x1bc", Verdict{Checked: true, Found: "\x1b"}, "escape"},
		{Rule{ID: RuleInvisibleChar}, "ab\u200dc\u202e", Verdict{Checked: true, Found: "\u200d"}, "the first of a zero-width joiner and a right-to-left override"},
		{Rule{ID: RuleInvisibleChar}, "ab\tc\u3000", Verdict{Checked: true, OK: true}, "white space is has_whitespace's"},
		{Rule{ID: RuleInvisibleChar}, "Kx7pQ2mZr9é密€", Verdict{Checked: true, OK: true}, "visible non-ASCII"},
		{Rule{ID: RuleTooCommon}, "password1", Verdict{}, "the service knows the common passwords"},
		{Rule{ID: RuleReused, Count: 3}, "x", Verdict{}, "the service knows the history"},
		{Rule{ID: "from_a_newer_service"}, "x", Verdict{}, "an unknown rule"},
	}
	for _, tt := range tests {
		if got := tt.rule.Check(tt.pw); got != tt.want {
			t.Errorf("%s: %s.Check(%q) = %+v, want %+v", tt.about, tt.rule.ID, tt.pw, got, tt.want)
		}
	}
}

func TestPolicyRuleFindsARuleByID(t *testing.T) {
	p := Policy{Requirements: []Rule{{ID: RuleTooShort, Min: 10}, {ID: RuleReused, Count: 3}}}
	if r, ok := p.Rule(RuleReused); !ok || r.Count != 3 {
		t.Errorf("Rule(reused) = %+v, %v", r, ok)
	}
	if _, ok := p.Rule(RuleTooCommon); ok {
		t.Error("Rule(too_common) found in a policy without it")
	}
}

// needs_three_classes counts the five classes Windows documents for AD's
// complexity: upper case, lower case, the digits 0-9, the symbols
// ~!@#$%^&*_-+=`|\(){}[]:;"'<>,.?/ and letters without case.
func TestNeedsThreeClassesCountsAsWindowsDocuments(t *testing.T) {
	rule := Rule{ID: RuleNeedsThreeClasses, Count: ComplexityClasses}
	tests := []struct {
		pw    string
		ok    bool
		about string
	}{
		{"abcdefgh12", false, "lower case and digits: two classes"},
		{"Abcdefgh12", true, "upper, lower, digit"},
		{"abcdefgh-1", true, "lower, symbol, digit"},
		{"ABCDEFGH!!", false, "upper and symbols"},
		{"abc 12 def", false, "a space counts in no class"},
		{"abc€12def", false, "a currency sign counts in no class"},
		{"abc١٢def", false, "digits of another script count in no class"},
		{"密碼abc12", true, "letters without case, lower, digit"},
		{"ÉCOLEécole", false, "upper and lower case beyond ASCII: two classes"},
		{"ÉCOLEécole7", true, "with a digit"},
		{"Ωμέγα-δέλτα", true, "Greek upper, lower and a symbol"},
	}
	for _, tt := range tests {
		if got := rule.Check(tt.pw); !got.Checked || got.OK != tt.ok {
			t.Errorf("%s: Check(%q) = %+v, want OK %v", tt.about, tt.pw, got, tt.ok)
		}
	}
}

// contains_account_name: the account name whole, and the display name's
// parts of three characters or more, split at , . - _ # tab and space,
// ignoring case, as Windows's complexity rule reads them.
func TestContainsAccountNameAsWindowsDocuments(t *testing.T) {
	parts := AccountNameParts("tm.chan", "Erin M. Hagens-Wong_Li#Ka\tPo Ho")
	want := []string{"tm.chan", "Erin", "Hagens", "Wong"}
	if !slices.Equal(parts, want) {
		t.Fatalf("AccountNameParts = %q, want %q", parts, want)
	}
	if got := AccountNameParts("ab", ""); got != nil {
		t.Errorf("an account name of two characters: %q, want none", got)
	}
	if got := AccountNameParts("", "Cafe\u0301 Ho"); !slices.Equal(got, []string{"Caf\u00e9"}) {
		t.Errorf("names are NFC: %q", got)
	}

	rule := Rule{ID: RuleContainsAccountName, Min: AccountNameMinPart}
	tests := []struct {
		pw string
		ok bool
	}{
		{"Kx7-TM.CHAN-2025", false},
		{"Kx7-tmchan-2025", true}, // the account name is checked whole
		{"my-hagens-2025", false},
		{"my-erin-2025", false},
		{"my-Po-Ho-Li-Ka", true}, // parts under three characters are skipped
		{"Kx7pQ2mZr9vT", true},
	}
	for _, tt := range tests {
		if got := rule.CheckFor(tt.pw, parts); !got.Checked || got.OK != tt.ok {
			t.Errorf("CheckFor(%q) = %+v, want OK %v", tt.pw, got, tt.ok)
		}
	}
	if got := rule.Check("my-hagens-2025"); got.Checked {
		t.Errorf("without the account's names the rule is checked: %+v", got)
	}
}
