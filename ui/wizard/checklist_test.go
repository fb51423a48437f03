package wizard

import (
	"slices"
	"strings"
	"testing"

	"casreset/api"
	"casreset/assets"
	"casreset/ui"
)

// everyRule is a policy's requirements with every rule of the contract,
// each with the parameters its texts use.
func everyRule(p *api.Policy) {
	params := map[api.RuleID]api.Rule{}
	for _, r := range p.Requirements {
		params[r.ID] = r
	}
	p.Requirements = nil
	for _, id := range api.RuleIDs() {
		r, ok := params[id]
		if !ok {
			r = api.Rule{ID: id, Min: 3, Max: 128, Count: 3, Chars: `$"\/` + "`"}
		}
		p.Requirements = append(p.Requirements, r)
	}
}

// TestEveryFailedRuleSaysTheProblem: in every language, a crossed line of
// the checklist says what is wrong ("The two passwords do not match"),
// in its own words for each rule of the contract, never the rule as
// stated, for rules broken as the person types and for rules the service
// refused.
func TestEveryFailedRuleSaysTheProblem(t *testing.T) {
	b := &policyBackend{flowPolicy: everyRule}
	e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
	s4 := e.toStep4(acctBoth.StaffNumber)
	if len(s4.policy.Requirements) != len(api.RuleIDs()) {
		t.Fatalf("the flow's policy lists %d rules, want all %d", len(s4.policy.Requirements), len(api.RuleIDs()))
	}

	for _, l := range assets.Languages() {
		e.chooseLanguage(l.Tag)
		tr := e.c.tr
		failed := func(r api.Rule) string {
			t.Helper()
			if !tr.Has(failKey(r.ID)) {
				t.Errorf("%s: rule %s has no words for its problem (%s)", l.Tag, r.ID, failKey(r.ID))
			}
			return failLine(tr, r)
		}

		// Broken as typed: too short, then a forbidden character; the
		// re-typed password differs.
		e.typeIn(s4.pw, "ab1")
		e.typeIn(s4.retype, "xy")
		short := ruleItem(t, s4, api.RuleTooShort)
		if want := failed(ruleOf(s4.policy, api.RuleTooShort)); short.State() != ui.CheckFailed || short.Text() != want {
			t.Errorf("%s: a short password's line: %v %q, want crossed %q", l.Tag, short.State(), short.Text(), want)
		}
		if want := tr.T(failKey(api.RuleMismatch)); s4.match.State() != ui.CheckFailed || s4.match.Text() != want {
			t.Errorf("%s: re-typed differently: %v %q, want crossed %q", l.Tag, s4.match.State(), s4.match.Text(), want)
		}
		if matched := tr.T("rule.match"); s4.match.Text() == matched {
			t.Errorf("%s: a crossed match line says %q", l.Tag, matched)
		}
		e.typeIn(s4.pw, goodPassword+"$")
		forbidden := ruleItem(t, s4, api.RuleForbiddenChar)
		if want := failed(ruleOf(s4.policy, api.RuleForbiddenChar)) + " " + tr.T("rule.found_char", "Char", "$"); forbidden.Text() != want {
			t.Errorf("%s: forbidden character: %q, want %q", l.Tag, forbidden.Text(), want)
		}

		// Refused by the service for every rule at once.
		e.typeIn(s4.pw, goodPassword)
		e.typeIn(s4.retype, goodPassword)
		if s4.match.State() != ui.CheckMet || s4.match.Text() != tr.T("rule.match") {
			t.Errorf("%s: the same password twice: %v %q", l.Tag, s4.match.State(), s4.match.Text())
		}
		b.refuse = api.RuleIDs()
		e.tap(s4.update)
		b.refuse = nil
		for i, r := range s4.policy.Requirements {
			item := s4.rules[i]
			stated, _ := ruleLine(tr, r)
			if want := failed(r); item.State() != ui.CheckFailed || item.Text() != want || item.Text() == stated {
				t.Errorf("%s: refused for %s: %v %q, want crossed %q", l.Tag, r.ID, item.State(), item.Text(), want)
			}
		}
	}
}

// ruleOf is the rule id of p.
func ruleOf(p api.Policy, id api.RuleID) api.Rule {
	i := slices.IndexFunc(p.Requirements, func(r api.Rule) bool { return r.ID == id })
	return p.Requirements[i]
}

