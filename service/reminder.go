package service

import (
	"context"
	"errors"
	"strings"

	"casreset/api"
)

// RemindStaffNumber sends the staff number to contact when it matches exactly
// one eligible account. It reports success whether or not it matched, so
// that it cannot be used to learn which contacts are registered.
//
// The reminder goes out in the language the request names
// (requestLanguage). Checks, in order: the language's form, the CAPTCHA
// with the per-address limits (passCaptcha: a reminder counts once its
// CAPTCHA is right), the contact's format, the per-contact limit. Several
// eligible accounts sharing one contact get no reminder: the message could
// not say which number is whose. Nor do accounts that cannot log in
// (disabled, logins ended: stateRefusal), nor a staff number that several
// directory entries share, which cannot start a flow.
func (s *Service) RemindStaffNumber(ctx context.Context, c Client, req api.ReminderRequest) error {
	const op = "remind staff number"
	now := s.clock.Now()
	contact, channel, contactErr := normalizeContact(req.Contact)
	lang, no := requestLanguage(req.Language)
	if no != nil {
		return s.refused(ctx, c, op, "", no.err, no.why)
	}

	var ev AuditEvent
	reminders := addrAllowance{key: reminderAddrKey, limit: s.cfg.RemindersPerAddr, window: s.cfg.ReminderWindow,
		detail: "Too many reminders were asked from this computer. Please wait and try again.", why: "reminders per address"}
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if no, err = s.passCaptcha(tx, c, req.CaptchaID, req.CaptchaAnswer, reminders, now); err != nil {
			return err
		}
		if no == nil && contactErr != nil {
			no = refuseWhy(api.CodeInvalidRequest, "Please enter your registered mobile number or e-mail address.", "contact format")
		}
		if no == nil {
			limited, err := takeHit(tx, reminderContactKey(contact), s.cfg.RemindersContact, s.cfg.ReminderWindow, now,
				"Too many reminders were asked for this contact. Please wait and try again.")
			if err != nil {
				return err
			}
			if limited == nil {
				return nil
			}
			no = rateLimited(limited, "reminders per contact")
		}
		ev = s.refusalEvent(c, "", no.err, no.why)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return s.public(c, op, err)
	}
	if no != nil {
		s.notify(ev)
		return s.public(c, op, no.err)
	}

	accounts, err := s.dir.AccountsByContact(ctx, contact)
	if err != nil {
		return s.public(c, op, err)
	}
	var match []Account
	for _, a := range accounts {
		if stateRefusal(a, now) != nil {
			continue // disabled, or its logins have ended
		}
		ok, err := Eligible(a, s.cfg.EligibilityMonths, s.cfg.Location, now)
		if err != nil {
			return s.public(c, op, err)
		}
		if ok && destination(a, channel) != "" {
			match = append(match, a)
		}
	}
	if len(match) == 1 {
		// The number must be one that starts a flow: a staff number that
		// several entries share finds none (ErrNotFound).
		_, err := s.dir.Account(ctx, match[0].StaffNumber)
		if errors.Is(err, ErrNotFound) {
			match = nil
		} else if err != nil {
			return s.public(c, op, err)
		}
	}
	if len(match) != 1 {
		s.record(ctx, s.event(c, EventAccessRefused, "", detailReminderUnmatched))
		return nil
	}
	a := match[0]
	ev = s.event(c, EventReminderSent, a.StaffNumber, "staff number reminder queued by "+string(channel))
	err = s.store.Update(ctx, func(tx Tx) error {
		_, err := tx.InsertMessage(Message{
			Kind:     MessageReminder,
			Channel:  channel,
			To:       destination(a, channel),
			Language: lang,
			Params: map[string]string{
				// As the wizard takes it: a directory may hold the
				// number with spaces or in another case.
				"staff_number": api.NormalizeStaffNumber(a.StaffNumber, s.cfg.StaffNumberCase),
				"name":         a.Name,
				"reference":    c.Reference,
			},
			Status:        api.DeliveryQueued,
			NextAttemptAt: now,
			CreatedAt:     now,
		})
		if err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return s.public(c, op, err)
	}
	s.notify(ev)
	return nil
}

// detailReminderUnmatched is the audit detail of a reminder that matched no
// single eligible account.
const detailReminderUnmatched = "reminder: no single eligible account"

// IsReminderOutcome reports whether ev records how a staff-number reminder
// past its CAPTCHA and limits ended: queued to the contact, or matched no
// single eligible account. The audit tells the two apart, for the help
// desk; anything an outsider's request moves where others may see it (the
// metrics) must count them as one, or it would undo the reminder's
// "202 always".
func IsReminderOutcome(ev AuditEvent) bool {
	return ev.Event == EventReminderSent || ev.Event == EventAccessRefused && ev.Detail == detailReminderUnmatched
}

// normalizeContact reads an e-mail address (anything with an @) or a
// mobile number, and says which channel reaches it.
func normalizeContact(s string) (string, api.Channel, error) {
	if strings.Contains(s, "@") {
		addr, err := NormalizeEmail(s)
		return addr, api.ChannelEmail, err
	}
	mobile, err := NormalizeMobile(s)
	return mobile, api.ChannelSMS, err
}
