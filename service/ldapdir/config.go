package ldapdir

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config says where the directory is and how its entries are laid out.
type Config struct {
	// URL is ldap://host[:port] or ldaps://host[:port].
	URL string
	// BindDN and BindPassword are the service account's. The password
	// comes only from RESETD_LDAP_BIND_PASSWORD.
	BindDN, BindPassword string
	// BaseDN is where accounts are searched (the whole subtree).
	BaseDN string
	// StartTLS upgrades an ldap:// connection before binding.
	StartTLS bool
	// CAFile is a PEM file of the CAs that sign the directory's
	// certificate; empty means the system's roots.
	CAFile string

	// Attribute names; empty ones take the defaults below, except
	// EndDateAttr, whose default is none (no contract end date).
	StaffAttr, MobileAttr, MailAttr, NameAttr, EndDateAttr string

	// HelpdeskGroup is the DN of the group whose members may sign in to
	// the help desk with their directory password; empty means no
	// directory operators. UsernameAttr is the attribute they sign in
	// with (DefaultUsernameAttr, or DefaultADUsernameAttr under AD).
	HelpdeskGroup, UsernameAttr string
	// OperatorBaseDN is where help-desk operators are searched (the whole
	// subtree); BaseDN when empty. Set it, e.g. to the domain's root, when
	// IT staff are kept outside the staff accounts' unit. Staff look-ups
	// stay under BaseDN.
	OperatorBaseDN string

	// AD selects Active Directory: passwords are written to unicodePwd,
	// which needs an encrypted connection (ldaps:// or StartTLS).
	AD bool

	// Timeout bounds every operation, connecting and binding included
	// (DefaultTimeout when zero).
	Timeout time.Duration

	// Location is the organisation's time zone, in which a generalizedTime
	// end date becomes a calendar date (Asia/Hong_Kong when nil).
	Location *time.Location
	// Logger receives the causes of directory failures, which users only
	// see as "unavailable" (slog.Default() when nil). It never receives a
	// password.
	Logger *slog.Logger
}

// Defaults of the attribute names and the timeout.
const (
	DefaultStaffAttr  = "employeeNumber"
	DefaultMobileAttr = "mobile"
	DefaultMailAttr   = "mail"
	DefaultNameAttr   = "cn"
	DefaultTimeout    = 5 * time.Second

	DefaultUsernameAttr   = "uid"
	DefaultADUsernameAttr = "sAMAccountName"
)

// withDefaults fills in the defaults and checks what cannot work.
func (c Config) withDefaults() (Config, error) {
	c.StaffAttr = orDefault(c.StaffAttr, DefaultStaffAttr)
	c.MobileAttr = orDefault(c.MobileAttr, DefaultMobileAttr)
	c.MailAttr = orDefault(c.MailAttr, DefaultMailAttr)
	c.NameAttr = orDefault(c.NameAttr, DefaultNameAttr)
	c.EndDateAttr = strings.TrimSpace(c.EndDateAttr)
	c.HelpdeskGroup = strings.TrimSpace(c.HelpdeskGroup)
	if c.AD {
		c.UsernameAttr = orDefault(c.UsernameAttr, DefaultADUsernameAttr)
	} else {
		c.UsernameAttr = orDefault(c.UsernameAttr, DefaultUsernameAttr)
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Location == nil {
		c.Location = hongKong()
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}

	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return c, fmt.Errorf("ldapdir: the URL %q is not ldap://host[:port] or ldaps://host[:port]", c.URL)
	}
	switch u.Scheme {
	case "ldap":
	case "ldaps":
		if c.StartTLS {
			return c, errors.New("ldapdir: StartTLS applies to ldap:// URLs; ldaps:// is encrypted already")
		}
	default:
		return c, fmt.Errorf("ldapdir: the URL scheme %q is not ldap or ldaps", u.Scheme)
	}
	if c.AD && u.Scheme == "ldap" && !c.StartTLS {
		return c, errors.New("ldapdir: Active Directory accepts passwords only over an encrypted connection: use ldaps:// or StartTLS")
	}
	if c.BindDN == "" || c.BindPassword == "" {
		return c, errors.New("ldapdir: the service account's bind DN and password are required")
	}
	if c.BaseDN == "" {
		return c, errors.New("ldapdir: the base DN is required")
	}
	c.OperatorBaseDN = orDefault(c.OperatorBaseDN, c.BaseDN)
	return c, nil
}

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

func hongKong() *time.Location {
	if loc, err := time.LoadLocation("Asia/Hong_Kong"); err == nil {
		return loc
	}
	return time.FixedZone("HKT", 8*3600) // Hong Kong has no daylight saving
}

// endpoint is where and how to connect, worked out once from Config.
type endpoint struct {
	network, addr string
	implicitTLS   bool // ldaps://
	startTLS      bool
	tls           *tls.Config
}

func newEndpoint(c Config) (endpoint, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return endpoint{}, fmt.Errorf("ldapdir: %w", err)
	}
	ep := endpoint{network: "tcp", implicitTLS: u.Scheme == "ldaps", startTLS: c.StartTLS}
	port := u.Port()
	if port == "" {
		port = "389"
		if ep.implicitTLS {
			port = "636"
		}
	}
	ep.addr = net.JoinHostPort(u.Hostname(), port)
	if ep.implicitTLS || ep.startTLS {
		// TLS 1.2 is the floor rather than our own ends' 1.3: directory
		// servers, Active Directory above all, often stop at 1.2.
		ep.tls = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
		if c.CAFile != "" {
			pemBytes, err := os.ReadFile(c.CAFile)
			if err != nil {
				return endpoint{}, fmt.Errorf("ldapdir: reading the CA file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pemBytes) {
				return endpoint{}, fmt.Errorf("ldapdir: the CA file %s holds no PEM certificate", c.CAFile)
			}
			ep.tls.RootCAs = pool
		}
	}
	return ep, nil
}
