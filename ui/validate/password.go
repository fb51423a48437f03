package validate

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"github.com/trustelem/zxcvbn"
)

// ErrMismatch is returned when the re-typed password differs.
var ErrMismatch = errors.New("the passwords differ")

// Violation is a broken password rule. Found names the offending character
// for api.RuleHasWhitespace and api.RuleForbiddenChar.
type Violation struct {
	Rule  string // an api.Rule* id
	Found string
}

func (v *Violation) Error() string {
	if v.Found != "" {
		return fmt.Sprintf("password rule %s broken by %q", v.Rule, v.Found)
	}
	return "password rule " + v.Rule + " broken"
}

// Check is the outcome of one rule for one password.
type Check struct {
	Rule  string // an api.Rule* id
	OK    bool
	Found string // the first offending character, for the character rules
}

// PasswordChecks runs every rule of p that this computer can check (the
// service alone knows the history and the list of common passwords), in
// the order the checklist shows them. Lengths count Unicode code points,
// as the service does.
func PasswordChecks(p api.Policy, pw string) []Check {
	var out []Check
	n := utf8.RuneCountInString(pw)
	if p.MinLength > 0 {
		out = append(out, Check{Rule: api.RuleTooShort, OK: n >= p.MinLength})
	}
	if p.MaxLength > 0 {
		out = append(out, Check{Rule: api.RuleTooLong, OK: n <= p.MaxLength})
	}
	if p.NeedsLetter {
		out = append(out, Check{Rule: api.RuleNeedsLetter, OK: strings.IndexFunc(pw, isASCIILetter) >= 0})
	}
	if p.NeedsDigit {
		out = append(out, Check{Rule: api.RuleNeedsDigit, OK: strings.IndexFunc(pw, isASCIIDigit) >= 0})
	}
	if p.NoWhitespace {
		c := Check{Rule: api.RuleHasWhitespace, OK: true}
		if i := strings.IndexFunc(pw, unicode.IsSpace); i >= 0 {
			r, _ := utf8.DecodeRuneInString(pw[i:])
			c.OK, c.Found = false, string(r)
		}
		out = append(out, c)
	}
	if p.ForbiddenChars != "" {
		c := Check{Rule: api.RuleForbiddenChar, OK: true}
		if i := strings.IndexAny(pw, p.ForbiddenChars); i >= 0 {
			r, _ := utf8.DecodeRuneInString(pw[i:])
			c.OK, c.Found = false, string(r)
		}
		out = append(out, c)
	}
	return out
}

// Password returns a validator that fails with a *Violation for the first
// rule of p that pw breaks, or ErrEmpty.
func Password(p api.Policy) func(string) error {
	return func(pw string) error {
		if pw == "" {
			return ErrEmpty
		}
		for _, c := range PasswordChecks(p, pw) {
			if !c.OK {
				return &Violation{Rule: c.Rule, Found: c.Found}
			}
		}
		return nil
	}
}

// Match returns a validator for the re-typed password: it must equal what
// first returns at the time of the check.
func Match(first func() string) func(string) error {
	return func(s string) error {
		if s == "" {
			return ErrEmpty
		}
		if s != first() {
			return ErrMismatch
		}
		return nil
	}
}

// AdviceMet reports whether pw follows the recommendation of p (not a
// requirement): its length and its mix of upper case, lower case and digits.
func AdviceMet(a api.Advice, pw string) bool {
	if utf8.RuneCountInString(pw) < a.MinLength {
		return false
	}
	if a.NeedsUpper && strings.IndexFunc(pw, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return false
	}
	if a.NeedsLower && strings.IndexFunc(pw, func(r rune) bool { return r >= 'a' && r <= 'z' }) < 0 {
		return false
	}
	if a.NeedsDigit && strings.IndexFunc(pw, isASCIIDigit) < 0 {
		return false
	}
	return true
}

// strengthPrefix bounds the work of the estimator, whose matching grows
// with the square of the length; a longer password is strong regardless.
const strengthPrefix = 64

// Strength estimates how hard pw is to guess, from 0 (trivial) to 4
// (strong), counting words of userInputs (the staff number) as known.
func Strength(pw string, userInputs ...string) int {
	if pw == "" {
		return 0
	}
	if utf8.RuneCountInString(pw) > strengthPrefix {
		pw = string([]rune(pw)[:strengthPrefix])
	}
	return zxcvbn.PasswordStrength(pw, userInputs).Score
}
