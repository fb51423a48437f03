package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"casreset/api"
)

// The help desk's look-ups: an account's page, and the events of a
// reference from an error screen. Neither changes anything but the audit.

// HelpdeskAccount is GET /v1/helpdesk/accounts/{staff_number}: the
// account as IT Help needs to see it, with its last HelpdeskEventsShown
// events. The look-up itself is audited.
func (s *Service) HelpdeskAccount(ctx context.Context, c Client, staffNumber string) (api.HelpdeskAccount, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk account", true, staffNumber)
	if err != nil {
		return api.HelpdeskAccount{}, err
	}
	a, err := h.account(ctx)
	if err != nil {
		return api.HelpdeskAccount{}, err
	}
	out, err := s.accountView(ctx, h.op, a)
	if err != nil {
		return api.HelpdeskAccount{}, h.fail(err)
	}
	ev := h.event("look-up")
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := s.fillFromStore(tx, h.op, &out); err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.HelpdeskAccount{}, h.fail(err)
	}
	s.notify(ev)
	return out, nil
}

// accountView is what the directory tells of a, as the help desk shows
// it, without what the store keeps (fillFromStore).
func (s *Service) accountView(ctx context.Context, op Operator, a Account) (api.HelpdeskAccount, error) {
	now := s.clock.Now()
	out := api.HelpdeskAccount{
		StaffNumber: a.StaffNumber,
		Name:        a.Name,
		Channels:    channelsOf(a),
		ContractEnd: a.ContractEnd,
		Disabled:    a.Disabled,
		LockedOut:   a.LockedOut,
		Privileged:  a.Privileged,
		LoginsEnd:   timeOrNil(a.LoginsEnd),
		// Set by the directory, or by this service when the directory
		// keeps no such time.
		PasswordSetAt:     timeOrNil(a.PasswordSetAt),
		PasswordChangedAt: timeOrNil(a.PasswordChangedAt),
	}
	var err error
	if out.Eligible, err = s.eligibleNow(a, now); err != nil {
		return api.HelpdeskAccount{}, err
	}
	if a.ContractEnd != "" {
		last, err := LastEligibleDay(a.ContractEnd, s.cfg.EligibilityMonths, s.cfg.Location)
		if err != nil {
			return api.HelpdeskAccount{}, err
		}
		out.LastEligibleDay = last.Format(DateLayout)
	}
	if out.Protected, err = s.protection(ctx, op, a); err != nil {
		return api.HelpdeskAccount{}, err
	}
	if out.Channels == nil {
		out.Channels = []api.ChannelInfo{}
	}
	return out, nil
}

// eligibleNow says whether a may reset at now: the eligibility rule, and
// the directory's end of logins when it has one.
func (s *Service) eligibleNow(a Account, now time.Time) (bool, error) {
	ok, err := Eligible(a, s.cfg.EligibilityMonths, s.cfg.Location, now)
	if err != nil || !ok {
		return false, err
	}
	return !loginsEnded(a, now), nil
}

// fillFromStore adds to out what the store keeps of its account: the
// limits in force, the operator's verification of the caller and the
// latest events.
func (s *Service) fillFromStore(tx Tx, op Operator, out *api.HelpdeskAccount) error {
	now := s.clock.Now()
	out.Limits = []api.HelpdeskLimit{}
	for _, l := range []struct {
		name   string
		key    string
		max    int
		window time.Duration
	}{
		{api.LimitSendsPerAccount, sendKey(out.StaffNumber), s.cfg.MaxSendsDay, s.cfg.SendWindow},
		{api.LimitWrongCodesPerAccount, wrongCodeKey(out.StaffNumber), s.cfg.WrongCodesAccount, s.cfg.WrongCodeWindow},
	} {
		n, oldest, err := tx.CountHits(l.key, now.Add(-l.window))
		if err != nil {
			return err
		}
		limit := api.HelpdeskLimit{Limit: l.name, Count: n, Max: l.max, WindowSeconds: int(l.window / time.Second), Reached: n >= l.max}
		if limit.Reached {
			limit.RetryAt = timeOrNil(now.Add(time.Duration(secondsUntilLeft(oldest, l.window, now)) * time.Second).UTC())
		}
		out.Limits = append(out.Limits, limit)
	}
	v, err := tx.CallerVerification(HelpdeskOperatorKey(op), out.StaffNumber)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return err
	case now.Before(v.VerifiedUntil):
		out.VerifiedUntil = timeOrNil(v.VerifiedUntil)
	}
	events, err := tx.Audit(AuditFilter{StaffNumber: out.StaffNumber, Limit: HelpdeskEventsShown})
	if err != nil {
		return err
	}
	out.Events = helpdeskEvents(events)
	return nil
}

