package service

import (
	"context"
	"errors"
	"time"

	"casreset/api"
)

// SendCode sends a (new) validation code by the request's channel. A
// request that names a language makes it the flow's (requestLanguage):
// this code and the flow's later messages go out in it; without one the
// flow keeps its language.
//
// The flow must be at step started or code_sent. Limits, in order: the
// cool-down since the flow's last code, the flow's allowance and the
// account's allowance per SendWindow. The code is queued as a message in
// the same transaction that stores its HMAC, so a code is never valid
// without its message nor sent without being valid; the new HMAC replaces
// the old, which stops the old code from verifying.
func (s *Service) SendCode(ctx context.Context, c Client, token string, req api.SendCodeRequest) (api.SendCodeResponse, error) {
	const op = "send code"
	channel := req.Channel
	if !channel.Valid() {
		no := refuseWhy(api.CodeInvalidRequest, `The channel must be "sms" or "email".`, "channel")
		return api.SendCodeResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}
	lang, no := requestLanguage(req.Language)
	if no != nil {
		return api.SendCodeResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}
	// Who is this flow for? The directory is asked outside any write
	// transaction; the flow is checked again under the lock in commitSend.
	f, no, err := s.loadFlowForSend(ctx, token)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	if no != nil {
		return api.SendCodeResponse{}, s.refused(ctx, c, op, f.StaffNumber, no.err, no.why)
	}
	send, no, err := s.prepareCode(ctx, f.StaffNumber, channel)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	if no != nil {
		return api.SendCodeResponse{}, s.refused(ctx, c, op, f.StaffNumber, no.err, no.why)
	}
	send.newLanguage, send.language = req.Language != "", lang

	out, ev, no, err := s.commitSend(ctx, c, token, send)
	if err != nil {
		return api.SendCodeResponse{}, s.public(c, op, err)
	}
	s.notify(ev)
	if no != nil {
		return api.SendCodeResponse{}, s.public(c, op, no.err)
	}
	return out, nil
}

// codeToSend is what SendCode reads and makes before its write
// transaction: the account, where its code goes, the code and the key of
// the code's HMAC, and the flow's new language if the request gave one.
type codeToSend struct {
	account     Account
	channel     api.Channel
	to          string
	code        string
	key         []byte
	newLanguage bool
	language    string
}

// loadFlowForSend reads the flow of token and refuses unless codes may be
// sent at its step.
func (s *Service) loadFlowForSend(ctx context.Context, token string) (Flow, *refusal, error) {
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
	return f, no, err
}

// prepareCode looks the account up, refuses a channel it has no
// destination for, and makes a new code.
func (s *Service) prepareCode(ctx context.Context, staffNumber string, channel api.Channel) (codeToSend, *refusal, error) {
	a, no, err := s.usableAccount(ctx, staffNumber)
	if err != nil || no != nil {
		return codeToSend{}, no, err
	}
	to := destination(a, channel)
	if to == "" {
		return codeToSend{}, refuseWhy(api.CodeChannelUnavailable, "This account has no registered destination for this channel. Please choose the other one or contact IT Help.", string(channel)), nil
	}
	code, err := RandomDigits(s.cfg.CodeLength)
	if err != nil {
		return codeToSend{}, nil, err
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return codeToSend{}, nil, err
	}
	return codeToSend{account: a, channel: channel, to: to, code: code, key: key}, nil, nil
}

// commitSend, in one transaction, checks the flow again under its lock and
// the send limits, then issues the code and records the outcome. It
// returns the event to notify once committed, and the refusal if the
// flow or a limit said no.
func (s *Service) commitSend(ctx context.Context, c Client, token string, send codeToSend) (api.SendCodeResponse, AuditEvent, *refusal, error) {
	var (
		out api.SendCodeResponse
		ev  AuditEvent
		no  *refusal
	)
	err := s.store.Update(ctx, func(tx Tx) error {
		f, now, refused, err := s.lockFlowForSend(tx, token)
		if err != nil {
			return err
		}
		if no = refused; no != nil {
			ev = s.refusalEvent(c, f.StaffNumber, no.err, no.why)
			return tx.InsertAudit(ev)
		}
		if out, err = s.issueCode(tx, c, f, now, send); err != nil {
			return err
		}
		ev = s.event(c, EventCodeSent, f.StaffNumber, "code queued by "+string(send.channel))
		return tx.InsertAudit(ev)
	})
	return out, ev, no, err
}

