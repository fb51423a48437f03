package wizard

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"casreset/api"
	"casreset/service"
	"casreset/ui"
	"casreset/ui/shell"
)

// checklist is the text of each line step 4's checklist shows, in order.
func checklist(s *step4) []string {
	var out []string
	for _, item := range s.rules {
		if item.Visible() {
			out = append(out, item.Text())
		}
	}
	return out
}

// ruleItem is the checklist line of rule id.
func ruleItem(t *testing.T, s *step4, id api.RuleID) *ui.CheckItem {
	t.Helper()
	for i, r := range s.policy.Requirements {
		if r.ID == id {
			return s.rules[i]
		}
	}
	t.Fatalf("the checklist has no line for %s", id)
	return nil
}

// policyBackend is the real service with the policy its flows carry
// changed, as a newer service's (or the directory's) would be, and the
// password refused for the rules in refuse.
type policyBackend struct {
	Backend
	flowPolicy func(p *api.Policy) // changes the flow's policy; nil leaves the flow without one
	refuse     []api.RuleID
}

func (b *policyBackend) Flow(ctx context.Context, token string) (api.Flow, error) {
	f, err := b.Backend.Flow(ctx, token)
	if err != nil || f.Policy == nil {
		return f, err
	}
	if b.flowPolicy == nil {
		f.Policy = nil
		return f, nil
	}
	b.flowPolicy(f.Policy)
	return f, nil
}

func (b *policyBackend) SetPassword(ctx context.Context, token string, req api.PasswordRequest) (api.PasswordResponse, error) {
	if len(b.refuse) > 0 {
		return api.PasswordResponse{}, api.Errorf(api.CodePasswordPolicy, "refused").WithViolations(b.refuse...)
	}
	return b.Backend.SetPassword(ctx, token, req)
}

// insertAfter puts r into p after the rule after.
func insertAfter(p *api.Policy, after api.RuleID, rules ...api.Rule) {
	i := slices.IndexFunc(p.Requirements, func(r api.Rule) bool { return r.ID == after })
	p.Requirements = slices.Insert(p.Requirements, i+1, rules...)
}

// TestANewRuleNeedsOnlyItsTranslations: contains_account_name has texts in
// the translations and no code in the wizard. Listed by the flow's policy,
// it shows its translated line with its parameter, where the policy puts
// it, in both languages; refused, it is crossed and its refusal shown.
func TestANewRuleNeedsOnlyItsTranslations(t *testing.T) {
	for _, name := range []string{"contains_account_name", "ContainsAccountName"} {
		if strings.Contains(sourceCode(t), name) {
			t.Fatalf("the wizard's code names %s: this test needs a rule it has no code for", name)
		}
	}
	b := &policyBackend{flowPolicy: func(p *api.Policy) {
		insertAfter(p, api.RuleNeedsDigit, api.Rule{ID: api.RuleContainsAccountName, Min: 3})
	}}
	e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
	s4 := e.toStep4(acctBoth.StaffNumber)

	lines := checklist(s4)
	want := `Does not contain your account name, or a part of your name of 3 or more characters (checked when you click "Update")`
	if len(lines) != 10 || lines[4] != want {
		t.Fatalf("the checklist reads\n%s\nwant the new rule's line 5th:\n%s", strings.Join(lines, "\n"), want)
	}
	item := ruleItem(t, s4, api.RuleContainsAccountName)
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	if item.State() != ui.CheckInfo || s4.update.Disabled() {
		t.Errorf("the rule the wizard cannot check: state %v, Update disabled %v", item.State(), s4.update.Disabled())
	}

	b.refuse = []api.RuleID{api.RuleContainsAccountName}
	e.tap(s4.update)
	if item.State() != ui.CheckFailed || !strings.HasPrefix(s4.serverErr.Text, "The password must not contain your account name") {
		t.Errorf("refused for it: state %v, message %q", item.State(), s4.serverErr.Text)
	}

	if want := "The password contains your account name, or a part of your name of 3 or more characters"; item.Text() != want {
		t.Errorf("refused: %q, want the problem %q", item.Text(), want)
	}

	e.chooseLanguage(langChinese)
	if want := "密碼包含你的帳戶名稱，或你姓名中3個字或以上的部分"; item.Text() != want {
		t.Errorf("in Chinese: %q, want %q", item.Text(), want)
	}
	if !strings.HasPrefix(s4.serverErr.Text, "密碼不可包含你的帳戶名稱") {
		t.Errorf("the refusal in Chinese: %q", s4.serverErr.Text)
	}
}

