// Package ldapdir keeps accounts in an LDAP directory or Active Directory:
// it looks staff up by their staff-number attribute as the service account
// and writes new passwords there, with the Password Modify extended
// operation (RFC 3062) or, for Active Directory, unicodePwd.
package ldapdir

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/service"
)

// Directory is a service.Directory over LDAP. It is safe for concurrent
// use; operations share one connection, re-dialled when it breaks.
type Directory struct {
	cfg  Config
	conn *conn

	infoMu sync.Mutex
	info   *serverInfo // the root DSE, once read
	// netBIOS is the domain's NetBIOS name under AD, once read
	// (operators.go).
	netBIOS string

	netBIOSMissing atomic.Bool // logged once: the NetBIOS name cannot be read

	psoUnreadable atomic.Bool // logged once: fine-grained policies cannot be read
	rightsUnknown atomic.Bool // logged once: the rights check cannot tell
}

var (
	_ service.Directory       = (*Directory)(nil)
	_ service.AccountUnlocker = (*Directory)(nil)
	_ service.PolicyReader    = (*Directory)(nil)
)

// maxContactMatches bounds the entries a contact may match. A contact
// shared by more than one account gets no reminder anyway.
const maxContactMatches = 10

// New checks cfg and returns the directory. It does not connect: the
// service starts while the directory is down, reports it in Ping, and
// connects when the directory comes back.
func New(cfg Config) (*Directory, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ep, err := newEndpoint(cfg)
	if err != nil {
		return nil, err
	}
	return &Directory{
		cfg:  cfg,
		conn: newConn(ep, cfg.BindDN, cfg.BindPassword, cfg.Timeout, cfg.Logger),
	}, nil
}

// Close ends the connection. The directory stays usable: the next
// operation connects again.
func (d *Directory) Close() error {
	d.conn.close()
	return nil
}

// Account finds the one entry whose staff-number attribute is staffNumber.
// No entry, or more than one, is service.ErrNotFound.
func (d *Directory) Account(ctx context.Context, staffNumber string) (service.Account, error) {
	var a service.Account
	err := d.conn.do(ctx, true, func(s session) error {
		e, err := d.findStaff(s, staffNumber)
		if err != nil {
			return err
		}
		if a, err = d.account(e); err != nil {
			return err
		}
		return d.markProtected(s, e, &a)
	})
	if err != nil {
		return service.Account{}, err
	}
	return a, nil
}

