package ldapdir_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/service"
	"casreset/service/ldapdir"
)

// transports are the ways to reach the test server.
func transports(s *slapdtest.Server) map[string]func(*ldapdir.Config) {
	return map[string]func(*ldapdir.Config){
		"ldap":     func(*ldapdir.Config) {},
		"starttls": func(c *ldapdir.Config) { c.StartTLS, c.CAFile = true, s.CAFile },
		"ldaps":    func(c *ldapdir.Config) { c.URL, c.CAFile = s.LDAPSURL, s.CAFile },
	}
}

func TestSetPasswordChangesWhatABindChecks(t *testing.T) {
	s := slapdtest.Start(t)
	for name, transport := range transports(s) {
		t.Run(name, func(t *testing.T) {
			p := slapdtest.Person{UID: "pw-" + name, StaffNumber: "P-" + name, Password: "Old-Passw0rd-1"}
			s.AddPeople(p)
			cfg, logs := config(t, s)
			transport(&cfg)
			d := open(t, cfg)

			const newPassword = "New-Passw0rd-2"
			if err := d.SetPassword(t.Context(), p.StaffNumber, newPassword); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			if err := bind(t, s, p.DN(), newPassword); err != nil {
				t.Errorf("bind with the new password: %v", err)
			}
			if err := bind(t, s, p.DN(), p.Password); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
				t.Errorf("bind with the old password = %v, want invalid credentials", err)
			}
			if strings.Contains(logs.String(), newPassword) {
				t.Error("the log holds the new password")
			}
		})
	}
}

func TestSetPasswordMapsTheDirectorysRefusals(t *testing.T) {
	s := slapdtest.Start(t)
	p := slapdtest.Person{UID: "refused", StaffNumber: "T4001", Password: "First-Passw0rd-1"}
	s.AddPeople(p)
	cfg, logs := config(t, s)
	d := open(t, cfg)
	if err := d.SetPassword(t.Context(), p.StaffNumber, "Second-Passw0rd-2"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, password string
		want           api.Code
	}{
		{"shorter than the directory's minimum", "Sh0rt-1", api.CodePasswordPolicy},
		{"the current password again", "Second-Passw0rd-2", api.CodePasswordReused},
		{"in the directory's history", "First-Passw0rd-1", api.CodePasswordReused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := d.SetPassword(t.Context(), p.StaffNumber, tt.password)
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != tt.want {
				t.Fatalf("SetPassword = %v, want %s", err, tt.want)
			}
			if ae.Detail == "" || strings.Contains(ae.Detail, "ppolicy") || strings.Contains(strings.ToLower(ae.Detail), "constraint") {
				t.Errorf("detail %q is not a user-safe explanation", ae.Detail)
			}
			if strings.Contains(logs.String(), tt.password) {
				t.Error("the log holds the refused password")
			}
		})
	}
	if err := bind(t, s, p.DN(), "Second-Passw0rd-2"); err != nil {
		t.Errorf("the refusals changed the password: %v", err)
	}

	t.Run("unknown staff number", func(t *testing.T) {
		if err := d.SetPassword(t.Context(), "T4999", "Third-Passw0rd-3"); !errors.Is(err, service.ErrNotFound) {
			t.Fatalf("SetPassword = %v, want ErrNotFound", err)
		}
	})

	t.Run("a service account without write access is unavailable, naming the right", func(t *testing.T) {
		cfg, _ := config(t, s)
		cfg.BindDN, cfg.BindPassword = slapdtest.ReaderDN, slapdtest.ReaderPassword
		err := open(t, cfg).SetPassword(t.Context(), p.StaffNumber, "Third-Passw0rd-3")
		var missing *service.MissingRightError
		if !errors.As(err, &missing) || !errors.Is(err, service.ErrUnavailable) {
			t.Fatalf("SetPassword = %v, want a MissingRightError", err)
		}
		if missing.Right != "write access to userPassword" || missing.On != slapdtest.BaseDN {
			t.Errorf("missing right %q on %q", missing.Right, missing.On)
		}
	})
}
