package service_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"casreset/service"
)

var chan_ = service.Account{StaffNumber: "12345678", Name: "CHAN, Tai-man Peter"}

func TestCheckPasswordReportsEachRule(t *testing.T) {
	p := service.DefaultConfig().Policy
	tests := []struct {
		name     string
		password string
		want     []string
	}{
		{"meets every rule", "Kx7pQ2mZr9vT", nil},
		{"exactly the minimum length", "Kx7pQ2mZr9", nil},
		{"too short by one", "Kx7pQ2mZr", []string{api.RuleTooShort}},
		{"length counts code points, not bytes", "密碼密碼密碼密碼a1", nil},
		{"short in code points though long in bytes", "密碼密碼密碼a1", []string{api.RuleTooShort}},
		{"exactly the maximum length", "a1" + strings.Repeat("Kx7pQ", 25) + "z", nil},
		{"too long by one", "a1" + strings.Repeat("Kx7pQ", 25) + "zz", []string{api.RuleTooLong}},
		{"no letter", "7249016358", []string{api.RuleNeedsLetter}},
		{"non-ASCII letters are not letters", "éüñçåøæßþð7", []string{api.RuleNeedsLetter}},
		{"no digit", "KxpQmZrvTw", []string{api.RuleNeedsDigit}},
		{"non-ASCII digits are not digits", "Kx٣pQ٢mZr٩vT", []string{api.RuleNeedsDigit}},
		{"space", "Kx7pQ 2mZr9", []string{api.RuleHasWhitespace}},
		{"tab", "Kx7pQ\t2mZr9", []string{api.RuleHasWhitespace}},
		{"newline", "Kx7pQ\n2mZr9", []string{api.RuleHasWhitespace}},
		{"no-break space U+00A0", "Kx7pQ\u00a02mZr9", []string{api.RuleHasWhitespace}},
		{"ideographic space U+3000", "Kx7pQ\u30002mZr9", []string{api.RuleHasWhitespace}},
		{"en quad U+2000", "Kx7pQ\u20002mZr9", []string{api.RuleHasWhitespace}},
		{"dollar", "Kx7pQ$2mZr9", []string{api.RuleForbiddenChar}},
		{"double quote", `Kx7pQ"2mZr9`, []string{api.RuleForbiddenChar}},
		{"backslash", `Kx7pQ\2mZr9`, []string{api.RuleForbiddenChar}},
		{"slash", "Kx7pQ/2mZr9", []string{api.RuleForbiddenChar}},
		{"backquote", "Kx7pQ`2mZr9", []string{api.RuleForbiddenChar}},
		{"control character", "Kx7pQ\x002mZr9", []string{api.RuleForbiddenChar}},
		{"other punctuation is fine", "Kx7pQ!2m#Zr9@%^&*()", nil},
		{"common password", "password12", []string{api.RuleTooCommon}},
		{"common password in another case", "PassWord12", []string{api.RuleTooCommon}},
		{"contains the staff number", "Kx12345678Zr", []string{api.RuleContainsIdentity}},
		{"contains a name part", "Kx7pPeter9vT", []string{api.RuleContainsIdentity}},
		{"several rules at once", "a b$", []string{api.RuleTooShort, api.RuleNeedsDigit, api.RuleHasWhitespace, api.RuleForbiddenChar}},
		{"empty", "", []string{api.RuleTooShort, api.RuleNeedsLetter, api.RuleNeedsDigit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := service.CheckPassword(p, tt.password, chan_)
			if !slices.Equal(got, tt.want) {
				t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, got, tt.want)
			}
		})
	}
}

