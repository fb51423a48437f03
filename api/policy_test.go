package api

import (
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
