package service

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"casreset/api"
)

// CheckPassword returns the ids of the rules that password breaks under p,
// in the order DESIGN.md lists them, or nil when it meets the policy. The
// account (which may be the zero value) feeds the identity rule.
//
// Lengths count Unicode code points. "A letter" and "a digit" are ASCII,
// as the rules on the CAS page say (A-Z, a-z, 0-9). White space is anything
// unicode.IsSpace accepts, so U+00A0 and U+3000 count. Control characters
// are reported as forbidden_char: they cannot be typed at the CAS login page
// and some directories mishandle them.
func CheckPassword(p PolicyConfig, password string, a Account) []string {
	var violations []string
	n := utf8.RuneCountInString(password)
	if p.MinLength > 0 && n < p.MinLength {
		violations = append(violations, api.RuleTooShort)
	}
	if p.MaxLength > 0 && n > p.MaxLength {
		violations = append(violations, api.RuleTooLong)
	}
	var letter, digit, space, forbidden bool
	for _, r := range password {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			letter = true
		case '0' <= r && r <= '9':
			digit = true
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r), strings.ContainsRune(p.ForbiddenChars, r):
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
	return violations
}

// API describes the policy as GET /v1/policy returns it.
func (p PolicyConfig) API() api.Policy {
	// forbidden_char is always enforced: control characters are forbidden
	// even when ForbiddenChars is empty.
	rules := []string{api.RuleTooShort, api.RuleTooLong, api.RuleNeedsLetter, api.RuleNeedsDigit, api.RuleHasWhitespace, api.RuleForbiddenChar}
	if p.RejectCommon {
		rules = append(rules, api.RuleTooCommon)
	}
	if p.RejectIdentity {
		rules = append(rules, api.RuleContainsIdentity)
	}
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