// lockFlowForSend reads and locks the flow of token, and refuses unless
// codes may be sent at its step and within the send limits. The time it
// returns is the transaction's, read once the flow is held.
func (s *Service) lockFlowForSend(tx Tx, token string) (Flow, time.Time, *refusal, error) {
	f, now, no, err := s.loadFlow(tx, token)
	if err != nil || no != nil {
		return f, now, no, err
	}
	if no = sendableStep(f); no != nil {
		return f, now, no, nil
	}
	no, err = s.sendLimits(tx, f, now)
	return f, now, no, err
}

// issueCode counts the send against the account, stops the previous
// code's message, queues the new code and makes it the flow's only valid
// code.
func (s *Service) issueCode(tx Tx, c Client, f Flow, now time.Time, send codeToSend) (api.SendCodeResponse, error) {
	if err := tx.AddHit(sendKey(f.StaffNumber), now); err != nil {
		return api.SendCodeResponse{}, err
	}
	if err := supersede(tx, f.MessageID); err != nil {
		return api.SendCodeResponse{}, err
	}
	if send.newLanguage {
		f.Language = send.language
	}
	expires := now.Add(s.cfg.CodeTTL)
	msgID, err := tx.InsertMessage(codeMessage(c, send, f.Language, now, expires))
	if err != nil {
		return api.SendCodeResponse{}, err
	}
	f.Step = api.StepCodeSent
	f.Channel = send.channel
	f.CodeHMAC = codeMAC(send.key, f.ID, send.code)
	f.CodeExpiresAt = expires
	f.CodeSentAt = now
	f.Sends++
	f.MessageID = msgID
	if err := tx.UpdateFlow(f); err != nil {
		return api.SendCodeResponse{}, err
	}
	left, err := s.sendsLeft(tx, f, now)
	if err != nil {
		return api.SendCodeResponse{}, err
	}
	return api.SendCodeResponse{
		Channel:       send.channel,
		Destination:   maskDestination(send.channel, send.to),
		CodeExpiresAt: expires,
		ResendAfter:   now.Add(s.cfg.ResendCooldown),
		SendsLeft:     left,
	}, nil
}

// codeMessage is the queued message that carries send's code, in the
// language lang, until it expires.
func codeMessage(c Client, send codeToSend, lang string, now, expires time.Time) Message {
	return Message{
		Kind:     MessageCode,
		Channel:  send.channel,
		To:       send.to,
		Language: lang,
		Params: map[string]string{
			"code":         send.code,
			"expires_at":   expires.UTC().Format(time.RFC3339),
			"name":         send.account.Name,
			"staff_number": send.account.StaffNumber,
			"reference":    c.Reference,
		},
		Status:        api.DeliveryQueued,
		NextAttemptAt: now,
		NotAfter:      expires,
		CreatedAt:     now,
	}
}

// sendableStep refuses flows past the step where codes are sent.
func sendableStep(f Flow) *refusal {
	if f.Step == api.StepStarted || f.Step == api.StepCodeSent {
		return nil
	}
	return refuseWhy(api.CodeWrongStep, wrongStepDetail(f.Step), "send code at step "+string(f.Step))
}

// sendLimits checks the cool-down, the flow's and account's allowances of
// sends and the account's allowance of wrong codes.
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
	left, oldestWrong, err := s.wrongCodesLeft(tx, f.StaffNumber, now)
	if err != nil {
		return nil, err
	}
	if left == 0 {
		e := refuse(api.CodeRateLimited, detailAccountWrongCodes).
			WithRetryAfter(secondsUntilLeft(oldestWrong, s.cfg.WrongCodeWindow, now))
		return rateLimited(e, "wrong codes per account"), nil
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