// TestRulesOfANewerServiceShowAsOneGenericLine: rules no translation
// names are neither checked here nor left out; they share one line, which
// a refusal for any of them crosses.
func TestRulesOfANewerServiceShowAsOneGenericLine(t *testing.T) {
	b := &policyBackend{flowPolicy: func(p *api.Policy) {
		insertAfter(p, api.RuleTooLong, api.Rule{ID: "no_emoji"}, api.Rule{ID: "no_keyboard_walks", Min: 4})
	}}
	e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
	s4 := e.toStep4(acctBoth.StaffNumber)

	generic := `Meets the other rules of the password policy (checked when you click "Update")`
	lines := checklist(s4)
	if len(lines) != 10 || lines[2] != generic || strings.Count(strings.Join(lines, "\n"), generic) != 1 {
		t.Fatalf("the checklist reads\n%s\nwant one generic line 3rd", strings.Join(lines, "\n"))
	}
	e.typeIn(s4.pw, goodPassword)
	e.typeIn(s4.retype, goodPassword)
	if s4.update.Disabled() {
		t.Error("Update stays disabled for rules the wizard cannot check")
	}
	b.refuse = []api.RuleID{"no_keyboard_walks"}
	e.tap(s4.update)
	if ruleItem(t, s4, "no_emoji").State() != ui.CheckFailed {
		t.Error("the generic line is not crossed after a refusal for one of its rules")
	}
	if want := "The new password does not meet the rules shown. Please choose another."; s4.serverErr.Text != want {
		t.Errorf("refusal for a rule without words: %q, want %q", s4.serverErr.Text, want)
	}
}

// TestStep4PrefersTheFlowsPolicy: the flow's own policy (the account's,
// DESIGN v1) wins over the service's global one; a service whose flows
// carry none gives the global one.
func TestStep4PrefersTheFlowsPolicy(t *testing.T) {
	t.Run("the flow's", func(t *testing.T) {
		b := &policyBackend{flowPolicy: func(p *api.Policy) { p.Requirements[0].Min = 14 }}
		e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }))
		s4 := e.toStep4(acctBoth.StaffNumber)
		if got := ruleItem(t, s4, api.RuleTooShort).Text(); got != "Has to be at least 14 characters long" {
			t.Errorf("length rule %q, want the flow's 14", got)
		}
	})
	t.Run("none in the flow", func(t *testing.T) {
		b := &policyBackend{}
		e := newEnv(t, withBackend(func(real Backend) Backend { b.Backend = real; return b }),
			withConfig(func(c *service.Config) { c.Policy.MinLength = 12 }))
		s4 := e.toStep4(acctBoth.StaffNumber)
		if got := ruleItem(t, s4, api.RuleTooShort).Text(); got != "Has to be at least 12 characters long" {
			t.Errorf("length rule %q, want the global 12", got)
		}
	})
}

// TestHelpListsThePolicysRules: the help page's password rules are the
// service's, as the checklist names them, from step 1 on.
func TestHelpListsThePolicysRules(t *testing.T) {
	e := newEnv(t, withConfig(func(c *service.Config) {
		c.Policy.MinLength, c.Policy.History, c.Policy.AdviceMinLength = 12, 5, 16
	}))
	e.c.showHelp()
	e.settle()
	text := richText(screenAs[*helpPage](e).text)
	for _, want := range []string{
		"Your new password must meet these rules:",
		"Has to be at least 12 characters long",
		`Does not contain either of these characters, $ " \ / ` + "`",
		"Password must NOT be repeated for at least 5 cycles of change",
		"Does not contain your staff number or name",
		"We recommend at least 16 characters",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the help page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "at least 10 characters") || strings.Contains(text, "last 3") {
		t.Error("the help page still gives the default rules")
	}
}

// TestHelpWithoutAPolicyLeavesTheRulesToTheChecklist: when the policy
// cannot be fetched, the help page lists no rules rather than wrong ones.
func TestHelpWithoutAPolicyLeavesTheRulesToTheChecklist(t *testing.T) {
	tr := shell.NewTranslator(langEnglish, slog.New(slog.DiscardHandler))
	md := helpText(tr, shell.DefaultSettings(), api.Policy{})
	if strings.Contains(md, "must meet these rules") || strings.Contains(md, "We recommend") || strings.Contains(md, "{{") {
		t.Errorf("help without a policy:\n%s", md)
	}
}

// richText is the text a RichText shows, its lists' items included.
func richText(r *widget.RichText) string {
	var b strings.Builder
	for _, s := range r.Segments {
		b.WriteString(segmentText(s))
		b.WriteString("\n")
	}
	return b.String()
}

func segmentText(s widget.RichTextSegment) string {
	switch s := s.(type) {
	case *widget.ListSegment:
		var items []string
		for _, item := range s.Items {
			items = append(items, segmentText(item))
		}
		return strings.Join(items, "\n")
	case *widget.ParagraphSegment:
		var parts []string
		for _, t := range s.Texts {
			parts = append(parts, segmentText(t))
		}
		return strings.Join(parts, "")
	}
	return s.Textual()
}
