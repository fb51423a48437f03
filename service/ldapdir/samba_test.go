package ldapdir_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/internal/testkit/sambatest"
	"casreset/service"
	"casreset/service/httpapi"
	"casreset/service/ldapdir"
)

// The tests named TestSamba run against a real Active Directory: the Samba
// AD DC of sambatest, shared by the test binary, as README's example
// configures resetd (ldaps://, --ldap-ad, the staff OU as base DN, the
// least-privilege service account).

// adConfig is a Config for dc as the account bindDN.
func adConfig(t *testing.T, dc *sambatest.DC, bindDN, password string) (ldapdir.Config, *logBuffer) {
	t.Helper()
	logs := &logBuffer{out: t.Output()}
	return ldapdir.Config{
		URL:          dc.LDAPSURL,
		CAFile:       dc.CAFile,
		BindDN:       bindDN,
		BindPassword: password,
		BaseDN:       sambatest.StaffDN,
		StaffAttr:    sambatest.StaffAttr,
		NameAttr:     "displayName",
		AD:           true,
		Timeout:      10 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(logs, nil)),
	}, logs
}

// kinitWorks reports whether the KDC gives p a ticket for password.
func kinitWorks(t *testing.T, dc *sambatest.DC, p sambatest.Person, password string) bool {
	t.Helper()
	_, err := dc.Kinit(p.Principal(), password)
	return err == nil
}

func TestSambaWholeFlowWithTheLeastPrivilegedAccount(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{Name: "Chan Tai Man", Mobile: "(+852) 9123 4011",
		Mail: "chan.tai.man@example.edu.hk", Password: "Old-Passw0rd-1"})
	cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	h := newFlowHarnessOn(t, open(t, cfg))
	ctx := t.Context()

	if err := h.svc.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	res, err := h.start(p.StaffNumber)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	want := api.ChannelInfo{Channel: api.ChannelSMS, Destination: "9*** **11"}
	if len(res.Channels) != 2 || res.Channels[0] != want {
		t.Errorf("channels = %+v, want SMS %+v first (the mobile as AD stores it)", res.Channels, want)
	}

	token := h.verified(p.StaffNumber, "+85291234011")
	const newPassword = "Harbour-Lights-2031"
	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: newPassword}); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if err := dc.Bind(p.DN(), newPassword); err != nil {
		t.Errorf("LDAP bind with the new password: %v", err)
	}
	if err := dc.Bind(p.DN(), p.Password); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("LDAP bind with the old password = %v, want invalid credentials", err)
	}
	if !kinitWorks(t, dc, p, newPassword) {
		t.Error("kinit with the new password failed")
	}
	if kinitWorks(t, dc, p, p.Password) {
		t.Error("kinit with the old password succeeded")
	}

	t.Run("Chinese and 128-character passwords", func(t *testing.T) {
		for _, pw := range []string{"海港城-Passw0rd-密碼", strings.Repeat("Aa1-", 32)} {
			token := h.verified(p.StaffNumber, "+85291234011")
			if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: pw}); err != nil {
				t.Fatalf("SetPassword(%d characters): %v", len([]rune(pw)), err)
			}
			if err := dc.Bind(p.DN(), pw); err != nil {
				t.Errorf("LDAP bind with the %d-character password: %v", len([]rune(pw)), err)
			}
			if !kinitWorks(t, dc, p, pw) {
				t.Errorf("kinit with the %d-character password failed", len([]rune(pw)))
			}
		}
	})

	t.Run("the person is found by the mobile as AD stores it", func(t *testing.T) {
		dir := open(t, cfg)
		accounts, err := dir.AccountsByContact(ctx, "+85291234011")
		if err != nil || len(accounts) != 1 || accounts[0].StaffNumber != p.StaffNumber {
			t.Errorf("AccountsByContact = %+v, %v; want %s", accounts, err, p.StaffNumber)
		}
	})
}

func TestSambaServiceAccountWithoutTheRight(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{Mobile: "9123 4012"})
	cfg, dirLogs := adConfig(t, dc, sambatest.NoRightDN, sambatest.NoRightPassword)
	dir := open(t, cfg)
	ctx := t.Context()

	t.Run("Ping names the missing right", func(t *testing.T) {
		err := dir.Ping(ctx)
		var missing *service.MissingRightError
		if !errors.As(err, &missing) || missing.Right != "Reset Password" || missing.On != sambatest.StaffDN {
			t.Fatalf("Ping = %v, want Reset Password missing on %s", err, sambatest.StaffDN)
		}
		if strings.Contains(dirLogs.String(), "unavailable") {
			t.Errorf("a missing right was logged as the directory being down:\n%s", dirLogs)
		}
	})

	t.Run("the change is unavailable to the person and the log names the right", func(t *testing.T) {
		h := newFlowHarnessOn(t, dir)
		err := h.svc.Ready(ctx)
		if api.ErrorCode(err) != api.CodeUnavailable || !strings.Contains(err.Error(), `"Reset Password"`) {
			t.Errorf("Ready = %v, want unavailable naming Reset Password", err)
		}
		if strings.Contains(err.Error(), sambatest.StaffDN) {
			t.Errorf("Ready's answer %q shows the base DN, which is for the log", err)
		}

		token := h.verified(p.StaffNumber, "+85291234012")
		_, err = h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Harbour-Lights-2032"})
		if code := api.ErrorCode(err); code != api.CodeUnavailable || code.Status() != 503 {
			t.Fatalf("SetPassword = %v, want unavailable (503)", err)
		}
		logs := h.logs.String()
		if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, `right="Reset Password"`) ||
			!strings.Contains(logs, "on="+`"`+sambatest.StaffDN+`"`) {
			t.Errorf("the service's log does not name the right and where it is missing:\n%s", logs)
		}
		if err := dc.Bind(p.DN(), p.Password); err != nil {
			t.Errorf("the person's password changed after all: %v", err)
		}
		if strings.Contains(logs+dirLogs.String(), "Harbour-Lights-2032") {
			t.Error("a password reached the log")
		}

		srv := httptest.NewServer(httpapi.New(h.svc, httpapi.Options{}))
		defer srv.Close()
		res, err := srv.Client().Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 503 || !strings.Contains(string(body), `\"Reset Password\"`) {
			t.Errorf("GET /readyz = %d %s, want 503 naming Reset Password", res.StatusCode, body)
		}
	})

	t.Run("the least-privileged account passes the check", func(t *testing.T) {
		cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
		if err := open(t, cfg).Ping(ctx); err != nil {
			t.Errorf("Ping as the service account: %v", err)
		}
		cfg, _ = adConfig(t, dc, sambatest.AdminDN, sambatest.AdminPassword)
		if err := open(t, cfg).Ping(ctx); err != nil {
			t.Errorf("Ping as the administrator (through Domain Admins): %v", err)
		}
	})
}
