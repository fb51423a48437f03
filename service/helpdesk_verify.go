package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"casreset/api"
)

// HelpdeskStartVerification is POST
// /v1/helpdesk/accounts/{staff_number}/verifications: a code of
// Config.CodeLength digits to the account's own contact by channel, for
// the caller to read back to this operator within VerificationCodeTTL. It
// goes through the delivery outbox as validation codes do. A new code
// replaces the operator's previous one for the account, and a verified
// caller is no longer verified; codes to one account by one operator are
// Config.ResendCooldown apart.
func (s *Service) HelpdeskStartVerification(ctx context.Context, c Client, staffNumber string, channel api.Channel) (api.VerificationResponse, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk verification", true, staffNumber)
	if err != nil {
		return api.VerificationResponse{}, err
	}
	if !channel.Valid() {
		return api.VerificationResponse{}, h.refused(ctx, refuseWhy(api.CodeInvalidRequest, `The channel must be "sms" or "email".`, "channel"))
	}
	a, err := h.actionable(ctx)
	if err != nil {
		return api.VerificationResponse{}, err
	}
	to := destination(a, channel)
	if to == "" {
		return api.VerificationResponse{}, h.refused(ctx, refuseWhy(api.CodeChannelUnavailable, "This account has no registered destination for this channel. Please choose the other one.", string(channel)))
	}
	code, err := RandomDigits(s.cfg.CodeLength)
	if err != nil {
		return api.VerificationResponse{}, h.fail(err)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return api.VerificationResponse{}, h.fail(err)
	}
	opKey := HelpdeskOperatorKey(h.op)
	var (
		out api.VerificationResponse
		no  *refusal
		ev  AuditEvent
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		old, err := tx.CallerVerification(opKey, h.staff)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			if next := old.CodeSentAt.Add(s.cfg.ResendCooldown); now.Before(next) {
				e := refuse(api.CodeRateLimited, "Please wait a moment before sending another code.").WithRetryAfter(retrySeconds(next.Sub(now)))
				no = rateLimited(e, "verification cool-down, "+operatorLabel(h.op))
				ev = s.refusalEvent(c, h.staff, no.err, no.why)
				return tx.InsertAudit(ev)
			}
			if err := supersede(tx, old.MessageID); err != nil {
				return err
			}
		}
		lang, err := tx.AccountLanguage(h.staff)
		if err != nil {
			return err
		}
		expires := now.Add(VerificationCodeTTL)
		msgID, err := tx.InsertMessage(callerCodeMessage(c, a, channel, to, code, lang, now, expires))
		if err != nil {
			return err
		}
		v := CallerVerification{
			Operator:      opKey,
			StaffNumber:   h.staff,
			Channel:       string(channel),
			CodeHMAC:      codeMAC(key, verificationID(opKey, h.staff), code),
			CodeExpiresAt: expires,
			CodeSentAt:    now,
			ExpiresAt:     expires,
			MessageID:     msgID,
		}
		if err := tx.PutCallerVerification(v); err != nil {
			return err
		}
		out = api.VerificationResponse{
			Channel:       channel,
			Destination:   maskDestination(channel, to),
			CodeExpiresAt: expires.UTC(),
			ResendAfter:   now.Add(s.cfg.ResendCooldown).UTC(),
		}
		ev = h.event("caller verification code queued by " + string(channel))
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.VerificationResponse{}, h.fail(err)
	}
	s.notify(ev)
	if no != nil {
		return api.VerificationResponse{}, h.fail(no.err)
	}
	return out, nil
}

// verificationID is what a caller-verification code's MAC is bound to, as
// a validation code's is to its flow: the operator and the account.
func verificationID(opKey, staffNumber string) string {
	return "helpdesk-verification\x00" + opKey + "\x00" + staffNumber
}

// callerCodeMessage is the queued message of a caller-verification code,
// in the language lang (Tx.AccountLanguage).
func callerCodeMessage(c Client, a Account, channel api.Channel, to, code, lang string, now, expires time.Time) Message {
	return Message{
		Kind:     MessageCallerCode,
		Channel:  channel,
		To:       to,
		Language: lang,
		Params: map[string]string{
			"code":         code,
			"expires_at":   expires.UTC().Format(time.RFC3339),
			"name":         a.Name,
			"staff_number": a.StaffNumber,
			"reference":    c.Reference,
		},
		Status:        api.DeliveryQueued,
		NextAttemptAt: now,
		NotAfter:      expires,
		CreatedAt:     now,
	}
}

