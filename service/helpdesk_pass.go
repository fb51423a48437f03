package service

import (
	"context"
	"crypto/hmac"
	"errors"
	"strings"

	"casreset/api"
)

// VerifyPass is POST /v1/resets/current/verify with {"pass"}: a help-desk
// pass (HelpdeskIssuePass) in place of the validation code, from the
// started step (no code needed) or code_sent (the code never came). The
// right pass, unexpired, verifies the flow and is used up; a wrong one
// counts as a wrong code does, for the flow and for the account
// (checkAnswer). A right pass that has expired is code_expired and not
// counted.
func (s *Service) VerifyPass(ctx context.Context, c Client, token, pass string) error {
	const op = "verify pass"
	p, ok := api.NormalizePass(pass)
	if !ok {
		no := refuseWhy(api.CodeInvalidRequest, "A pass from IT Help is 8 letters and digits, like ABCD-EFGH.", "pass format")
		return s.refused(ctx, c, op, "", no.err, no.why)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return s.public(c, op, err)
	}
	var (
		no *refusal
		ev AuditEvent
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		f, now, bad, err := s.loadFlow(tx, token)
		if err != nil {
			return err
		}
		no = bad
		var stored HelpdeskPass
		if no == nil {
			if f.Step != api.StepStarted && f.Step != api.StepCodeSent {
				no = refuseWhy(api.CodeWrongStep, wrongStepDetail(f.Step), "pass at step "+string(f.Step))
			} else if stored, err = tx.HelpdeskPass(f.StaffNumber); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		if no == nil {
			right := stored.PassHMAC != nil && hmac.Equal(passMAC(key, f.StaffNumber, p), stored.PassHMAC)
			if right && !now.Before(stored.ExpiresAt) {
				no = refuseWhy(api.CodeCodeExpired, "This pass has expired. Please ask IT Help for a new one.", "pass expired")
			} else if no, err = s.checkAnswer(tx, f, now, func() bool { return right },
				"This pass is wrong. Please check it and try again."); err != nil {
				return err
			}
			if no == nil {
				if _, err := tx.DeleteHelpdeskPass(f.StaffNumber); err != nil {
					return err
				}
			}
		}
		if no != nil {
			ev = s.refusalEvent(c, f.StaffNumber, no.err, "pass: "+no.why)
		} else {
			ev = s.event(c, EventCodeVerified, f.StaffNumber, "help-desk pass verified (issued "+operatorKeyLabel(stored.Operator)+", reference "+stored.Reference+")")
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return s.public(c, op, err)
	}
	s.notify(ev)
	if no != nil {
		return s.public(c, op, no.err)
	}
	return nil
}

// operatorKeyLabel names the operator of a HelpdeskOperatorKey as the
// audit does.
func operatorKeyLabel(key string) string {
	kind, name, ok := strings.Cut(key, ":")
	if !ok {
		return "by " + key
	}
	return operatorLabel(Operator{Name: name, Kind: OperatorKind(kind)})
}
