package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"casreset/api"
)

// Verify checks a validation code.
//
// A wrong code is counted, for the flow and for its account, and the
// counts committed even though the caller gets an error; the
// MaxWrongCodes-th wrong code of the flow, or the WrongCodesAccount-th of
// the account within WrongCodeWindow, ends the flow. Once the account has
// used up its wrong codes, every flow of it ends at its next code, right
// or wrong, uncompared: a guesser cannot get more guesses by keeping
// several flows open. An expired code is refused without counting. The
// right code moves the flow to verified and is cleared, so it verifies
// once only.
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
		default:
			if no, err = s.checkCode(tx, f, key, code, now); err != nil {
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

// detailAccountWrongCodes tells a person why no code verifies or is sent
// while the account has used up its wrong codes.
const detailAccountWrongCodes = "Too many wrong validation codes were entered for this account. No code can be sent or checked for it for now; please try again later or contact IT Help."

// checkCode compares code with the latest code of flow f, at step
// code_sent, and records the outcome in the flow: verified, or one more
// wrong code for the flow and for its account; a used-up count ends the
// flow. When the account had used up its wrong codes already (in other
// flows), the flow ends without the code being compared.
func (s *Service) checkCode(tx Tx, f Flow, key []byte, code string, now time.Time) (*refusal, error) {
	return s.checkAnswer(tx, f, now, func() bool { return codeMatches(key, f.ID, code, f.CodeHMAC) },
		"The validation code is wrong. Please check it and try again.")
}

// checkAnswer is checkCode for any answer that stands in for the code (a
// help-desk pass too): matches compares it, and wrongDetail tells a person
// whose answer is wrong. Both count alike against the flow and the
// account.
func (s *Service) checkAnswer(tx Tx, f Flow, now time.Time, matches func() bool, wrongDetail string) (*refusal, error) {
	accountLeft, _, err := s.wrongCodesLeft(tx, f.StaffNumber, now)
	if err != nil {
		return nil, err
	}
	var no *refusal
	switch {
	case accountLeft == 0:
		no = refuseWhy(api.CodeAttemptsExhausted, detailAccountWrongCodes, "flow ended, code not checked: wrong codes per account used up")
	case matches():
		f.Step = api.StepVerified
		f.CodeHMAC = nil
		return nil, tx.UpdateFlow(f)
	default:
		f.WrongCodes++
		if err := tx.AddHit(wrongCodeKey(f.StaffNumber), now); err != nil {
			return nil, err
		}
		flowLeft, accountLeft := s.cfg.MaxWrongCodes-f.WrongCodes, accountLeft-1
		switch {
		case min(flowLeft, accountLeft) > 0:
			left := min(flowLeft, accountLeft)
			no = &refusal{
				err: refuse(api.CodeCodeInvalid, wrongDetail).WithAttemptsLeft(left),
				why: fmt.Sprintf("%d attempts left", left),
			}
			return no, tx.UpdateFlow(f)
		case accountLeft == 0:
			no = refuseWhy(api.CodeAttemptsExhausted, detailAccountWrongCodes, "flow ended: wrong codes per account")
		default:
			no = refuseWhy(api.CodeAttemptsExhausted, "Too many wrong validation codes. Please start again from step 1.", "flow ended")
		}
	}
	// The flow ends here: it can no longer be used for anything.
	f.ExpiresAt = now
	f.CodeHMAC = nil
	return no, tx.UpdateFlow(f)
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