// AccountsByContact finds the accounts whose e-mail address (compared
// case-insensitively) or mobile number is contact, which the caller has
// normalised (an address, or E.164). See mobileFilter for the formats of
// stored numbers that are found.
func (d *Directory) AccountsByContact(ctx context.Context, contact string) ([]service.Account, error) {
	contact = strings.TrimSpace(contact)
	var filter string
	var matches func(service.Account) bool
	switch {
	case strings.Contains(contact, "@"):
		filter = fmt.Sprintf("(%s=%s)", d.cfg.MailAttr, ldap.EscapeFilter(contact))
		matches = func(a service.Account) bool { return strings.EqualFold(a.Email, contact) }
	case strings.HasPrefix(contact, "+") && len(contact) > 1:
		filter = mobileFilter(d.cfg.MobileAttr, contact)
		matches = func(a service.Account) bool { return a.Mobile == contact }
	default:
		return nil, nil
	}
	filter = fmt.Sprintf("(&%s(%s=*))", filter, d.cfg.StaffAttr)

	var accounts []service.Account
	err := d.conn.do(ctx, true, func(s session) error {
		accounts = accounts[:0]
		res, err := s.Search(d.search(filter, maxContactMatches))
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
			return err
		}
		for _, e := range res.Entries {
			a, err := d.account(e)
			if err != nil {
				// One entry's bad end date must not hide the others.
				d.cfg.Logger.Warn("ldap entry skipped", "dn", e.DN, "err", err)
				continue
			}
			if !matches(a) {
				continue
			}
			if err := d.markProtected(s, e, &a); err != nil {
				return err
			}
			accounts = append(accounts, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return accounts, nil
}

// SetPassword writes password to the entry of staffNumber as the service
// account: the Password Modify extended operation, or a replace of
// unicodePwd for Active Directory, with the policy hints control when the
// directory takes it. Refusals by the directory's own policy are
// *api.Error with CodePasswordPolicy or CodePasswordReused.
func (d *Directory) SetPassword(ctx context.Context, staffNumber, password string) error {
	if password == "" {
		// The extended operation would have the server generate one.
		return api.Errorf(api.CodePasswordPolicy, "The new password is empty.").WithViolations(api.RuleTooShort)
	}
	var (
		dn   string
		info serverInfo
	)
	err := d.conn.do(ctx, true, func(s session) error {
		var err error
		if info, err = d.serverInfo(s); err != nil {
			return err
		}
		e, err := d.findStaff(s, staffNumber)
		if err != nil {
			return err
		}
		dn = e.DN
		return nil
	})
	if err != nil {
		return err
	}
	// Not repeated on a fresh connection: a write whose answer was lost may
	// have been applied, and the directory's history would refuse it again.
	err = d.conn.do(ctx, false, func(s session) error {
		if d.cfg.AD {
			if !s.encrypted() {
				return local(errors.New("ldapdir: refusing to send a password to Active Directory over an unencrypted connection"))
			}
			// With the policy hints, AD applies its history and minimum
			// age as to a change by the person; without, only its length
			// and complexity.
			var controls []ldap.Control
			if info.policyHints != "" {
				controls = append(controls, policyHints(info.policyHints))
			}
			req := ldap.NewModifyRequest(dn, controls)
			req.Replace("unicodePwd", []string{string(unicodePwd(password))})
			return hintedRefusal(passwordError(s.Modify(req), true), info.policyHints != "")
		}
		_, err := s.PasswordModify(ldap.NewPasswordModifyRequest(dn, "", password))
		return passwordError(err, false)
	})
	var missing *service.MissingRightError
	if errors.As(err, &missing) {
		missing.On = d.cfg.BaseDN
	}
	var refused *refusalError
	if errors.As(err, &refused) {
		// The domain passes the refusal on as it is; the directory's own
		// words are for the log only.
		d.cfg.Logger.Info("ldap directory refused a new password", "staff_number", staffNumber,
			"code", refused.api.Code, "directory_said", refused.cause.Error())
	}
	return err
}

// Ping reads the base entry as the service account: the directory is up,
// the account may bind and the base DN exists. On Active Directory it also
// checks that the account holds Reset Password on the staff entries
// (checkResetRight): a *service.MissingRightError when it does not.
func (d *Directory) Ping(ctx context.Context) error {
	return d.conn.do(ctx, true, func(s session) error {
		if _, err := d.serverInfo(s); err != nil {
			return err
		}
		req := ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
			1, d.timeLimit(), false, "(objectClass=*)", []string{"1.1"}, nil)
		if _, err := s.Search(req); err != nil {
			return err
		}
		if !d.cfg.AD {
			return nil
		}
		err := d.checkResetRight(s)
		if errors.Is(err, errCannotTell) {
			if !d.rightsUnknown.Swap(true) {
				d.cfg.Logger.Warn("ldap: cannot check that the service account may reset passwords", "base", d.cfg.BaseDN, "err", err)
			}
			return nil
		}
		return err
	})
}

// findStaff returns the one entry with staffNumber; none or several is
// service.ErrNotFound. The number is normalised as everywhere else
// (api.NormalizeStaffNumber), keeping its case: the service has applied
// its case setting already, and the attribute's matching rule decides the
// rest (employeeNumber's ignores case).
func (d *Directory) findStaff(s session, staffNumber string) (*ldap.Entry, error) {
	staffNumber = api.NormalizeStaffNumber(staffNumber, api.StaffNumberCaseSensitive)
	if staffNumber == "" {
		return nil, service.ErrNotFound
	}
	filter := fmt.Sprintf("(%s=%s)", d.cfg.StaffAttr, ldap.EscapeFilter(staffNumber))
	res, err := s.Search(d.search(filter, 2))
	if ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		d.cfg.Logger.Warn("ldap: several entries have one staff number", "staff_number", staffNumber, "attr", d.cfg.StaffAttr)
		return nil, service.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	switch len(res.Entries) {
	case 1:
		return res.Entries[0], nil
	case 0:
		return nil, service.ErrNotFound
	default:
		d.cfg.Logger.Warn("ldap: several entries have one staff number", "staff_number", staffNumber, "attr", d.cfg.StaffAttr)
		return nil, service.ErrNotFound
	}
}

func (d *Directory) search(filter string, sizeLimit int) *ldap.SearchRequest {
	return ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		sizeLimit, d.timeLimit(), false, filter, d.attributes(), nil)
}

// timeLimit asks the server to give up when we would (whole seconds, at
// least one).
func (d *Directory) timeLimit() int {
	return int(math.Ceil(d.cfg.Timeout.Seconds()))
}
