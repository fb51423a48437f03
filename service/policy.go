package service

import (
	"strings"

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

// passwordRule is one rule of the password policy: whether the policy
// enforces it, how the policy lists it, and how the service checks it. A
// new rule is one entry of passwordRules (and its texts in the wizard's
// translations).
type passwordRule struct {
	id api.RuleID
	// applies reports whether p enforces the rule.
	applies func(p PolicyConfig) bool
	// listed gives the rule's parameters; false leaves out of the policy's
	// list a rule that applies but has nothing to tell the person.
	listed func(p PolicyConfig) (api.Rule, bool)
	// broken checks what the password alone does not decide (the account,
	// the common passwords). It is nil for a rule that api.Rule.Check
	// decides, and for the history, which SetPassword checks against the
	// stored hashes.
	broken func(p PolicyConfig, password string, a Account) bool
	// elsewhere marks a rule that neither the password nor the account
	// decides but that a refusal may name: SetPassword checks the
	// minimum age against when the directory last set the password.
	elsewhere bool
}

// passwordRules are the rules in the order the policy lists them and
// CheckPassword reports them. invisible_char is always enforced but not
// listed: nobody types those characters, and one that was pasted is
// refused with its own words.
var passwordRules = []passwordRule{
	{
		id:      api.RuleTooShort,
		applies: func(p PolicyConfig) bool { return p.MinLength > 0 },
		listed:  func(p PolicyConfig) (api.Rule, bool) { return api.Rule{Min: p.MinLength}, true },
	},
	{
		id:      api.RuleTooLong,
		applies: func(p PolicyConfig) bool { return p.MaxLength > 0 },
		listed:  func(p PolicyConfig) (api.Rule, bool) { return api.Rule{Max: p.MaxLength}, true },
	},
	{id: api.RuleNeedsLetter, applies: always, listed: withoutParameters},
	{id: api.RuleNeedsDigit, applies: always, listed: withoutParameters},
	{
		id:      api.RuleNeedsThreeClasses,
		applies: func(p PolicyConfig) bool { return p.Complexity },
		listed:  func(PolicyConfig) (api.Rule, bool) { return api.Rule{Count: api.ComplexityClasses}, true },
	},
	{id: api.RuleHasWhitespace, applies: always, listed: withoutParameters},
	{
		id:      api.RuleForbiddenChar,
		applies: func(p PolicyConfig) bool { return p.ForbiddenChars != "" },
		listed:  func(p PolicyConfig) (api.Rule, bool) { return api.Rule{Chars: p.ForbiddenChars}, true },
	},
	{
		id:      api.RuleReused,
		applies: func(p PolicyConfig) bool { return p.History > 0 },
		listed:  func(p PolicyConfig) (api.Rule, bool) { return api.Rule{Count: p.History}, true },
	},
	{
		id:      api.RuleTooCommon,
		applies: func(p PolicyConfig) bool { return p.RejectCommon },
		listed:  withoutParameters,
		broken:  func(_ PolicyConfig, pw string, _ Account) bool { return IsCommonPassword(pw) },
	},
	{
		id:      api.RuleContainsIdentity,
		applies: func(p PolicyConfig) bool { return p.RejectIdentity },
		listed:  func(p PolicyConfig) (api.Rule, bool) { return api.Rule{Min: p.IdentityMinLength}, true },
		broken: func(p PolicyConfig, pw string, a Account) bool {
			return ContainsIdentity(pw, a, p.IdentityMinLength)
		},
	},
	{
		id:      api.RuleContainsAccountName,
		applies: func(p PolicyConfig) bool { return p.Complexity },
		listed:  func(PolicyConfig) (api.Rule, bool) { return api.Rule{Min: api.AccountNameMinPart}, true },
		broken: func(_ PolicyConfig, pw string, a Account) bool {
			v := api.Rule{ID: api.RuleContainsAccountName}.CheckFor(pw, accountNames(a))
			return v.Checked && !v.OK
		},
	},
	{
		id:        api.RuleTooSoon,
		applies:   func(p PolicyConfig) bool { return p.MinAge > 0 },
		listed:    func(PolicyConfig) (api.Rule, bool) { return api.Rule{}, false },
		elsewhere: true,
	},
	{
		id:      api.RuleInvisibleChar,
		applies: always,
		listed:  func(PolicyConfig) (api.Rule, bool) { return api.Rule{}, false },
	},
}

func always(PolicyConfig) bool                        { return true }
func withoutParameters(PolicyConfig) (api.Rule, bool) { return api.Rule{}, true }

// rule is r with its id and parameters under p.
func (r passwordRule) rule(p PolicyConfig) api.Rule {
	rule, _ := r.listed(p)
	rule.ID = r.id
	return rule
}

// checked reports whether CheckPassword checks r: the service itself, or
// api.Rule.Check from the password alone.
func (r passwordRule) checked(p PolicyConfig) bool {
	return r.applies(p) && (r.broken != nil || r.rule(p).Check("").Checked)
}

// CheckPassword returns the ids of the rules that password (normalised to
// NFC first) breaks under p, in the order of passwordRules, or nil when it
// meets the policy. The account (which may be the zero value) feeds the
// identity rule.
func CheckPassword(p PolicyConfig, password string, a Account) []api.RuleID {
	password = NormalizePassword(password)
	var violations []api.RuleID
	for _, r := range passwordRules {
		if !r.checked(p) {
			continue
		}
		var broken bool
		if r.broken != nil {
			broken = r.broken(p, password, a)
		} else {
			broken = !r.rule(p).Check(password).OK
		}
		if broken {
			violations = append(violations, r.id)
		}
	}
	return violations
}

// Requirements are the rules p enforces, with their parameters, in the
// order to show them: the policy of GET /v1/policy and of every flow.
func (p PolicyConfig) Requirements() []api.Rule {
	var out []api.Rule
	for _, r := range passwordRules {
		if !r.applies(p) {
			continue
		}
		if _, ok := r.listed(p); ok {
			out = append(out, r.rule(p))
		}
	}
	return out
}

// API describes the policy as GET /v1/policy returns it.
func (p PolicyConfig) API() api.Policy { return p.APIFor(Account{}) }

// APIFor describes the policy of account a, with the names of a that
// contains_account_name keeps out of passwords; the zero Account gives
// the policy without them.
func (p PolicyConfig) APIFor(a Account) api.Policy {
	var reportable []api.RuleID
	for _, r := range passwordRules {
		if r.checked(p) || r.elsewhere && r.applies(p) {
			reportable = append(reportable, r.id)
		}
	}
	var names []string
	if p.Complexity {
		names = accountNames(a)
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
		Rules:        reportable,
		Requirements: p.Requirements(),
		AccountNames: names,
	}
}

// accountNames are the names of a that contains_account_name keeps out of
// passwords.
func accountNames(a Account) []string { return api.AccountNameParts(a.LoginName, a.DisplayName) }

// joinRules is ids as one word for the audit log: "too_short,needs_digit".
func joinRules(ids []api.RuleID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ",")
}
