package api

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// RuleID names a password rule: the policy lists its rules by id, and a
// password_policy error names the ones a password broke (Violations).
type RuleID string

// The rules of DESIGN.md. A service may enforce only some of them; the
// policy it answers lists those.
const (
	RuleTooShort            RuleID = "too_short"
	RuleTooLong             RuleID = "too_long"
	RuleNeedsLetter         RuleID = "needs_letter"
	RuleNeedsDigit          RuleID = "needs_digit"
	RuleNeedsThreeClasses   RuleID = "needs_three_classes" // AD complexity
	RuleHasWhitespace       RuleID = "has_whitespace"
	RuleForbiddenChar       RuleID = "forbidden_char"
	RuleInvisibleChar       RuleID = "invisible_char"
	RuleTooCommon           RuleID = "too_common"
	RuleContainsIdentity    RuleID = "contains_identity"
	RuleContainsAccountName RuleID = "contains_account_name" // AD complexity
	// RuleTooSoon is the directory's minimum password age: the password
	// was set too recently to be changed again. It is a refusal of the
	// change, not a property of the password, so no policy lists it
	// among its Requirements; Violations may name it.
	RuleTooSoon RuleID = "too_soon"
	// RuleReused is the password history. The service refuses it with
	// CodePasswordReused rather than in Violations.
	RuleReused RuleID = "reused"
	// RuleMismatch is the re-typed password differing: the wizard's own
	// check, never in a policy.
	RuleMismatch RuleID = "mismatch"
)

// RuleIDs lists every rule id that a policy may list (RuleMismatch, the
// wizard's own check, is not one).
func RuleIDs() []RuleID {
	return []RuleID{
		RuleTooShort, RuleTooLong, RuleNeedsLetter, RuleNeedsDigit, RuleNeedsThreeClasses,
		RuleHasWhitespace, RuleForbiddenChar, RuleInvisibleChar, RuleReused,
		RuleTooCommon, RuleContainsIdentity, RuleContainsAccountName, RuleTooSoon,
	}
}

// Rule is one rule of a policy with its parameters. Which parameters a rule
// has depends on its id; the others are zero and left out.
type Rule struct {
	ID RuleID `json:"id"`
	// Min is the fewest characters (too_short), or the shortest part of a
	// name that counts (contains_identity, contains_account_name).
	Min int `json:"min,omitempty"`
	// Max is the most characters (too_long).
	Max int `json:"max,omitempty"`
	// Count is how many earlier passwords a new one must differ from
	// (reused), how many classes of characters it needs
	// (needs_three_classes), or the days a password must be kept before
	// it is changed again (too_soon).
	Count int `json:"count,omitempty"`
	// Chars are the forbidden characters (forbidden_char).
	Chars string `json:"chars,omitempty"`
}

// Verdict is a password checked against one rule.
type Verdict struct {
	// Checked is false for a rule that the password alone does not
	// decide (the history, the common passwords, the account's name) or
	// that this version of the contract does not know: the service alone
	// checks those.
	Checked bool
	OK      bool
	// Found is the first character that breaks a character rule.
	Found string
}

// Check checks password against r. The service and the wizard both check
// with it, so that what ticks as the person types is what the service
// accepts. contains_account_name is not Checked by it: see CheckFor.
func (r Rule) Check(password string) Verdict { return r.CheckFor(password, nil) }

// CheckFor is Check for the account whose names (AccountNameParts) are
// accountNames: contains_account_name needs them, and is not Checked
// without any.
func (r Rule) CheckFor(password string, accountNames []string) Verdict {
	if r.ID == RuleContainsAccountName {
		if len(accountNames) == 0 {
			return Verdict{}
		}
		return Verdict{Checked: true, OK: !containsAny(password, accountNames)}
	}
	check, ok := passwordChecks[r.ID]
	if !ok {
		return Verdict{}
	}
	found, broken := check(r, password)
	return Verdict{Checked: true, OK: !broken, Found: found}
}