// HelpdeskCheckVerification is POST
// /v1/helpdesk/accounts/{staff_number}/verifications/current/check: the
// code the caller read back. The right code verifies the caller for this
// operator for CallerVerifiedFor; the MaxWrongVerificationCodes-th wrong
// one ends the verification (attempts_exhausted: send a new code).
func (s *Service) HelpdeskCheckVerification(ctx context.Context, c Client, staffNumber, code string) (api.VerificationCheckResponse, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk verification check", true, staffNumber)
	if err != nil {
		return api.VerificationCheckResponse{}, err
	}
	code = strings.TrimSpace(code)
	if !isDigits(code, s.cfg.CodeLength) {
		return api.VerificationCheckResponse{}, h.refused(ctx, refuseWhy(api.CodeInvalidRequest, fmt.Sprintf("The code is %d digits.", s.cfg.CodeLength), "code format"))
	}
	if _, err := h.actionable(ctx); err != nil {
		return api.VerificationCheckResponse{}, err
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return api.VerificationCheckResponse{}, h.fail(err)
	}
	opKey := HelpdeskOperatorKey(h.op)
	var (
		out api.VerificationCheckResponse
		no  *refusal
		ev  AuditEvent
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		v, err := tx.CallerVerification(opKey, h.staff)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		switch {
		case err != nil || v.CodeHMAC == nil:
			no = refuseWhy(api.CodeWrongStep, "No verification code is waiting for this caller. Please send one.", "no verification code")
		case !now.Before(v.CodeExpiresAt):
			no = refuseWhy(api.CodeCodeExpired, "The verification code has expired. Please send a new one.", "")
		case codeMatches(key, verificationID(opKey, h.staff), code, v.CodeHMAC):
			v.CodeHMAC = nil
			v.VerifiedUntil = now.Add(CallerVerifiedFor)
			v.ExpiresAt = v.VerifiedUntil
			out.VerifiedUntil = v.VerifiedUntil.UTC()
		default:
			v.WrongCodes++
			if left := MaxWrongVerificationCodes - v.WrongCodes; left > 0 {
				no = &refusal{
					err: refuse(api.CodeCodeInvalid, "The code is wrong. Please ask the caller to read it again.").WithAttemptsLeft(left),
					why: fmt.Sprintf("verification code, %d attempts left", left),
				}
			} else {
				no = refuseWhy(api.CodeAttemptsExhausted, "Too many wrong codes. Please send a new code, or check the caller another way.", "verification ended")
				v.CodeHMAC = nil
				v.ExpiresAt = now
			}
		}
		if err == nil {
			if err := tx.PutCallerVerification(v); err != nil {
				return err
			}
		}
		if no != nil {
			ev = s.refusalEvent(c, h.staff, no.err, strings.TrimPrefix(no.why+", ", ", ")+operatorLabel(h.op))
		} else {
			ev = h.event("caller verified by " + v.Channel)
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.VerificationCheckResponse{}, h.fail(err)
	}
	s.notify(ev)
	if no != nil {
		return api.VerificationCheckResponse{}, h.fail(no.err)
	}
	return out, nil
}

// callerCheck says how the operator knows the caller owns the account, for
// the audit: a verification of theirs in force at now, or the in-person
// note. Neither is caller_not_verified.
func callerCheck(tx Tx, op Operator, staffNumber, note string, now time.Time) (string, *refusal, error) {
	if note != "" {
		return "in person: " + note, nil, nil
	}
	v, err := tx.CallerVerification(HelpdeskOperatorKey(op), staffNumber)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", nil, err
	}
	if err == nil && now.Before(v.VerifiedUntil) {
		return "caller verified by " + v.Channel, nil, nil
	}
	return "", refuseWhy(api.CodeCallerNotVerified, "Please verify the caller with a code first, or note how you checked them in person.", "no verification or note"), nil
}
