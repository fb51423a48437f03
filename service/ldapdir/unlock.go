package ldapdir

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// UnlockAccount ends the lockout of the account of staffNumber: Active
// Directory's lockoutTime set to 0, or OpenLDAP ppolicy's
// pwdAccountLockedTime removed. An account that is not locked out is left
// alone, and so is one that ppolicy marks as disabled (000001010000Z):
// unlocking must not enable it. A refusal for the service account's
// rights is service.ErrUnlockNotPermitted.
func (d *Directory) UnlockAccount(ctx context.Context, staffNumber string) error {
	return d.conn.do(ctx, true, func(s session) error {
		e, err := d.findStaff(s, staffNumber)
		if err != nil {
			return err
		}
		req := ldap.NewModifyRequest(e.DN, nil)
		if d.cfg.AD {
			// AD takes only 0 here; setting it when not locked is
			// harmless, and the read may be stale.
			req.Replace(attrLockoutTime, []string{"0"})
		} else {
			locked := strings.TrimSpace(e.GetEqualFoldAttributeValue(attrPwdAccountLockedTime))
			if locked == "" || locked == ppolicyDisabled {
				return nil
			}
			// The value read, so that an administrator's disabling
			// written meanwhile stays.
			req.Delete(attrPwdAccountLockedTime, []string{locked})
		}
		err = s.Modify(req)
		switch {
		case ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights):
			return fmt.Errorf("ldapdir: unlocking %s: %w: %w", e.DN, service.ErrUnlockNotPermitted, err)
		case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchAttribute):
			return nil // the lockout ended meanwhile
		case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject):
			return fmt.Errorf("ldapdir: the entry went away: %w", service.ErrNotFound)
		}
		return err
	})
}