// passwordChecks are the rules that the password alone decides: whether
// it breaks the rule and, for a character rule, the first character that
// does. Lengths count Unicode code points. "A letter" and "a digit" are
// ASCII, as the rules on the CAS page say (A-Z, a-z, 0-9). White space is
// anything unicode.IsSpace accepts, so U+00A0 and U+3000 count, and is
// has_whitespace's alone. Characters that cannot be seen or typed (see
// invisible) are invisible_char: with a zero-width joiner, a right-to-left
// override or a byte order mark in it, a password could be set that nobody
// can type again.
var passwordChecks = map[RuleID]func(r Rule, password string) (found string, broken bool){
	RuleTooShort: func(r Rule, pw string) (string, bool) { return "", utf8.RuneCountInString(pw) < r.Min },
	RuleTooLong:  func(r Rule, pw string) (string, bool) { return "", utf8.RuneCountInString(pw) > r.Max },
	RuleNeedsLetter: func(_ Rule, pw string) (string, bool) {
		return "", !strings.ContainsFunc(pw, func(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' })
	},
	RuleNeedsDigit: func(_ Rule, pw string) (string, bool) {
		return "", !strings.ContainsFunc(pw, func(c rune) bool { return '0' <= c && c <= '9' })
	},
	RuleHasWhitespace: func(_ Rule, pw string) (string, bool) { return first(pw, unicode.IsSpace) },
	RuleForbiddenChar: func(r Rule, pw string) (string, bool) {
		return first(pw, func(c rune) bool {
			return !unicode.IsSpace(c) && !invisible(c) && strings.ContainsRune(r.Chars, c)
		})
	},
	RuleInvisibleChar: func(_ Rule, pw string) (string, bool) {
		return first(pw, func(c rune) bool { return !unicode.IsSpace(c) && invisible(c) })
	},
	RuleNeedsThreeClasses: func(r Rule, pw string) (string, bool) { return "", characterClasses(pw) < r.Count },
}

// The classes of characters of AD's complexity rule, as Windows documents
// it: upper case letters (of any script that has case: A-Z, É, Ω, Д),
// lower case letters, the digits 0-9, the symbols of symbolChars, and
// letters without case (Chinese, Japanese…). Anything else (a space, €,
// a digit of another script) counts in no class: Windows does not count
// it, so neither may a check that promises what Windows accepts. Samba
// counts every non-ASCII character without case as the last class, which
// this check never contradicts.
const symbolChars = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"

// ComplexityClasses is how many classes of characters needs_three_classes
// asks for: three of the five.
const ComplexityClasses = 3

// characterClasses counts the classes of AD's complexity rule that pw
// has characters of.
func characterClasses(pw string) int {
	var upper, lower, digit, symbol, other bool
	for _, c := range pw {
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case c < utf8.RuneSelf && strings.ContainsRune(symbolChars, c):
			symbol = true
		case unicode.IsUpper(c):
			upper = true
		case unicode.IsLower(c):
			lower = true
		case unicode.IsLetter(c):
			other = true
		}
	}
	n := 0
	for _, has := range []bool{upper, lower, digit, symbol, other} {
		if has {
			n++
		}
	}
	return n
}

// AccountNameMinPart is the shortest name, in characters, that
// contains_account_name keeps out of passwords: Windows skips shorter ones.
const AccountNameMinPart = 3

// accountNameSeparators split a display name into the parts that
// contains_account_name checks, as Windows does: comma, full stop, hyphen,
// underscore, number sign, tab and space.
const accountNameSeparators = ",.-_#\t "

// AccountNameParts are the names contains_account_name keeps out of
// passwords, as Windows's complexity rule reads them: the account name
// (sAMAccountName) whole, and each part of the display name split at
// accountNameSeparators, each of at least AccountNameMinPart characters.
// "CHAN, Tai-man Peter" with the account name "tmchan" gives "tmchan",
// "CHAN", "Tai", "man" and "Peter". Names are NFC, as passwords are.
func AccountNameParts(accountName, displayName string) []string {
	var parts []string
	add := func(name string) {
		name = norm.NFC.String(strings.TrimSpace(name))
		if utf8.RuneCountInString(name) >= AccountNameMinPart && !slices.Contains(parts, name) {
			parts = append(parts, name)
		}
	}
	add(accountName)
	for _, part := range strings.FieldsFunc(displayName, func(c rune) bool {
		return strings.ContainsRune(accountNameSeparators, c)
	}) {
		add(part)
	}
	return parts
}

// containsAny reports whether pw contains any of names, ignoring case.
func containsAny(pw string, names []string) bool {
	lower := strings.ToLower(pw)
	for _, name := range names {
		if name != "" && strings.Contains(lower, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// invisible reports whether r is a code point of the invisible_char rule:
// a control (Cc) or format character (Cf: zero-width joiners, bidirectional
// controls, the byte order mark…), private-use (Co), unassigned (Cn, in the
// Unicode version of Go's tables) or a non-character (U+FDD0 to U+FDEF, and
// the last two of every plane; Cn too, named for clarity).
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cn) ||
		r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

// first is the first character of s for which f holds.
func first(s string, f func(rune) bool) (string, bool) {
	i := strings.IndexFunc(s, f)
	if i < 0 {
		return "", false
	}
	c, _ := utf8.DecodeRuneInString(s[i:])
	return string(c), true
}

// Policy is the password policy as GET /v1/policy returns it, and as
// GET /v1/resets/current carries the flow's own.
//
// Requirements is the policy: its rules in the order to show them. The
// members before it describe the same rules in the shape of the first
// version of the contract, kept for the clients written against it.
type Policy struct {
	MinLength      int      `json:"min_length"`
	MaxLength      int      `json:"max_length"`
	NeedsLetter    bool     `json:"needs_letter"`
	NeedsDigit     bool     `json:"needs_digit"`
	NoWhitespace   bool     `json:"no_whitespace"`
	ForbiddenChars string   `json:"forbidden_chars"`
	History        int      `json:"history"`
	RejectCommon   bool     `json:"reject_common"`
	RejectIdentity bool     `json:"reject_identity"`
	Advice         Advice   `json:"advice"`
	Rules          []RuleID `json:"rules"` // the ids that Violations may name
	Requirements   []Rule   `json:"requirements"`
	// AccountNames are the names of the flow's account that
	// contains_account_name keeps out of passwords (AccountNameParts),
	// for checking it as the person types (Rule.CheckFor). Only the
	// policy of a verified flow carries them: a name is not for whoever
	// merely knows a staff number.
	AccountNames []string `json:"account_names,omitempty"`
}

// Rule returns the rule id of p, if p lists it.
func (p Policy) Rule(id RuleID) (Rule, bool) {
	for _, r := range p.Requirements {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Advice is the recommendation shown but not enforced.
type Advice struct {
	MinLength  int  `json:"min_length"`
	NeedsUpper bool `json:"needs_upper"`
	NeedsLower bool `json:"needs_lower"`
	NeedsDigit bool `json:"needs_digit"`
}
