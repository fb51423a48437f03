package ldapdir_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/internal/testkit/slapdtest"
	"casreset/service"
)

// ppolicy's lockout as the directory reads it: a real lockout after wrong
// passwords, and an administrator's disabling.
func TestPPolicyStateAndUnlock(t *testing.T) {
	s := slapdtest.Start(t)
	locked := slapdtest.Person{UID: "locked", StaffNumber: "T5001", Password: "Locked-Passw0rd-1"}
	disabled := slapdtest.Person{UID: "disabled", StaffNumber: "T5002", Password: "Disabled-Passw0rd-1"}
	fine := slapdtest.Person{UID: "fine", StaffNumber: "T5003", Password: "Fine-Passw0rd-1"}
	s.AddPeople(locked, disabled, fine)
	for range slapdtest.PolicyMaxFailure {
		if err := bind(t, s, locked.DN(), "wrong-password"); err == nil {
			t.Fatal("a wrong password bound")
		}
	}
	if err := bind(t, s, locked.DN(), locked.Password); err == nil {
		t.Fatal("the entry is not locked out after the wrong passwords")
	}
	s.SetLockedTime(disabled.DN(), slapdtest.DisabledTime)

	cfg, _ := config(t, s)
	d := open(t, cfg)
	ctx := t.Context()
	for _, tt := range []struct {
		p                 slapdtest.Person
		disabled, lockout bool
	}{{locked, false, true}, {disabled, true, false}, {fine, false, false}} {
		a, err := d.Account(ctx, tt.p.StaffNumber)
		if err != nil {
			t.Fatal(err)
		}
		if a.Disabled != tt.disabled || a.LockedOut != tt.lockout {
			t.Errorf("%s: disabled %v, locked out %v", tt.p.UID, a.Disabled, a.LockedOut)
		}
	}
	t.Run("when the password was set", func(t *testing.T) {
		if err := d.SetPassword(ctx, fine.StaffNumber, "Fine-Passw0rd-2"); err != nil {
			t.Fatal(err)
		}
		a, err := d.Account(ctx, fine.StaffNumber)
		if err != nil || a.PasswordSetAt.IsZero() || time.Since(a.PasswordSetAt) > time.Minute {
			t.Errorf("PasswordSetAt = %v (%v), want the change's time (pwdChangedTime)", a.PasswordSetAt, err)
		}
	})

	t.Run("a service account without the right may not unlock", func(t *testing.T) {
		cfg, _ := config(t, s)
		cfg.BindDN, cfg.BindPassword = slapdtest.ReaderDN, slapdtest.ReaderPassword
		if err := open(t, cfg).UnlockAccount(ctx, locked.StaffNumber); !errors.Is(err, service.ErrUnlockNotPermitted) {
			t.Errorf("UnlockAccount = %v, want ErrUnlockNotPermitted", err)
		}
	})

	if err := d.UnlockAccount(ctx, locked.StaffNumber); err != nil {
		t.Fatalf("UnlockAccount: %v", err)
	}
	if err := bind(t, s, locked.DN(), locked.Password); err != nil {
		t.Errorf("bind after the unlock: %v", err)
	}
	if a, _ := d.Account(ctx, locked.StaffNumber); a.LockedOut {
		t.Error("still locked out after the unlock")
	}
	if err := d.UnlockAccount(ctx, fine.StaffNumber); err != nil {
		t.Errorf("unlocking an account that is not locked: %v", err)
	}
	if err := d.UnlockAccount(ctx, disabled.StaffNumber); err != nil {
		t.Errorf("unlocking a disabled account: %v", err)
	}
	if a, _ := d.Account(ctx, disabled.StaffNumber); !a.Disabled {
		t.Error("unlocking enabled a disabled account")
	}
	if err := bind(t, s, disabled.DN(), disabled.Password); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("bind to the disabled account = %v, want invalid credentials", err)
	}
	if err := d.UnlockAccount(ctx, "T5999"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("unlocking an unknown number = %v, want ErrNotFound", err)
	}
}

// A directory that does not take the policy hints control (slapd, like
// Samba 4.17) is said once in the log, when first reached, under --ldap-ad;
// its history then never reaches the account's policy.
func TestWithoutPolicyHintsTheLogSaysSoOnce(t *testing.T) {
	s := slapdtest.Start(t)
	p := slapdtest.Person{UID: "hints", StaffNumber: "T5101", Password: "Hints-Passw0rd-1"}
	s.AddPeople(p)
	cfg, logs := config(t, s)
	cfg.AD, cfg.URL, cfg.CAFile = true, s.LDAPSURL, s.CAFile
	d := open(t, cfg)
	for range 2 {
		if err := d.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	pol, err := d.PasswordPolicy(t.Context(), p.StaffNumber)
	if err != nil {
		t.Fatal(err)
	}
	if pol.History != 0 || pol.MinAge != 0 {
		t.Errorf("policy %+v: a history or minimum age the directory does not apply to resets", pol)
	}
	if n := strings.Count(logs.String(), "policy hints control"); n != 1 {
		t.Errorf("the log says %d times that the hints are missing, want once:\n%s", n, logs.String())
	}
}
