package service

import (
	"context"
	"fmt"
	"strings"

	"casreset/api"
)

// Verify checks a validation code.
//
// A wrong code is counted and the count committed even though the caller
// gets an error; the MaxWrongCodes-th wrong code ends the flow. An expired
// code is refused without counting. The right code moves the flow to
// verified and is cleared, so it verifies once only.
func (s *Service) Verify(ctx context.Context, c Client, token, code string) error {
	const op = "verify"
	code = strings.TrimSpace(code)
	if !isDigits(code, s.cfg.CodeLength) {
		no := refuseWhy(api.CodeInvalidRequest, fmt.Sprintf("The validation code is %d digits.", s.cfg.CodeLength), "code format")
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
		switch {
		case no != nil:
		case f.Step != api.StepCodeSent || f.CodeHMAC == nil:
			no = refuseWhy(api.CodeWrongStep, wrongStepDetail(f.Step), "verify at step "+string(f.Step))
		case !now.Before(f.CodeExpiresAt):
			no = refuseWhy(api.CodeCodeExpired, `The validation code has expired. Please click "reload" to get a new one.`, "")
		case !codeMatches(key, f.ID, code, f.CodeHMAC):
			f.WrongCodes++
			left := s.cfg.MaxWrongCodes - f.WrongCodes
			if left > 0 {
				no = &refusal{
					err: refuse(api.CodeCodeInvalid, "The validation code is wrong. Please check it and try again.").WithAttemptsLeft(left),
					why: fmt.Sprintf("%d attempts left", left),
				}
			} else {
				// The flow ends here: it can no longer be used for anything.
				f.ExpiresAt = now
				f.CodeHMAC = nil
				no = refuseWhy(api.CodeAttemptsExhausted, "Too many wrong validation codes. Please start again from step 1.", "flow ended")
			}
			if err := tx.UpdateFlow(f); err != nil {
				return err
			}
		default:
			f.Step = api.StepVerified
			f.CodeHMAC = nil
			if err := tx.UpdateFlow(f); err != nil {
				return err
			}
		}
		if no != nil {
			ev = s.refusalEvent(c, f.StaffNumber, no.err, no.why)
		} else {
			ev = s.event(c, EventCodeVerified, f.StaffNumber, "code verified")
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

// wrongStepDetail tells the user what to do instead.
func wrongStepDetail(step api.Step) string {
	switch step {
	case api.StepStarted:
		return "No validation code has been sent yet. Please choose how to receive it."
	case api.StepVerified, StepChanging:
		return "The code has already been verified; please set your new password."
	}
	return "This step is not available now. Please start again."
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
