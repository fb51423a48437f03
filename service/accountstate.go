package service

import (
	"context"
	"errors"
	"time"

	"casreset/api"
)

// Details of the refusals for the directory's account state.
const (
	detailAccountDisabled = "This account is disabled. Please contact IT Help."
	detailLoginsEnded     = "This account can no longer log in, so its password cannot be reset. Please contact IT Help."
)

// stateRefusal refuses an account that the directory says cannot log in
// whatever its password: disabled (account_disabled), or past the moment
// its logins end (account_expired, AD accountExpires). A new password or
// a code would help neither.
func stateRefusal(a Account, now time.Time) *refusal {
	switch {
	case a.Disabled:
		return refuseWhy(api.CodeAccountDisabled, detailAccountDisabled, "disabled in the directory")
	case loginsEnded(a, now):
		return refuseWhy(api.CodeAccountExpired, detailLoginsEnded, "logins ended "+a.LoginsEnd.UTC().Format(time.RFC3339))
	}
	return nil
}

func loginsEnded(a Account, now time.Time) bool {
	return !a.LoginsEnd.IsZero() && !now.Before(a.LoginsEnd)
}

// usableAccount is account, refusing also an account that cannot log in
// (stateRefusal).
func (s *Service) usableAccount(ctx context.Context, staffNumber string) (Account, *refusal, error) {
	a, no, err := s.account(ctx, staffNumber)
	if err != nil || no != nil {
		return a, no, err
	}
	return a, stateRefusal(a, s.clock.Now()), nil
}

// accountPolicy is the password policy of the account of staffNumber: the
// global one, merged with the directory's when it has one (PolicyReader).
func (s *Service) accountPolicy(ctx context.Context, staffNumber string) (PolicyConfig, *refusal, error) {
	pr, ok := s.dir.(PolicyReader)
	if !ok {
		return s.cfg.Policy, nil, nil
	}
	d, err := pr.PasswordPolicy(ctx, staffNumber)
	if errors.Is(err, ErrNotFound) {
		return PolicyConfig{}, refuseWhy(api.CodeAccountNotFound, "No account has this staff / teacher number.", ""), nil
	}
	if err != nil {
		return PolicyConfig{}, nil, err
	}
	return s.cfg.Policy.Merge(d), nil, nil
}

// tooSoon reports whether the password of a was set less than p.MinAge
// before now, so that the directory would refuse another change.
func tooSoon(p PolicyConfig, a Account, now time.Time) bool {
	return p.MinAge > 0 && !a.PasswordSetAt.IsZero() && now.Before(a.PasswordSetAt.Add(p.MinAge))
}

// unlockAfterChange ends the directory's lockout of a, whose password has
// just been changed, and reports whether the account stays locked: the
// directory cannot unlock, or may not, or failed to.
func (s *Service) unlockAfterChange(ctx context.Context, c Client, a Account) (stillLocked bool) {
	if !a.LockedOut {
		return false
	}
	u, ok := s.dir.(AccountUnlocker)
	if !ok {
		s.log.Warn("account locked out in a directory that cannot unlock", "reference", c.Reference, "staff_number", a.StaffNumber)
		return true
	}
	err := u.UnlockAccount(ctx, a.StaffNumber)
	switch {
	case err == nil:
		return false
	case errors.Is(err, ErrUnlockNotPermitted):
		s.log.Warn("the service account may not unlock accounts: the account stays locked out after its password change",
			"reference", c.Reference, "staff_number", a.StaffNumber)
	default:
		s.log.Error("unlocking the account after its password change", "reference", c.Reference, "staff_number", a.StaffNumber, "error", err)
	}
	return true
}
