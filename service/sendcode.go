package service

import (
	"context"
	"errors"
	"time"

	"casreset/api"
)

// SendCode sends a (new) validation code by channel.
//
// The flow must be at step started or code_sent. Limits, in order: the
// cool-down since the flow's last code, the flow's allowance and the
// account's allowance per SendWindow. The code is queued as a message in
// the same transaction that stores its HMAC, so a code is never valid
// without its message nor sent without being valid; the new HMAC replaces
// the old, which stops the old code from verifying.
func (s *Service) SendCode(ctx context.Context, c Client, token string, channel api.Channel) (api.SendCodeResponse, error) {
	const op = "send code"
	if !channel.Valid() {
		no := refuseWhy(api.CodeInvalidRequest, `The channel must be "sms" or "email".`, "channel")
		return api.SendCodeResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}
	// Who is this flow for? The directory is asked outside any write
	// transaction; the flow is checked again under the lock below.
	var (
		f  Flow
		no *refusal
	)
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f, _, no, err = s.loadFlow(tx, token); err != nil || no != nil {
			return err
		}
		no = sendableStep(f)
		return nil
	})
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	if no != nil {
		return api.SendCodeResponse{}, s.refused(ctx, c, op, f.StaffNumber, no.err, no.why)
	}
	a, no, err := s.account(ctx, f.StaffNumber)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	to := destination(a, channel)
	if no == nil && to == "" {
		no = refuseWhy(api.CodeChannelUnavailable, "This account has no registered destination for this channel. Please choose the other one or contact IT Help.", string(channel))
	}
	if no != nil {
		return api.SendCodeResponse{}, s.refused(ctx, c, op, f.StaffNumber, no.err, no.why)
	}

	code, err := RandomDigits(s.cfg.CodeLength)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}

	var (
		ev  AuditEvent
		out api.SendCodeResponse
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		var (
			now time.Time
			err error
		)
		if f, now, no, err = s.loadFlow(tx, token); err != nil {
			return err
		}
		if no == nil {
			no = sendableStep(f)
		}
		if no == nil {
			no, err = s.sendLimits(tx, f, now)
			if err != nil {
				return err
			}
		}
		if no != nil {
			ev = s.refusalEvent(c, f.StaffNumber, no.err, no.why)
			return tx.InsertAudit(ev)
		}
		if err := tx.AddHit(sendKey(f.StaffNumber), now); err != nil {
			return err
		}
		if err := supersede(tx, f.MessageID); err != nil {
			return err
		}
		expires := now.Add(s.cfg.CodeTTL)
		msgID, err := tx.InsertMessage(Message{
			Kind:    MessageCode,
			Channel: channel,
			To:      to,
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
		})
		if err != nil {
			return err
		}
		f.Step = api.StepCodeSent
		f.Channel = channel
		f.CodeHMAC = codeMAC(key, f.ID, code)
		f.CodeExpiresAt = expires
		f.CodeSentAt = now
		f.Sends++
		f.MessageID = msgID
		if err := tx.UpdateFlow(f); err != nil {
			return err
		}
		left, err := s.sendsLeft(tx, f, now)
		if err != nil {
			return err
		}
		out = api.SendCodeResponse{
			Channel:       channel,
			Destination:   maskDestination(channel, to),
			CodeExpiresAt: expires,
			ResendAfter:   now.Add(s.cfg.ResendCooldown),
			SendsLeft:     left,
		}
		ev = s.event(c, EventCodeSent, f.StaffNumber, "code queued by "+string(channel))
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	s.notify(ev)
	if no != nil {
		return api.SendCodeResponse{}, s.public(c, op, no.err)
	}
	return out, nil
}

// sendableStep refuses flows past the step where codes are sent.
func sendableStep(f Flow) *refusal {
	if f.Step == api.StepStarted || f.Step == api.StepCodeSent {
		return nil
	}
	return refuseWhy(api.CodeWrongStep, wrongStepDetail(f.Step), "send code at step "+string(f.Step))
}

// sendLimits checks the cool-down and the flow's and account's allowances.
func (s *Service) sendLimits(tx Tx, f Flow, now time.Time) (*refusal, error) {
	if f.Sends > 0 {
		if next := f.CodeSentAt.Add(s.cfg.ResendCooldown); now.Before(next) {
			e := refuse(api.CodeRateLimited, "Please wait a moment before asking for another code.").WithRetryAfter(retrySeconds(next.Sub(now)))
			return rateLimited(e, "resend cool-down"), nil
		}
	}
	if f.Sends >= s.cfg.MaxSendsFlow {
		return refuseWhy(api.CodeRateLimited, "No more codes can be sent in this session. Please start again.", "sends per flow"), nil
	}
	n, oldest, err := tx.CountHits(sendKey(f.StaffNumber), now.Add(-s.cfg.SendWindow))
	if err != nil {
		return nil, err
	}
	if n >= s.cfg.MaxSendsDay {
		e := refuse(api.CodeRateLimited, "Too many codes were sent to this account today. Please try again later.").
			WithRetryAfter(secondsUntilLeft(oldest, s.cfg.SendWindow, now))
		return rateLimited(e, "sends per account"), nil
	}
	return nil, nil
}

// supersede stops the previous code's message if it is still queued: its
// code no longer verifies, so sending it late would only confuse.
func supersede(tx Tx, messageID int64) error {
	if messageID == 0 {
		return nil
	}
	m, err := tx.Message(messageID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Status != api.DeliveryQueued {
		return nil
	}
	m.Status = api.DeliveryFailed
	m.LastError = "superseded by a newer code"
	m.Params = nil
	return tx.UpdateMessage(m)
}