// TestTheGenericLineSaysTheProblemWhenRefused: rules without words share
// one line; refused, it says that the password breaks another rule.
func TestTheGenericLineSaysTheProblemWhenRefused(t *testing.T) {
	b := &policyBackend{flowPolicy: func(p *api.Policy) { insertAfter(p, api.RuleTooLong, api.Rule{ID: "no_emoji"}) }}
	e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
	s4 := e.toStep4(acctBoth.StaffNumber)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	b.refuse = []api.RuleID{"no_emoji"}
	e.tap(s4.update)
	item := ruleItem(t, s4, "no_emoji")
	if want := "The password breaks another rule of the password policy"; item.State() != ui.CheckFailed || item.Text() != want {
		t.Errorf("the generic line refused: %v %q, want %q", item.State(), item.Text(), want)
	}
}

// TestStrengthShowsOnlyWhatItMeans: no strength for an empty field, and
// never more than "weak" while a rule fails, whether the wizard or the
// service finds it.
func TestStrengthShowsOnlyWhatItMeans(t *testing.T) {
	b := &policyBackend{flowPolicy: func(*api.Policy) {}}
	e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
	s4 := e.toStep4(acctBoth.StaffNumber)
	weak := e.c.t("step4.strength", "Level", e.c.t(strengthKey(strengthCap)))
	if s4.strength.Visible() || s4.strengthLbl.Visible() {
		t.Errorf("the strength meter shows %q before anything is typed", s4.strengthLbl.Text)
	}

	const strong = "Wq7-lantern-Orbit-93"
	e.typeIn(s4.pw, strong)
	if !s4.strength.Visible() || s4.strength.Value <= strengthCap {
		t.Fatalf("a strong password that keeps every rule: visible %v, strength %v", s4.strength.Visible(), s4.strength.Value)
	}
	for _, pw := range []string{strong + "$", strong + " x", "Wqx-lantern-Orbit-XY"} {
		e.typeIn(s4.pw, pw)
		if !s4.strength.Visible() || s4.strength.Value > strengthCap || s4.strengthLbl.Text != weak {
			t.Errorf("%q, which breaks a rule: visible %v, %q, want %q", pw, s4.strength.Visible(), s4.strengthLbl.Text, weak)
		}
	}

	e.typeIn(s4.pw, strong)
	e.typeIn(s4.retype, strong)
	b.refuse = []api.RuleID{api.RuleTooCommon}
	e.tap(s4.update)
	if s4.strength.Value > strengthCap || !strings.Contains(s4.strengthLbl.Text, e.c.t(strengthKey(strengthCap))) {
		t.Errorf("refused by the service: strength %q", s4.strengthLbl.Text)
	}

	e.typeIn(s4.pw, "")
	if s4.strength.Visible() || s4.strengthLbl.Visible() {
		t.Error("the strength meter stays after the field was emptied")
	}
}

// TestRetypedBeginningSaysNoMatchOnceLeft: a re-typed password that is the
// beginning of the new one (a character short) waits while the person
// types, but once they leave the field (Tab, a click elsewhere) or press
// Enter in it, the checklist says the problem instead of waiting for more
// with Update greyed out; typing in the field again waits again.
func TestRetypedBeginningSaysNoMatchOnceLeft(t *testing.T) {
	e := newEnv(t)
	s4 := e.toStep4(acctBoth.StaffNumber)
	mismatch := e.c.tr.T(failKey(api.RuleMismatch))
	short := goodPassword[:len(goodPassword)-1]

	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, short)
	if s4.match.State() != ui.CheckPending {
		t.Fatalf("while typing the beginning: match %v %q, want waiting", s4.match.State(), s4.match.Text())
	}
	e.win.Canvas().Focus(s4.pw) // Tab or a click elsewhere
	if s4.match.State() != ui.CheckFailed || s4.match.Text() != mismatch {
		t.Errorf("after leaving the field: match %v %q, want crossed %q", s4.match.State(), s4.match.Text(), mismatch)
	}

	e.typeIn(s4.retype, short[:3])
	if s4.match.State() != ui.CheckPending {
		t.Errorf("typing again: match %v %q, want waiting", s4.match.State(), s4.match.Text())
	}
	e.enter()
	if s4.match.State() != ui.CheckFailed || s4.match.Text() != mismatch || !s4.update.Disabled() {
		t.Errorf("after Enter: match %v %q, Update disabled %v; want crossed %q and disabled",
			s4.match.State(), s4.match.Text(), s4.update.Disabled(), mismatch)
	}
	if _, ok := e.c.current.(*step4); !ok {
		t.Errorf("Enter with a mismatch left step 4 for %T", e.c.current)
	}

	e.typeIn(s4.retype, goodPassword)
	e.win.Canvas().Focus(s4.pw)
	if s4.match.State() != ui.CheckMet || s4.update.Disabled() {
		t.Errorf("the same password, field left: match %v, Update disabled %v", s4.match.State(), s4.update.Disabled())
	}
}
