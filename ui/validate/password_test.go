package validate

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"casreset/api"
)

// policy is the default policy of DESIGN.md as GET /v1/policy gives it.
var policy = api.Policy{
	MinLength: 10, MaxLength: 128,
	NeedsLetter: true, NeedsDigit: true, NoWhitespace: true,
	ForbiddenChars: "$\"\\/`",
	History:        3, RejectCommon: true, RejectIdentity: true,
	Advice: api.Advice{MinLength: 14, NeedsUpper: true, NeedsLower: true, NeedsDigit: true},
}

func TestPasswordChecks(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		broken map[string]string // rule → found character
	}{
		{"empty breaks length, letter and digit", "", map[string]string{
			api.RuleTooShort: "", api.RuleNeedsLetter: "", api.RuleNeedsDigit: ""}},
		{"nine characters are too short", "abcdefgh1", map[string]string{api.RuleTooShort: ""}},
		{"ten characters are enough", "abcdefgh12", nil},
		{"length counts code points", "密碼密碼密碼密碼a1", nil},
		{"no letter", "1234567890", map[string]string{api.RuleNeedsLetter: ""}},
		{"a Chinese character is not a letter A-Z", "密碼密碼密碼密碼密1", map[string]string{api.RuleNeedsLetter: ""}},
		{"no digit", "abcdefghij", map[string]string{api.RuleNeedsDigit: ""}},
		{"a space is named", "abcde fgh12", map[string]string{api.RuleHasWhitespace: " "}},
		{"a tab is named", "abcde\tfgh12", map[string]string{api.RuleHasWhitespace: "\t"}},
		{"dollar is named", "abcde$fgh12", map[string]string{api.RuleForbiddenChar: "$"}},
		{"the first forbidden character is named", "abc`de\\fgh12", map[string]string{api.RuleForbiddenChar: "`"}},
		{"backslash", `abcdefgh12\`, map[string]string{api.RuleForbiddenChar: `\`}},
		{"quote", `abcd"efgh12`, map[string]string{api.RuleForbiddenChar: `"`}},
		{"slash", "abcd/efgh12", map[string]string{api.RuleForbiddenChar: "/"}},
		{"too long", strings.Repeat("a1", 65), map[string]string{api.RuleTooLong: ""}},
		{"exactly the maximum", strings.Repeat("a1", 64), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := PasswordChecks(policy, tt.pw)
			if len(checks) != 6 {
				t.Fatalf("got %d checks, want 6 (one per rule of the policy)", len(checks))
			}
			for _, c := range checks {
				found, broken := tt.broken[c.Rule]
				if c.OK == broken {
					t.Errorf("rule %s: OK = %v, want %v", c.Rule, c.OK, !broken)
				}
				if c.Found != found {
					t.Errorf("rule %s: found %q, want %q", c.Rule, c.Found, found)
				}
			}
		})
	}
}

func TestPasswordChecksFollowThePolicy(t *testing.T) {
	p := api.Policy{MinLength: 8} // a policy with one rule has one check
	checks := PasswordChecks(p, "short")
	if len(checks) != 1 || checks[0].Rule != api.RuleTooShort || checks[0].OK {
		t.Fatalf("checks = %+v, want one failing too_short", checks)
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
				t.Fatalf("rule %s names %q, not in %q", c.Rule, c.Found, pw)
			}
			if c.Found != "" && c.OK {
				t.Fatalf("rule %s names %q but passes", c.Rule, c.Found)
			}
			allOK = allOK && c.OK
		}
		err := v(pw)
		if pw != "" && allOK != (err == nil) {
			t.Fatalf("checks all OK = %v but validator says %v for %q", allOK, err, pw)
		}
		if n := utf8.RuneCountInString(pw); allOK && (n < policy.MinLength || n > policy.MaxLength) {
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
