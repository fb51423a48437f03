package service_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"casreset/api"
	"casreset/service"
)

var chan_ = service.Account{StaffNumber: "12345678", Name: "CHAN, Tai-man Peter"}

func TestCheckPasswordReportsEachRule(t *testing.T) {
	p := service.DefaultConfig().Policy
	tests := []struct {
		name     string
		password string
		want     []api.RuleID
	}{
		{"meets every rule", "Kx7pQ2mZr9vT", nil},
		{"exactly the minimum length", "Kx7pQ2mZr9", nil},
		{"too short by one", "Kx7pQ2mZr", []api.RuleID{api.RuleTooShort}},
		{"length counts code points, not bytes", "密碼密碼密碼密碼a1", nil},
		{"short in code points though long in bytes", "密碼密碼密碼a1", []api.RuleID{api.RuleTooShort}},
		{"exactly the maximum length", "a1" + strings.Repeat("Kx7pQ", 25) + "z", nil},
		{"too long by one", "a1" + strings.Repeat("Kx7pQ", 25) + "zz", []api.RuleID{api.RuleTooLong}},
		{"no letter", "7249016358", []api.RuleID{api.RuleNeedsLetter}},
		{"non-ASCII letters are not letters", "éüñçåøæßþð7", []api.RuleID{api.RuleNeedsLetter}},
		{"no digit", "KxpQmZrvTw", []api.RuleID{api.RuleNeedsDigit}},
		{"non-ASCII digits are not digits", "Kx٣pQ٢mZr٩vT", []api.RuleID{api.RuleNeedsDigit}},
		{"space", "Kx7pQ 2mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"tab", "Kx7pQ\t2mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"newline", "Kx7pQ\n2mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"no-break space U+00A0", "Kx7pQ\u00a02mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"ideographic space U+3000", "Kx7pQ\u30002mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"en quad U+2000", "Kx7pQ\u20002mZr9", []api.RuleID{api.RuleHasWhitespace}},
		{"dollar", "Kx7pQ$2mZr9", []api.RuleID{api.RuleForbiddenChar}},
		{"double quote", `Kx7pQ"2mZr9`, []api.RuleID{api.RuleForbiddenChar}},
		{"backslash", `Kx7pQ\2mZr9`, []api.RuleID{api.RuleForbiddenChar}},
		{"slash", "Kx7pQ/2mZr9", []api.RuleID{api.RuleForbiddenChar}},
		{"backquote", "Kx7pQ`2mZr9", []api.RuleID{api.RuleForbiddenChar}},
		{"control character", "Kx7pQ\x002mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"escape", "Kx7pQ\x1b2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"zero-width joiner", "Kx7pQ\u200d2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"zero-width space", "Kx7pQ\u200b2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"right-to-left override", "Kx7pQ\u202e2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"left-to-right mark", "Kx7pQ\u200e2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"byte order mark", "\ufeffKx7pQ2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"soft hyphen", "Kx7pQ\u00ad2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"language tag", "Kx7pQ2mZr9\U000e0001", []api.RuleID{api.RuleInvisibleChar}},
		{"private use", "Kx7pQ\ue0002mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"supplementary private use", "Kx7pQ\U000f00002mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"unassigned", "Kx7pQ\U0002fffd2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"non-character U+FFFE", "Kx7pQ\ufffe2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"non-character U+FDD0", "Kx7pQ\ufdd02mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"non-character U+1FFFF", "Kx7pQ\U0001ffff2mZr9", []api.RuleID{api.RuleInvisibleChar}},
		{"visible non-ASCII is fine", "Kx7pQ2mZr9é密€", nil},
		{"decomposed letters count once", "Kx7pQ2mZre\u0301", nil},
		{"too short once composed", "Kx7pQ2mZe\u0301", []api.RuleID{api.RuleTooShort}},
		{"other punctuation is fine", "Kx7pQ!2m#Zr9@%^&*()", nil},
		{"common password", "password12", []api.RuleID{api.RuleTooCommon}},
		{"common password in another case", "PassWord12", []api.RuleID{api.RuleTooCommon}},
		{"contains the staff number", "Kx12345678Zr", []api.RuleID{api.RuleContainsIdentity}},
		{"contains a name part", "Kx7pPeter9vT", []api.RuleID{api.RuleContainsIdentity}},
		{"several rules at once", "a b$\u200d", []api.RuleID{api.RuleTooShort, api.RuleNeedsDigit, api.RuleHasWhitespace, api.RuleForbiddenChar, api.RuleInvisibleChar}},
		{"empty", "", []api.RuleID{api.RuleTooShort, api.RuleNeedsLetter, api.RuleNeedsDigit}},
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
		want     []api.RuleID
	}{
		{"ab12", nil},
		{"ab1", []api.RuleID{api.RuleTooShort}},
		{"ab12345", []api.RuleID{api.RuleTooLong}},
		{"ab1$", nil},
		{"ab1!", []api.RuleID{api.RuleForbiddenChar}},
		{"pass12", nil}, // common, but the check is off
		{"Peter1", nil}, // a name part, but the check is off
		{"123456ab", []api.RuleID{api.RuleTooLong}},
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
	want := []api.RuleID{api.RuleTooShort, api.RuleTooLong, api.RuleNeedsLetter, api.RuleNeedsDigit,
		api.RuleHasWhitespace, api.RuleForbiddenChar, api.RuleTooCommon, api.RuleContainsIdentity, api.RuleInvisibleChar}
	if !slices.Equal(got.Rules, want) {
		t.Errorf("rules = %v, want %v", got.Rules, want)
	}

	wantList := []api.Rule{
		{ID: api.RuleTooShort, Min: 10},
		{ID: api.RuleTooLong, Max: 128},
		{ID: api.RuleNeedsLetter},
		{ID: api.RuleNeedsDigit},
		{ID: api.RuleHasWhitespace},
		{ID: api.RuleForbiddenChar, Chars: "$\"\\/`"},
		{ID: api.RuleReused, Count: 3},
		{ID: api.RuleTooCommon},
		{ID: api.RuleContainsIdentity, Min: 4},
	}
	if !slices.Equal(got.Requirements, wantList) {
		t.Errorf("requirements = %+v, want %+v", got.Requirements, wantList)
	}

	p := service.DefaultConfig().Policy
	p.ForbiddenChars = ""
	if rules := p.API().Rules; slices.Contains(rules, api.RuleForbiddenChar) || !slices.Contains(rules, api.RuleInvisibleChar) {
		t.Errorf("with no forbidden characters, rules = %v: want invisible_char and no forbidden_char", rules)
	}
}

// TestRequirementsFollowConfiguration: the policy lists only what the
// configuration enforces, with its values. invisible_char, always
// enforced, is not listed: nobody types those characters; a pasted one is
// refused with its own words.
func TestRequirementsFollowConfiguration(t *testing.T) {
	p := service.DefaultConfig().Policy
	p.MinLength, p.MaxLength, p.History = 12, 64, 0
	p.ForbiddenChars = ""
	p.RejectCommon = false
	want := []api.Rule{
		{ID: api.RuleTooShort, Min: 12},
		{ID: api.RuleTooLong, Max: 64},
		{ID: api.RuleNeedsLetter},
		{ID: api.RuleNeedsDigit},
		{ID: api.RuleHasWhitespace},
		{ID: api.RuleContainsIdentity, Min: 4},
	}
	if got := p.Requirements(); !slices.Equal(got, want) {
		t.Errorf("requirements = %+v, want %+v", got, want)
	}
	if got := service.CheckPassword(p, "Kx7pQ\x002mZr9vT", chan_); !slices.Equal(got, []api.RuleID{api.RuleInvisibleChar}) {
		t.Errorf("a NUL with no forbidden characters configured: %v", got)
	}
}

func TestNormalizePasswordComposes(t *testing.T) {
	for in, want := range map[string]string{
		"Café-2025x": "Café-2025x",
		"Café-2025x":  "Café-2025x",
		"Kx7pQ2mZr9":  "Kx7pQ2mZr9",
		"Å1abcdefgh":  "Å1abcdefgh", // the Angstrom sign is Å
	} {
		if got := service.NormalizePassword(in); got != want {
			t.Errorf("NormalizePassword(%+q) = %+q, want %+q", in, got, want)
		}
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
		if again := service.CheckPassword(p, norm.NFC.String(pw), chan_); !slices.Equal(got, again) {
			t.Errorf("CheckPassword differs between %+q and its NFC form: %v, %v", pw, got, again)
		}
		pw = norm.NFC.String(pw) // every rule reads the NFC form
		has := func(rule api.RuleID) bool { return slices.Contains(got, rule) }
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
			return !unicode.IsSpace(r) && !invisibleChar(r) && strings.ContainsRune(p.ForbiddenChars, r)
		})
		if has(api.RuleForbiddenChar) != forbidden {
			t.Errorf("forbidden_char = %v for %q", has(api.RuleForbiddenChar), pw)
		}
		hidden := strings.ContainsFunc(pw, func(r rune) bool { return !unicode.IsSpace(r) && invisibleChar(r) })
		if has(api.RuleInvisibleChar) != hidden {
			t.Errorf("invisible_char = %v for %+q", has(api.RuleInvisibleChar), pw)
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
				if unicode.IsSpace(r) || !unicode.IsGraphic(r) || strings.ContainsRune(p.ForbiddenChars, r) {
					t.Errorf("accepted %q with %U", pw, r)
				}
			}
		}
	})
}

// invisibleChar reads the invisible_char rule from Unicode's general
// categories as DESIGN.md names them.
func invisibleChar(r rune) bool {
	for _, name := range []string{"Cc", "Cf", "Co", "Cn"} { // control, format, private use, unassigned
		if unicode.Is(unicode.Categories[name], r) {
			return true
		}
	}
	return r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFF >= 0xFFFE // non-characters
}

// TestEveryRuleIsOfTheContract: the policy lists only rule ids of the
// contract, so the wizard has words for each.
func TestEveryRuleIsOfTheContract(t *testing.T) {
	for _, r := range service.DefaultConfig().Policy.Requirements() {
		if !slices.Contains(api.RuleIDs(), r.ID) {
			t.Errorf("the policy lists %q, which api.RuleIDs lacks", r.ID)
		}
	}
}
