package service

import (
	"context"
	"time"

	"casreset/api"
)

// Start checks the CAPTCHA and the account and begins a flow in the
// language the request names (requestLanguage).
//
// The checks run in this order: the language's form, the CAPTCHA with the per-address limits
// (passCaptcha: a start counts once its CAPTCHA is right), the staff
// number's format, the account, its state in the directory (disabled,
// logins ended: stateRefusal), its eligibility and its contacts. The
// limits and the CAPTCHA are committed before the directory is asked, so
// that a slow directory never holds the store's write lock. The account is
// looked up by the number api.ParseStaffNumber makes of what was typed,
// under the configured case setting.
func (s *Service) Start(ctx context.Context, c Client, req api.StartRequest) (api.StartResponse, error) {
	const op = "start"
	now := s.clock.Now()
	staff, staffErr := api.ParseStaffNumber(req.StaffNumber, s.cfg.StaffNumberCase)
	lang, no := requestLanguage(req.Language)
	if no != nil {
		return api.StartResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}

	var ev AuditEvent
	starts := addrAllowance{key: startKey, limit: s.cfg.StartsPerAddr, window: s.cfg.StartWindow,
		detail: "Too many attempts from this computer. Please wait and try again.", why: "starts per address"}
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if no, err = s.passCaptcha(tx, c, req.CaptchaID, req.CaptchaAnswer, starts, now); err != nil {
			return err
		}
		if no == nil && staffErr != nil {
			no = refuseWhy(api.CodeInvalidRequest, "Please enter your staff / teacher number (letters, digits and - _ . only).", "staff number format")
		}
		if no == nil {
			return nil // the account checks follow outside this transaction
		}
		// staff is empty unless it is a staff number: the audit never
		// keeps arbitrary input (someone may type a password here).
		ev = s.refusalEvent(c, staff, no.err, no.why)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.StartResponse{}, s.public(c, op, err)
	}
	if no != nil {
		s.notify(ev)
		return api.StartResponse{}, s.public(c, op, no.err)
	}

	a, no, err := s.account(ctx, staff)
	if err != nil {
		return api.StartResponse{}, s.public(c, op, err)
	}
	if no == nil {
		eligible, err := Eligible(a, s.cfg.EligibilityMonths, s.cfg.Location, now)
		if err != nil {
			return api.StartResponse{}, s.public(c, op, err)
		}
		channels := channelsOf(a)
		state := stateRefusal(a, now)
		switch {
		case state != nil:
			no = state
		case !eligible:
			no = refuseWhy(api.CodeAccountExpired, "This account is past its contract end date plus the grace period and can no longer be reset. Please contact IT Help.", "contract end "+a.ContractEnd)
		case len(channels) == 0:
			no = refuseWhy(api.CodeNoContact, "This account has no registered mobile number or e-mail address. Please contact IT Help.", "")
		default:
			return s.beginFlow(ctx, c, a, channels, lang, now)
		}
	}
	return api.StartResponse{}, s.refused(ctx, c, op, staff, no.err, no.why)
}

// beginFlow stores a new flow for a in the language lang and hands out its
// token.
func (s *Service) beginFlow(ctx context.Context, c Client, a Account, channels []api.ChannelInfo, lang string, now time.Time) (api.StartResponse, error) {
	token, id, err := newToken()
	if err != nil {
		return api.StartResponse{}, s.public(c, "start", err)
	}
	f := Flow{
		ID:          id,
		StaffNumber: a.StaffNumber,
		Step:        api.StepStarted,
		ClientAddr:  c.Addr,
		CreatedAt:   now,
		ExpiresAt:   now.Add(s.cfg.FlowTTL),
		Language:    lang,
	}
	ev := s.event(c, EventResetStarted, a.StaffNumber, "reset started")
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := tx.InsertFlow(f); err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.StartResponse{}, s.public(c, "start", err)
	}
	s.notify(ev)
	return api.StartResponse{
		ResetToken: token, ExpiresAt: f.ExpiresAt, Channels: channels,
		StaffNumber: api.NormalizeStaffNumber(a.StaffNumber, s.cfg.StaffNumberCase),
	}, nil
}
