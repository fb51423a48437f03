package service

import (
	"context"
	"strings"
	"time"

	"casreset/api"
)

// maxStaffNumber bounds the length of a staff / teacher number.
const maxStaffNumber = 32

// validStaffNumber accepts what staff numbers look like in every directory
// we know (letters, digits and - _ .), and nothing that could be markup or
// a directory filter.
func validStaffNumber(s string) bool {
	if s == "" || len(s) > maxStaffNumber {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// Start checks the CAPTCHA and the account and begins a flow.
//
// The checks run in this order: the per-address limit (every attempt
// counts), the CAPTCHA (consumed whatever the outcome), the staff number's
// format, the account, its eligibility and its contacts. The limit and the
// CAPTCHA are committed before the directory is asked, so that a slow
// directory never holds the store's write lock.
func (s *Service) Start(ctx context.Context, c Client, req api.StartRequest) (api.StartResponse, error) {
	const op = "start"
	now := s.clock.Now()
	staff := strings.TrimSpace(req.StaffNumber)

	var (
		no *refusal
		ev AuditEvent
	)
	err := s.store.Update(ctx, func(tx Tx) error {
		no = nil
		limited, err := takeHit(tx, startKey(c.Addr), s.cfg.StartsPerAddr, s.cfg.StartWindow, now,
			"Too many attempts from this computer. Please wait and try again.")
		if err != nil {
			return err
		}
		if limited != nil {
			no = rateLimited(limited, "starts per address")
		} else if wrong, err := s.useCaptcha(tx, req.CaptchaID, req.CaptchaAnswer); err != nil {
			return err
		} else if wrong != nil {
			no = &refusal{err: wrong, why: "captcha"}
		} else if !validStaffNumber(staff) {
			no = refuseWhy(api.CodeInvalidRequest, "Please enter your staff / teacher number (letters and digits only).", "staff number format")
		}
		if no == nil {
			return nil // the account checks follow outside this transaction
		}
		ev = s.refusalEvent(c, staffForAudit(staff), no.err, no.why)
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
		switch {
		case !eligible:
			no = refuseWhy(api.CodeAccountExpired, "This account is past its contract end date plus the grace period and can no longer be reset. Please contact IT Help.", "contract end "+a.ContractEnd)
		case len(channels) == 0:
			no = refuseWhy(api.CodeNoContact, "This account has no registered mobile number or e-mail address. Please contact IT Help.", "")
		default:
			return s.beginFlow(ctx, c, a, channels, now)
		}
	}
	return api.StartResponse{}, s.refused(ctx, c, op, staff, no.err, no.why)
}

// beginFlow stores a new flow for a and hands out its token.
func (s *Service) beginFlow(ctx context.Context, c Client, a Account, channels []api.ChannelInfo, now time.Time) (api.StartResponse, error) {
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
	return api.StartResponse{ResetToken: token, ExpiresAt: f.ExpiresAt, Channels: channels}, nil
}

// staffForAudit keeps what the caller typed as a staff number only when it
// has the format of one, so that the audit never stores arbitrary input
// (someone may type a password into the wrong box).
func staffForAudit(s string) string {
	if validStaffNumber(s) {
		return s
	}
	return ""
}