// helpdeskEvents turns audit events into what the help desk reads.
func helpdeskEvents(events []AuditEvent) []api.HelpdeskEvent {
	out := make([]api.HelpdeskEvent, 0, len(events))
	for _, e := range events {
		out = append(out, api.HelpdeskEvent{
			Time:        e.Time.UTC(),
			Event:       e.Event,
			StaffNumber: e.StaffNumber,
			Reference:   e.Reference,
			ClientAddr:  e.ClientAddr,
			UserAgent:   e.UserAgent,
			Detail:      e.Detail,
		})
	}
	return out
}

// maxReference bounds a reference typed for a look-up; ours are 16
// characters.
const maxReference = 64

// HelpdeskEvents is GET /v1/helpdesk/events/{reference}: the events of
// the request a person's error screen names, oldest first, and the
// summary of their account. A reference is read as people read it out:
// spaces and dashes dropped, letters in upper case. No event with it is
// not_found.
func (s *Service) HelpdeskEvents(ctx context.Context, c Client, reference string) (api.HelpdeskEvents, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk events", false, "")
	if err != nil {
		return api.HelpdeskEvents{}, err
	}
	ref, ok := normalizeReference(reference)
	if !ok {
		return api.HelpdeskEvents{}, h.refused(ctx, refuseWhy(api.CodeInvalidRequest, "This is not a reference: it has letters and digits only.", "reference format"))
	}
	var events []AuditEvent
	err = s.store.View(ctx, func(tx Tx) error {
		var err error
		events, err = tx.Audit(AuditFilter{Reference: ref, Limit: maxEventsByReference})
		return err
	})
	if err != nil {
		return api.HelpdeskEvents{}, h.fail(err)
	}
	if len(events) == 0 {
		return api.HelpdeskEvents{}, h.refused(ctx, refuseWhy(api.CodeNotFound, "No event has this reference. Please check it with the person.", "reference "+ref))
	}
	slices.Reverse(events)
	out := api.HelpdeskEvents{Reference: ref, Events: helpdeskEvents(events)}
	for _, e := range events {
		if e.StaffNumber != "" {
			h.staff = e.StaffNumber
			break
		}
	}
	if h.staff != "" {
		a, err := s.dir.Account(ctx, h.staff)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return api.HelpdeskEvents{}, h.fail(err)
		default:
			view, err := s.accountView(ctx, h.op, a)
			if err != nil {
				return api.HelpdeskEvents{}, h.fail(err)
			}
			out.Account = &api.HelpdeskAccountSummary{
				StaffNumber: view.StaffNumber, Name: view.Name, Eligible: view.Eligible,
				Disabled: view.Disabled, LockedOut: view.LockedOut, Protected: view.Protected,
			}
		}
	}
	ev := h.event("look-up of reference " + ref)
	s.record(ctx, ev)
	return out, nil
}

// normalizeReference reads a reference as a person types it.
func normalizeReference(s string) (string, bool) {
	if len(s) > 2*maxReference {
		return "", false
	}
	ref := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if ref == "" || len(ref) > maxReference {
		return "", false
	}
	for _, r := range ref {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "", false
		}
	}
	return ref, true
}
