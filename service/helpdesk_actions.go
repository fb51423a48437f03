package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"casreset/api"
)

// HelpdeskUnlock is POST /v1/helpdesk/accounts/{staff_number}/unlock:
// resetd's limits of the account lifted and its open flows ended
// (liftAccountLimits, as UnlockAccount does), and the directory's lockout
// ended when the account is locked out and the directory can (an
// AccountUnlocker). A directory that may not is no failure: the answer
// says the account is still locked. The owner is told on every channel.
func (s *Service) HelpdeskUnlock(ctx context.Context, c Client, staffNumber, note string) (api.UnlockResponse, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk unlock", true, staffNumber)
	if err != nil {
		return api.UnlockResponse{}, err
	}
	note, no := inPersonNote(note)
	if no != nil {
		return api.UnlockResponse{}, h.refused(ctx, no)
	}
	a, err := h.actionable(ctx)
	if err != nil {
		return api.UnlockResponse{}, err
	}
	// The caller is checked before the directory is touched; what follows
	// is then done and audited whatever the time it takes.
	check, err := h.checkCaller(ctx, note)
	if err != nil {
		return api.UnlockResponse{}, err
	}
	var out api.UnlockResponse
	if a.LockedOut {
		out.DirectoryUnlocked, out.StillLocked, err = s.unlockInDirectory(ctx, a.StaffNumber)
		if err != nil {
			return api.UnlockResponse{}, h.fail(err)
		}
	}
	var ev AuditEvent
	err = s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		lifted, err := liftAccountLimits(tx, h.staff, now)
		if err != nil {
			return err
		}
		out.LimitsLifted, out.FlowsEnded = lifted.Hits, lifted.Flows
		if err := queueHelpdeskNotices(tx, c, a, MessageUnlockNotice, now, nil); err != nil {
			return err
		}
		ev = h.event(fmt.Sprintf("unlock: limits lifted (%d counted sends and wrong codes), %d open flows ended, directory %s; %s",
			lifted.Hits, lifted.Flows, directoryOutcome(a, out), check))
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.UnlockResponse{}, h.fail(err)
	}
	s.notify(ev)
	return out, nil
}

// unlockInDirectory ends the account's lockout in the directory, and says
// whether it did or the directory did not let it.
func (s *Service) unlockInDirectory(ctx context.Context, staffNumber string) (unlocked, stillLocked bool, err error) {
	u, ok := s.dir.(AccountUnlocker)
	if !ok {
		return false, true, nil
	}
	err = u.UnlockAccount(ctx, staffNumber)
	switch {
	case errors.Is(err, ErrUnlockNotPermitted):
		s.log.Warn("help desk unlock: the directory refused to unlock the account", "error", err)
		return false, true, nil
	case err != nil:
		return false, false, err
	}
	return true, false, nil
}

// directoryOutcome says in the audit what the directory did of an unlock.
func directoryOutcome(a Account, out api.UnlockResponse) string {
	switch {
	case !a.LockedOut:
		return "account not locked"
	case out.DirectoryUnlocked:
		return "account unlocked"
	}
	return "account still locked (the directory did not let the service unlock it)"
}

// checkCaller refuses (and audits) an action when the operator has
// neither verified the caller nor given an in-person note; otherwise it
// says which, for the action's audit event.
func (h *helpdeskCall) checkCaller(ctx context.Context, note string) (string, error) {
	var (
		check string
		no    *refusal
	)
	err := h.s.store.View(ctx, func(tx Tx) error {
		var err error
		check, no, err = callerCheck(tx, h.op, h.staff, note, h.s.clock.Now())
		return err
	})
	if err != nil {
		return "", h.fail(err)
	}
	if no != nil {
		return "", h.refused(ctx, no)
	}
	return check, nil
}

