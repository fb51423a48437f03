package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"casreset/api"
	"casreset/service"
)

// issuePass has a local operator issue a pass for staff, as the help desk
// does once the staff card was seen.
func (h *harness) issuePass(staff string) string {
	h.t.Helper()
	ctx := service.WithOperator(context.Background(), service.Operator{Name: "wong.it", Kind: service.LocalOperator})
	p, err := h.svc.HelpdeskIssuePass(ctx, service.Client{Addr: "10.1.2.3", Reference: "REFPASS"}, staff, "staff card seen")
	if err != nil {
		h.t.Fatalf("HelpdeskIssuePass: %v", err)
	}
	return p.Pass
}

func verifyPassReq(token string, body any) req {
	return req{method: "POST", path: "/v1/resets/current/verify", token: token, body: body}
}

// TestVerifyTakesAPassInPlaceOfTheCode: {"pass"} from the started step,
// once; both members at once, or a pass of the wrong shape, are 400.
func TestVerifyTakesAPassInPlaceOfTheCode(t *testing.T) {
	h := newHarness(t)
	pass := h.issuePass(acctBoth.StaffNumber)
	token := h.start(acctBoth.StaffNumber).ResetToken

	resp := h.do(verifyPassReq(token, `{"code":"123456","pass":"`+pass+`"}`))
	problem(t, resp, api.CodeInvalidRequest)
	resp = h.do(verifyPassReq(token, `{"pass":"ABCD-EFG0"}`))
	problem(t, resp, api.CodeInvalidRequest)

	var out api.VerifyResponse
	h.ok(verifyPassReq(token, api.VerifyRequest{Pass: strings.ToLower(strings.ReplaceAll(pass, "-", ""))}), http.StatusOK, &out)
	if !out.Verified {
		t.Errorf("answer %+v", out)
	}
	var changed api.PasswordResponse
	h.ok(req{method: "PUT", path: "/v1/resets/current/password", token: token, body: api.PasswordRequest{NewPassword: goodPassword}}, http.StatusOK, &changed)

	again := h.start(acctBoth.StaffNumber).ResetToken
	p := problem(t, h.do(verifyPassReq(again, api.VerifyRequest{Pass: pass})), api.CodeCodeInvalid)
	if p.AttemptsLeft == nil || *p.AttemptsLeft != 4 {
		t.Errorf("attempts_left %v after a used pass, want 4", p.AttemptsLeft)
	}
	if strings.Contains(h.logBuf.String(), pass) || strings.Contains(h.logBuf.String(), strings.ReplaceAll(pass, "-", "")) {
		t.Error("the log holds the pass")
	}
}
