package service

import (
	"context"
	"fmt"
	"time"

	"casreset/api"
)

// Unlocked says what UnlockAccount lifted.
type Unlocked struct {
	Hits  int64 // counted sends and wrong codes forgotten
	Flows int64 // open flows ended
}

// UnlockAccount lifts the limits resetd holds against the account of
// staffNumber (its codes sent and its wrong codes within their windows)
// and ends its open flows, so that its owner starts afresh at step 1 and
// whoever held one of those flows holds nothing. It is for IT Help, once
// they know the person asking is the owner: from the command line (the
// help desk's HelpdeskUnlock shares liftAccountLimits). The account need
// not be in the directory (the limits are resetd's own); staffNumber is
// read as step 1 reads it. One audit event records it, with by (who did
// it) in its detail.
//
// Limits per client address are not the account's, and stay.
func (s *Service) UnlockAccount(ctx context.Context, c Client, staffNumber, by string) (Unlocked, error) {
	staffNumber, err := api.ParseStaffNumber(staffNumber, s.cfg.StaffNumberCase)
	if err != nil {
		return Unlocked{}, refuse(api.CodeInvalidRequest, "This is not a staff / teacher number.")
	}
	var out Unlocked
	ev := s.event(c, EventAccountUnlocked, staffNumber, "")
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		if out, err = liftAccountLimits(tx, staffNumber, s.clock.Now()); err != nil {
			return err
		}
		ev.Detail = fmt.Sprintf("limits lifted (%d counted sends and wrong codes), %d open flows ended, by %s", out.Hits, out.Flows, by)
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return Unlocked{}, s.public(c, "unlock account", err)
	}
	s.notify(ev)
	return out, nil
}

// liftAccountLimits forgets the account's counted sends and wrong codes
// and ends its open flows at now: what an unlock does in resetd, from the
// command line (UnlockAccount) or the help desk (HelpdeskUnlock).
func liftAccountLimits(tx Tx, staffNumber string, now time.Time) (Unlocked, error) {
	var out Unlocked
	for _, key := range []string{sendKey(staffNumber), wrongCodeKey(staffNumber)} {
		n, err := tx.DeleteHits(key)
		if err != nil {
			return Unlocked{}, err
		}
		out.Hits += n
	}
	var err error
	if out.Flows, err = tx.EndFlows(staffNumber, now); err != nil {
		return Unlocked{}, err
	}
	return out, nil
}
