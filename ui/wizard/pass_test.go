package wizard

import (
	"context"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
)

// issuePass issues a help-desk pass for staff as an operator who saw the
// staff card, and returns it as IT Help reads it out.
func (e *env) issuePass(staff string) string {
	e.t.Helper()
	ctx := service.WithOperator(context.Background(), service.Operator{Name: "wong.it", Kind: service.LocalOperator})
	r, err := e.svc.HelpdeskIssuePass(ctx, service.Client{Addr: "127.0.0.1"}, staff, "staff card seen at the IT counter")
	if err != nil {
		e.t.Fatalf("issuing a pass: %v", err)
	}
	return r.Pass
}

// toPassPage goes through step 1 and taps step 2's link to the pass.
func (e *env) toPassPage(staff string) *passPage {
	e.t.Helper()
	s2 := e.toStep2(staff)
	tapLink(s2.havePass)
	e.settle()
	return screenAs[*passPage](e)
}

func TestAPassFromITHelpLeadsFromStep2ToStep4Once(t *testing.T) {
	e := newEnv(t)
	pass := e.issuePass(acctBoth.StaffNumber)

	p := e.toPassPage(acctBoth.StaffNumber)
	if p.step() != 2 {
		t.Errorf("the pass page is step %d, want 2", p.step())
	}
	// As a person types what they were told: lower case, a space for
	// the dash.
	e.typeIn(p.pass, strings.ToLower(strings.Replace(pass, "-", " ", 1)))
	e.enter()
	screenAs[*step4](e)
	if e.flow().Step != api.StepVerified {
		t.Errorf("the flow is at %q after the pass, want verified", e.flow().Step)
	}

	// The pass works once: a new flow cannot use it again.
	e.c.newFlow(text{})
	e.settle()
	p = e.toPassPage(acctBoth.StaffNumber)
	e.typeIn(p.pass, pass)
	e.enter()
	p = screenAs[*passPage](e)
	if got, want := p.errLbl.Text, e.c.t("pass.wrong"); got != want {
		t.Errorf("a used pass says %q, want %q", got, want)
	}
	if p.pass.Text != "" {
		t.Error("the refused pass is left in its field")
	}
}

func TestWhatIsNotAPassIsRefusedBeforeItIsSent(t *testing.T) {
	e := newEnv(t)
	p := e.toPassPage(acctBoth.StaffNumber)
	before := len(e.audit(acctBoth.StaffNumber))
	for _, typed := range []string{"", "ABCD-EFG", "ABCD-EFG0", "IOLO-1234"} {
		e.typeIn(p.pass, typed)
		e.enter()
		p = screenAs[*passPage](e)
		if got, want := p.errLbl.Text, e.c.t("pass.invalid"); got != want {
			t.Errorf("%q says %q, want %q", typed, got, want)
		}
	}
	if after := len(e.audit(acctBoth.StaffNumber)); after != before {
		t.Errorf("%d events audited for passes that were never sent", after-before)
	}
	// Back to step 2, to have a code sent after all.
	e.tap(p.back)
	screenAs[*step2](e)
}
