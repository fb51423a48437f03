package service

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"casreset/api"
)

// NormalizePassword returns password in Unicode Normalization Form C. The
// same characters typed on two keyboards may arrive composed ("é", U+00E9)
// or decomposed ("e" and U+0301); every check, the history comparison and
// the hash see the NFC form, so that both are one password. ASCII, and
// nearly all that keyboards send, is NFC already: hashes stored before
// passwords were normalised still match.
func NormalizePassword(password string) string { return norm.NFC.String(password) }

// CheckPassword returns the ids of the rules that password (normalised to
// NFC first) breaks under p, in the order DESIGN.md lists them, or nil when
// it meets the policy. The account (which may be the zero value) feeds the
// identity rule.
//
// Lengths count Unicode code points. "A letter" and "a digit" are ASCII,
// as the rules on the CAS page say (A-Z, a-z, 0-9). White space is anything
// unicode.IsSpace accepts, so U+00A0 and U+3000 count. Characters that
// cannot be seen or typed (see invisible) are invisible_char: with a
// zero-width joiner, a right-to-left override or a byte order mark in it, a
// password could be set that nobody can type again.
func CheckPassword(p PolicyConfig, password string, a Account) []string {
	password = NormalizePassword(password)
	var violations []string
	n := utf8.RuneCountInString(password)
	if p.MinLength > 0 && n < p.MinLength {
		violations = append(violations, api.RuleTooShort)
	}
	if p.MaxLength > 0 && n > p.MaxLength {
		violations = append(violations, api.RuleTooLong)
	}
	var letter, digit, space, forbidden, hidden bool
	for _, r := range password {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			letter = true
		case '0' <= r && r <= '9':
			digit = true
		case unicode.IsSpace(r):
			space = true
		case invisible(r):
			hidden = true
		case strings.ContainsRune(p.ForbiddenChars, r):
			forbidden = true
		}
	}
	if !letter {
		violations = append(violations, api.RuleNeedsLetter)
	}
	if !digit {
		violations = append(violations, api.RuleNeedsDigit)
	}
	if space {
		violations = append(violations, api.RuleHasWhitespace)
	}
	if forbidden {
		violations = append(violations, api.RuleForbiddenChar)
	}
	if p.RejectCommon && IsCommonPassword(password) {
		violations = append(violations, api.RuleTooCommon)
	}
	if p.RejectIdentity && ContainsIdentity(password, a, p.IdentityMinLength) {
		violations = append(violations, api.RuleContainsIdentity)
	}
	if hidden {
		violations = append(violations, api.RuleInvisibleChar)
	}
	return violations
}

// invisible reports whether r is a code point of the invisible_char rule:
// a control (Cc) or format character (Cf: zero-width joiners, bidirectional
// controls, the byte order mark…), private-use (Co), unassigned (Cn, in the
// Unicode version of Go's tables) or a non-character (U+FDD0 to U+FDEF, and
// the last two of every plane; Cn too, named for clarity). White space is
// has_whitespace instead.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cn) ||
		r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

// API describes the policy as GET /v1/policy returns it.
func (p PolicyConfig) API() api.Policy {
	rules := []string{api.RuleTooShort, api.RuleTooLong, api.RuleNeedsLetter, api.RuleNeedsDigit, api.RuleHasWhitespace}
	if p.ForbiddenChars != "" {
		rules = append(rules, api.RuleForbiddenChar)
	}
	if p.RejectCommon {
		rules = append(rules, api.RuleTooCommon)
	}
	if p.RejectIdentity {
		rules = append(rules, api.RuleContainsIdentity)
	}
	rules = append(rules, api.RuleInvisibleChar) // always enforced
	return api.Policy{
		MinLength:      p.MinLength,
		MaxLength:      p.MaxLength,
		NeedsLetter:    true,
		NeedsDigit:     true,
		NoWhitespace:   true,
		ForbiddenChars: p.ForbiddenChars,
		History:        p.History,
		RejectCommon:   p.RejectCommon,
		RejectIdentity: p.RejectIdentity,
		Advice: api.Advice{
			MinLength:  p.AdviceMinLength,
			NeedsUpper: true,
			NeedsLower: true,
			NeedsDigit: true,
		},
		Rules: rules,
	}
}