func TestCheckPasswordFollowsConfiguration(t *testing.T) {
	p := service.DefaultConfig().Policy
	p.MinLength, p.MaxLength = 4, 6
	p.ForbiddenChars = "!"
	p.RejectCommon, p.RejectIdentity = false, false
	tests := []struct {
		password string
		want     []string
	}{
		{"ab12", nil},
		{"ab1", []string{api.RuleTooShort}},
		{"ab12345", []string{api.RuleTooLong}},
		{"ab1$", nil},
		{"ab1!", []string{api.RuleForbiddenChar}},
		{"pass12", nil}, // common, but the check is off
		{"Peter1", nil}, // a name part, but the check is off
		{"123456ab", []string{api.RuleTooLong}},
	}
	for _, tt := range tests {
		if got := service.CheckPassword(p, tt.password, chan_); !slices.Equal(got, tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, got, tt.want)
		}
	}
}

func TestPolicyDescribesTheRules(t *testing.T) {
	got := service.DefaultConfig().Policy.API()
	if got.MinLength != 10 || got.MaxLength != 128 || got.History != 3 || got.ForbiddenChars != "$\"\\/`" {
		t.Errorf("lengths, history or characters: %+v", got)
	}
	if !got.NeedsLetter || !got.NeedsDigit || !got.NoWhitespace || !got.RejectCommon || !got.RejectIdentity {
		t.Errorf("flags: %+v", got)
	}
	if got.Advice != (api.Advice{MinLength: 14, NeedsUpper: true, NeedsLower: true, NeedsDigit: true}) {
		t.Errorf("advice: %+v", got.Advice)
	}
	want := []string{api.RuleTooShort, api.RuleTooLong, api.RuleNeedsLetter, api.RuleNeedsDigit,
		api.RuleHasWhitespace, api.RuleForbiddenChar, api.RuleTooCommon, api.RuleContainsIdentity}
	if !slices.Equal(got.Rules, want) {
		t.Errorf("rules = %v, want %v", got.Rules, want)
	}
}

// FuzzPolicy checks CheckPassword against a direct reading of each rule.
func FuzzPolicy(f *testing.F) {
	for _, s := range []string{"", "Kx7pQ2mZr9", "password12", "a\u00a0b1", "Peter12345", "\xff\xfe1a", "$\"\\/`", strings.Repeat("a1", 70)} {
		f.Add(s)
	}
	p := service.DefaultConfig().Policy
	f.Fuzz(func(t *testing.T, pw string) {
		got := service.CheckPassword(p, pw, chan_)
		has := func(rule string) bool { return slices.Contains(got, rule) }
		n := utf8.RuneCountInString(pw)
		if has(api.RuleTooShort) != (n < p.MinLength) {
			t.Errorf("too_short = %v for %d code points", has(api.RuleTooShort), n)
		}
		if has(api.RuleTooLong) != (n > p.MaxLength) {
			t.Errorf("too_long = %v for %d code points", has(api.RuleTooLong), n)
		}
		if has(api.RuleNeedsLetter) == strings.ContainsAny(pw, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("needs_letter wrong for %q", pw)
		}
		if has(api.RuleNeedsDigit) == strings.ContainsAny(pw, "0123456789") {
			t.Errorf("needs_digit wrong for %q", pw)
		}
		if has(api.RuleHasWhitespace) != strings.ContainsFunc(pw, unicode.IsSpace) {
			t.Errorf("has_whitespace wrong for %q", pw)
		}
		forbidden := strings.ContainsFunc(pw, func(r rune) bool {
			return !unicode.IsSpace(r) && (unicode.IsControl(r) || strings.ContainsRune(p.ForbiddenChars, r))
		})
		if has(api.RuleForbiddenChar) != forbidden {
			t.Errorf("forbidden_char = %v for %q", has(api.RuleForbiddenChar), pw)
		}
		if has(api.RuleTooCommon) != service.IsCommonPassword(pw) {
			t.Errorf("too_common wrong for %q", pw)
		}
		if has(api.RuleContainsIdentity) != service.ContainsIdentity(pw, chan_, p.IdentityMinLength) {
			t.Errorf("contains_identity wrong for %q", pw)
		}
		if len(got) == 0 && utf8.ValidString(pw) {
			// A password that passes must be one a user could type at CAS.
			for _, r := range pw {
				if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(p.ForbiddenChars, r) {
					t.Errorf("accepted %q with %U", pw, r)
				}
			}
		}
	})
}
