package validate

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"casreset/api"
)

// policy is the default policy of DESIGN.md as GET /v1/policy gives it.
var policy = api.Policy{
	Requirements: []api.Rule{
		{ID: api.RuleTooShort, Min: 10},
		{ID: api.RuleTooLong, Max: 128},
		{ID: api.RuleNeedsLetter},
		{ID: api.RuleNeedsDigit},
		{ID: api.RuleHasWhitespace},
		{ID: api.RuleForbiddenChar, Chars: "$\"\\/`"},
		{ID: api.RuleReused, Count: 3},
		{ID: api.RuleTooCommon},
		{ID: api.RuleContainsIdentity, Min: 4},
	},
	Advice: api.Advice{MinLength: 14, NeedsUpper: true, NeedsLower: true, NeedsDigit: true},
}

// checkedHere are the rules of policy that the password alone decides.
var checkedHere = []api.RuleID{api.RuleTooShort, api.RuleTooLong, api.RuleNeedsLetter, api.RuleNeedsDigit,
	api.RuleHasWhitespace, api.RuleForbiddenChar}

func TestPasswordChecks(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		broken map[api.RuleID]string // rule → found character
	}{
		{"empty breaks length, letter and digit", "", map[api.RuleID]string{
			api.RuleTooShort: "", api.RuleNeedsLetter: "", api.RuleNeedsDigit: ""}},
		{"nine characters are too short", "abcdefgh1", map[api.RuleID]string{api.RuleTooShort: ""}},
		{"ten characters are enough", "abcdefgh12", nil},
		{"length counts code points", "密碼密碼密碼密碼a1", nil},
		{"no letter", "1234567890", map[api.RuleID]string{api.RuleNeedsLetter: ""}},
		{"a Chinese character is not a letter A-Z", "密碼密碼密碼密碼密1", map[api.RuleID]string{api.RuleNeedsLetter: ""}},
		{"no digit", "abcdefghij", map[api.RuleID]string{api.RuleNeedsDigit: ""}},
		{"a space is named", "abcde fgh12", map[api.RuleID]string{api.RuleHasWhitespace: " "}},
		{"a tab is named", "abcde\tfgh12", map[api.RuleID]string{api.RuleHasWhitespace: "\t"}},
		{"dollar is named", "abcde$fgh12", map[api.RuleID]string{api.RuleForbiddenChar: "$"}},
		{"the first forbidden character is named", "abc`de\\fgh12", map[api.RuleID]string{api.RuleForbiddenChar: "`"}},
		{"backslash", `abcdefgh12\`, map[api.RuleID]string{api.RuleForbiddenChar: `\`}},
		{"quote", `abcd"efgh12`, map[api.RuleID]string{api.RuleForbiddenChar: `"`}},
		{"slash", "abcd/efgh12", map[api.RuleID]string{api.RuleForbiddenChar: "/"}},
		{"too long", strings.Repeat("a1", 65), map[api.RuleID]string{api.RuleTooLong: ""}},
		{"exactly the maximum", strings.Repeat("a1", 64), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := PasswordChecks(policy, tt.pw)
			if len(checks) != len(policy.Requirements) {
				t.Fatalf("got %d checks, want %d (one per rule of the policy)", len(checks), len(policy.Requirements))
			}
			for i, c := range checks {
				if c.Rule != policy.Requirements[i] {
					t.Fatalf("check %d is of %+v, want the policy's order", i, c.Rule)
				}
				if c.Checked != slices.Contains(checkedHere, c.Rule.ID) {
					t.Errorf("rule %s: checked here = %v", c.Rule.ID, c.Checked)
				}
				if !c.Checked {
					continue
				}
				found, broken := tt.broken[c.Rule.ID]
				if c.OK == broken {
					t.Errorf("rule %s: OK = %v, want %v", c.Rule.ID, c.OK, !broken)
				}
				if c.Found != found {
					t.Errorf("rule %s: found %q, want %q", c.Rule.ID, c.Found, found)
				}
			}
		})
	}
}

func TestPasswordChecksFollowThePolicy(t *testing.T) {
	p := api.Policy{Requirements: []api.Rule{{ID: api.RuleTooShort, Min: 8}}} // one rule, one check
	checks := PasswordChecks(p, "short")
	if len(checks) != 1 || checks[0].Rule.ID != api.RuleTooShort || !checks[0].Checked || checks[0].OK {
		t.Fatalf("checks = %+v, want one failing too_short", checks)
	}
}

// TestARuleOfANewerServiceIsNotCheckedHere: the wizard cannot check a rule
// it does not know, so it neither fails nor passes the password for it;
// the service does when the password is sent.
func TestARuleOfANewerServiceIsNotCheckedHere(t *testing.T) {
	p := api.Policy{Requirements: []api.Rule{{ID: api.RuleTooShort, Min: 4}, {ID: "no_emoji", Count: 1}}}
	checks := PasswordChecks(p, "abc1")
	if len(checks) != 2 || checks[1].Rule.ID != "no_emoji" || checks[1].Checked {
		t.Fatalf("checks = %+v, want the unknown rule listed and not checked", checks)
	}
	if err := Password(p)("abc1"); err != nil {
		t.Errorf("the validator refuses for a rule it cannot check: %v", err)
	}
}

func TestPasswordValidator(t *testing.T) {
	v := Password(policy)
	if err := v(""); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v, want ErrEmpty", err)
	}
	if err := v("Abcdefgh12"); err != nil {
		t.Errorf("valid password refused: %v", err)
	}
	var viol *Violation
	if err := v("abcdefg1$"); !errors.As(err, &viol) || viol.Rule != api.RuleTooShort {
		t.Errorf("got %v, want too_short first", err)
	}
	if err := v("abcdefgh1$x"); !errors.As(err, &viol) || viol.Rule != api.RuleForbiddenChar || viol.Found != "$" {
		t.Errorf("got %v, want forbidden_char $", err)
	}
}

func TestMatch(t *testing.T) {
	first := "Abcdefgh12"
	v := Match(func() string { return first })
	if err := v("Abcdefgh12"); err != nil {
		t.Errorf("same password: %v", err)
	}
	if err := v("Abcdefgh13"); !errors.Is(err, ErrMismatch) {
		t.Errorf("different password: %v, want ErrMismatch", err)
	}
	first = "Abcdefgh13" // the validator reads the first field at check time
	if err := v("Abcdefgh13"); err != nil {
		t.Errorf("after the first changed: %v", err)
	}
	if err := v(""); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v, want ErrEmpty", err)
	}
}

func TestAdviceMet(t *testing.T) {
	tests := map[string]bool{
		"Abcdefghijk123": true,
		"Abcdefghijk12":  false, // 13 characters
		"abcdefghijk123": false, // no upper case
		"ABCDEFGHIJK123": false, // no lower case
		"Abcdefghijklmn": false, // no digit
	}
	for pw, want := range tests {
		if got := AdviceMet(policy.Advice, pw); got != want {
			t.Errorf("AdviceMet(%q) = %v, want %v", pw, got, want)
		}
	}
}

func TestStrength(t *testing.T) {
	if got := Strength(""); got != 0 {
		t.Errorf("empty: %d", got)
	}
	if got := Strength("password12"); got > 1 {
		t.Errorf("password12 scored %d, want at most 1", got)
	}
	if got := Strength("T0012345ab", "T0012345"); got > 2 {
		t.Errorf("the staff number plus two letters scored %d, want at most 2", got)
	}
	if got := Strength("Wq7-lantern-Orbit-93"); got < 3 {
		t.Errorf("a long mixed password scored %d, want at least 3", got)
	}
	long := strings.Repeat("Zx9!", 40)
	if got := Strength(long); got < 0 || got > 4 {
		t.Errorf("long password scored %d", got)
	}
}

// FuzzPasswordChecks asserts that the checklist and the validator agree,
// never panic, and name a character that is in the password.
func FuzzPasswordChecks(f *testing.F) {
	for _, s := range []string{"", "abcdefgh12", "abc def$12", "密碼密碼密碼密碼a1", "\xff\xfe", strings.Repeat("a1", 70)} {
		f.Add(s)
	}
	v := Password(policy)
	f.Fuzz(func(t *testing.T, pw string) {
		checks := PasswordChecks(policy, pw)
		allOK := true
		for _, c := range checks {
			if c.Found != "" && !strings.Contains(pw, c.Found) {
				t.Fatalf("rule %s names %q, not in %q", c.Rule.ID, c.Found, pw)
			}
			if c.Found != "" && c.OK {
				t.Fatalf("rule %s names %q but passes", c.Rule.ID, c.Found)
			}
			allOK = allOK && (c.OK || !c.Checked)
		}
		err := v(pw)
		if pw != "" && allOK != (err == nil) {
			t.Fatalf("checks all OK = %v but validator says %v for %q", allOK, err, pw)
		}
		if n := utf8.RuneCountInString(pw); allOK && (n < 10 || n > 128) {
			t.Fatalf("length %d accepted", n)
		}
	})
}

// FuzzFieldValidators asserts the field validators never panic and accept
// only what their normalised form allows.
func FuzzFieldValidators(f *testing.F) {
	for _, s := range []string{"", "123456", "１２３ ４５６", "a@b.c", "+852 9123 4567", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Code(s) == nil {
			n := NormalizeCode(s)
			if len(n) != CodeLength || strings.Trim(n, "0123456789") != "" {
				t.Fatalf("Code accepted %q (normalised %q)", s, n)
			}
		}
		// The wizard accepts exactly the numbers the service accepts.
		if _, err := api.ParseStaffNumber(s, api.StaffNumberCaseInsensitive); (StaffNumber(s) == nil) != (err == nil) {
			t.Fatalf("StaffNumber(%q) = %v, the service's rule says %v", s, StaffNumber(s), err)
		}
		_ = Contact(s)
		_ = CaptchaAnswer(s)
	})
}

// With the directory's complexity rule, the wizard ticks both its rules as
// the person types: the classes of characters from the password, the
// account's names from those a verified flow's policy carries.
func TestPasswordChecksTheDirectorysComplexity(t *testing.T) {
	p := api.Policy{
		Requirements: []api.Rule{
			{ID: api.RuleNeedsThreeClasses, Count: 3},
			{ID: api.RuleContainsAccountName, Min: 3},
		},
		AccountNames: api.AccountNameParts("tmchan", "CHAN, Tai-man"),
	}
	tests := []struct {
		pw      string
		classes bool // needs_three_classes met
		names   bool // contains_account_name met
	}{
		{"abcdefgh12", false, true},
		{"Abcdefgh12", true, true},
		{"Xyz-TMCHAN-12", true, false},
		{"Kx7-tai-9qz", true, false},
		{"Kx7-ta-9qzM", true, true},
	}
	for _, tt := range tests {
		checks := PasswordChecks(p, tt.pw)
		if !checks[0].Checked || checks[0].OK != tt.classes {
			t.Errorf("%q: needs_three_classes %+v, want met %v", tt.pw, checks[0].Verdict, tt.classes)
		}
		if !checks[1].Checked || checks[1].OK != tt.names {
			t.Errorf("%q: contains_account_name %+v, want met %v", tt.pw, checks[1].Verdict, tt.names)
		}
	}
	p.AccountNames = nil
	if c := PasswordChecks(p, "Xyz-TMCHAN-12")[1]; c.Checked {
		t.Errorf("without the account's names contains_account_name is checked here: %+v", c)
	}
}