// HelpdeskIssuePass is POST /v1/helpdesk/accounts/{staff_number}/passes:
// a one-time pass that the owner types in the wizard in place of a
// validation code, valid for PassTTL, shown grouped (api.FormatPass). The
// store keeps its HMAC only, and an account's newest pass replaces its
// previous one. Accounts that cannot reset (disabled, past their
// eligibility or the directory's end of logins, with no contact) get
// none. The owner is told on every channel.
func (s *Service) HelpdeskIssuePass(ctx context.Context, c Client, staffNumber, note string) (api.PassResponse, error) {
	h, err := s.beginHelpdesk(ctx, c, "helpdesk pass", true, staffNumber)
	if err != nil {
		return api.PassResponse{}, err
	}
	note, no := inPersonNote(note)
	if no != nil {
		return api.PassResponse{}, h.refused(ctx, no)
	}
	a, err := h.actionable(ctx)
	if err != nil {
		return api.PassResponse{}, err
	}
	now := s.clock.Now()
	eligible, err := Eligible(a, s.cfg.EligibilityMonths, s.cfg.Location, now)
	switch {
	case err != nil:
		return api.PassResponse{}, h.fail(err)
	case stateRefusal(a, now) != nil:
		// Disabled, or past the directory's end of logins: step 1 would
		// refuse the owner.
		return api.PassResponse{}, h.refused(ctx, stateRefusal(a, now))
	case !eligible:
		return api.PassResponse{}, h.refused(ctx, refuseWhy(api.CodeAccountExpired, "This account is past its eligibility for a reset; a pass would not help.", "contract end "+a.ContractEnd))
	case len(channelsOf(a)) == 0:
		return api.PassResponse{}, h.refused(ctx, refuseWhy(api.CodeNoContact, "This account has no registered mobile number or e-mail address, so a reset cannot start for it.", ""))
	}
	pass, err := newPass()
	if err != nil {
		return api.PassResponse{}, h.fail(err)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return api.PassResponse{}, h.fail(err)
	}
	var (
		out api.PassResponse
		ev  AuditEvent
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		now := s.clock.Now()
		check, refused, err := callerCheck(tx, h.op, h.staff, note, now)
		if err != nil || refused != nil {
			no = refused
			return err
		}
		expires := now.Add(PassTTL)
		if err := tx.PutHelpdeskPass(HelpdeskPass{
			StaffNumber: h.staff,
			PassHMAC:    passMAC(key, h.staff, pass),
			Operator:    HelpdeskOperatorKey(h.op),
			Reference:   c.Reference,
			CreatedAt:   now,
			ExpiresAt:   expires,
		}); err != nil {
			return err
		}
		if err := queueHelpdeskNotices(tx, c, a, MessagePassNotice, now, &expires); err != nil {
			return err
		}
		out = api.PassResponse{Pass: api.FormatPass(pass), ExpiresAt: expires.UTC()}
		ev = h.event("pass issued, valid until " + expires.UTC().Format(time.RFC3339) + "; " + check)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.PassResponse{}, h.fail(err)
	}
	if no != nil {
		return api.PassResponse{}, h.refused(ctx, no)
	}
	s.notify(ev)
	return out, nil
}

// newPass draws api.PassLength characters of api.PassAlphabet from
// crypto/rand, each equally likely.
func newPass() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(api.PassAlphabet)))
	for range api.PassLength {
		i, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", fmt.Errorf("help-desk pass: %w", err)
		}
		b.WriteByte(api.PassAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// passMAC binds a normalised pass to its account, under the codes' key.
func passMAC(key []byte, staffNumber, pass string) []byte {
	return codeMAC(key, "helpdesk-pass\x00"+staffNumber, pass)
}

// queueHelpdeskNotices tells the owner of a, on every channel, what IT
// Help did at at (kind: MessageUnlockNotice or MessagePassNotice), so
// that an owner who did not ask hears of it. A pass's notice says until
// when it works, never the pass. It is in the language of the account's
// latest flow (Tx.AccountLanguage), else the service's default.
func queueHelpdeskNotices(tx Tx, c Client, a Account, kind string, at time.Time, expires *time.Time) error {
	lang, err := tx.AccountLanguage(a.StaffNumber)
	if err != nil {
		return err
	}
	for _, ch := range api.Channels() {
		to := destination(a, ch)
		if to == "" {
			continue
		}
		params := map[string]string{
			"changed_at":   at.UTC().Format(time.RFC3339),
			"reference":    c.Reference,
			"name":         a.Name,
			"staff_number": a.StaffNumber,
		}
		if expires != nil {
			params["expires_at"] = expires.UTC().Format(time.RFC3339)
		}
		if _, err := tx.InsertMessage(Message{
			Kind:          kind,
			Channel:       ch,
			To:            to,
			Language:      lang,
			Params:        params,
			Status:        api.DeliveryQueued,
			NextAttemptAt: at,
			CreatedAt:     at,
		}); err != nil {
			return err
		}
	}
	return nil
}
