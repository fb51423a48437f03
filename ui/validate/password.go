package validate

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"casreset/api"
	"github.com/trustelem/zxcvbn"
)

// ErrMismatch is returned when the re-typed password differs.
var ErrMismatch = errors.New("the passwords differ")

// Violation is a broken password rule. Found names the offending
// character of a character rule.
type Violation struct {
	Rule  api.RuleID
	Found string
}

func (v *Violation) Error() string {
	if v.Found != "" {
		return fmt.Sprintf("password rule %s broken by %q", v.Rule, v.Found)
	}
	return fmt.Sprintf("password rule %s broken", v.Rule)
}

// Check is one rule of a policy checked against one password.
type Check struct {
	Rule api.Rule
	api.Verdict
}

// PasswordChecks checks pw against each rule p lists, in its order, with
// the account's names p carries (a verified flow's policy). A rule that
// neither the password nor those names decide, or that comes from a newer
// service, is not Checked: the service checks it when the password is sent.
func PasswordChecks(p api.Policy, pw string) []Check {
	out := make([]Check, len(p.Requirements))
	for i, r := range p.Requirements {
		out[i] = Check{Rule: r, Verdict: r.CheckFor(pw, p.AccountNames)}
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
			if c.Checked && !c.OK {
				return &Violation{Rule: c.Rule.ID, Found: c.Found}
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
