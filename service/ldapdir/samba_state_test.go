package ldapdir_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/sambatest"
	"casreset/service"
	"casreset/service/ldapdir"
)

// countingDirectory is the real directory, counting the password writes it
// is asked for; the embedding keeps its other interfaces (AccountUnlocker,
// PolicyReader).
type countingDirectory struct {
	*ldapdir.Directory
	writes atomic.Int32
}

func (d *countingDirectory) SetPassword(ctx context.Context, staffNumber, password string) error {
	d.writes.Add(1)
	return d.Directory.SetPassword(ctx, staffNumber, password)
}

// remindersQueued is how many staff-number reminders the service queued.
func (h *flowHarness) remindersQueued() int {
	h.t.Helper()
	n := 0
	err := h.store.Update(h.t.Context(), func(tx service.Tx) error {
		far := time.Now().AddDate(10, 0, 0)
		msgs, err := tx.ClaimMessages("test-reminders", far, far.Add(time.Minute), 1000)
		for _, m := range msgs {
			if m.Kind == service.MessageReminder {
				n++
			}
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *flowHarness) remind(contact string) {
	h.t.Helper()
	ctx := h.t.Context()
	c, err := h.svc.NewCaptcha(ctx, h.client)
	if err != nil {
		h.t.Fatalf("NewCaptcha: %v", err)
	}
	if err := h.svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: contact, CaptchaID: c.CaptchaID, CaptchaAnswer: testCaptchaAnswer}); err != nil {
		h.t.Fatalf("RemindStaffNumber(%s): %v", contact, err)
	}
}

func TestSambaAccountStateDecidesTheFlow(t *testing.T) {
	dc := sambatest.Shared(t)
	cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	h := newFlowHarnessOn(t, open(t, cfg))
	ctx := t.Context()

	t.Run("a disabled account is refused at step 1 and gets no reminder", func(t *testing.T) {
		p := dc.AddStaff(t, sambatest.Person{Disabled: true, Mobile: "9123 4021"})
		if _, err := h.start(p.StaffNumber); api.ErrorCode(err) != api.CodeAccountDisabled {
			t.Errorf("Start = %v, want account_disabled", err)
		}
		h.remind("+85291234021")
		if n := h.remindersQueued(); n != 0 {
			t.Errorf("%d reminders queued for a disabled account", n)
		}
	})

	t.Run("an account past accountExpires is refused and gets no reminder", func(t *testing.T) {
		// Before the service's clock (2026-11-27) and the directory's.
		p := dc.AddStaff(t, sambatest.Person{Expires: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Mobile: "9123 4022"})
		if _, err := h.start(p.StaffNumber); api.ErrorCode(err) != api.CodeAccountExpired {
			t.Errorf("Start = %v, want account_expired", err)
		}
		h.remind("+85291234022")
		if n := h.remindersQueued(); n != 0 {
			t.Errorf("%d reminders queued for an expired account", n)
		}
	})

	t.Run("a staff number on two entries starts no flow and gets no reminder", func(t *testing.T) {
		a := dc.AddStaff(t, sambatest.Person{Mobile: "9123 4023"})
		dc.AddStaff(t, sambatest.Person{StaffNumber: a.StaffNumber, Mobile: "9123 4024"})
		if _, err := h.start(a.StaffNumber); api.ErrorCode(err) != api.CodeAccountNotFound {
			t.Errorf("Start = %v, want account_not_found", err)
		}
		h.remind("+85291234023")
		if n := h.remindersQueued(); n != 0 {
			t.Errorf("%d reminders queued for a shared staff number", n)
		}
	})

	t.Run("an account in good standing gets its reminder", func(t *testing.T) {
		dc.AddStaff(t, sambatest.Person{Mobile: "(852) 9123-4025"})
		h.remind("+85291234025")
		if n := h.remindersQueued(); n != 1 {
			t.Errorf("%d reminders queued, want 1", n)
		}
	})

	t.Run("a locked account logs in right after its reset", func(t *testing.T) {
		p := dc.AddStaff(t, sambatest.Person{Mobile: "9123 4026"})
		dc.LockOut(t, p)
		token := h.verified(p.StaffNumber, "+85291234026")
		const newPassword = "Harbour-Lights-2033"
		res, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: newPassword})
		if err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		if res.StillLocked {
			t.Error("still_locked, but the service account may unlock")
		}
		if lt := dc.Attr(t, p.DN(), "lockoutTime"); lt != "0" {
			t.Errorf("lockoutTime = %q after the change, want 0", lt)
		}
		if err := dc.Bind(p.DN(), newPassword); err != nil {
			t.Errorf("LDAP bind right after the reset: %v", err)
		}
		if !kinitWorks(t, dc, p, newPassword) {
			t.Error("kinit right after the reset failed")
		}
	})
}

func TestSambaDomainPolicyIsCheckedBeforeTheDirectory(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{Name: "Chan Tai Man", Mobile: "9123 4031"})
	cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	dir := &countingDirectory{Directory: open(t, cfg)}
	h := newFlowHarnessOn(t, dir)
	ctx := t.Context()

	token := h.verified(p.StaffNumber, "+85291234031")
	flow, err := h.svc.Flow(ctx, h.client, token)
	if err != nil {
		t.Fatalf("Flow: %v", err)
	}
	if flow.Policy == nil {
		t.Fatal("the flow carries no policy")
	}
	for _, rule := range []api.RuleID{api.RuleNeedsThreeClasses, api.RuleContainsAccountName} {
		if !slices.Contains(flow.Policy.Rules, rule) {
			t.Errorf("the flow's policy lists %v, not %s (the domain's complexity)", flow.Policy.Rules, rule)
		}
	}
	if flow.Policy.MinLength < sambatest.PolicyMinLength {
		t.Errorf("the flow's minimum length is %d, below the domain's %d", flow.Policy.MinLength, sambatest.PolicyMinLength)
	}

	for _, tc := range []struct {
		password string
		rule     api.RuleID
	}{
		{"abcdefgh12", api.RuleNeedsThreeClasses},
		{p.Account + "-Harbour-9", api.RuleContainsAccountName}, // the sAMAccountName, in another case
		{"Chan-Harbour-2031", api.RuleContainsAccountName},      // a part of the display name
	} {
		_, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: tc.password})
		var ae *api.Error
		if api.ErrorCode(err) != api.CodePasswordPolicy || !errors.As(err, &ae) || !slices.Contains(ae.Violations, tc.rule) {
			t.Errorf("SetPassword(%q) = %v, want password_policy naming %s", tc.password, err, tc.rule)
		}
	}
	if n := dir.writes.Load(); n != 0 {
		t.Errorf("the directory was asked %d times for passwords the policy refuses", n)
	}

	if _, err := h.svc.SetPassword(ctx, h.client, token, api.PasswordRequest{NewPassword: "Harbour-Lights-2034"}); err != nil {
		t.Fatalf("SetPassword with a good password: %v", err)
	}
	if err := dc.Bind(p.DN(), "Harbour-Lights-2034"); err != nil {
		t.Errorf("bind with the new password: %v", err)
	}
}

func TestSambaALockedAccountStaysLockedWhenTheServiceAccountMayNotUnlock(t *testing.T) {
	dc := sambatest.Shared(t)
	p := dc.AddStaff(t, sambatest.Person{Mobile: "9123 4041"})
	dc.LockOut(t, p)
	cfg, _ := adConfig(t, dc, sambatest.ResetOnlyDN, sambatest.ResetOnlyPassword)
	h := newFlowHarnessOn(t, open(t, cfg))

	token := h.verified(p.StaffNumber, "+85291234041")
	res, err := h.svc.SetPassword(t.Context(), h.client, token, api.PasswordRequest{NewPassword: "Harbour-Lights-2035"})
	if err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if !res.StillLocked {
		t.Error("the answer does not say the account is still locked")
	}
	if err := dc.Bind(p.DN(), "Harbour-Lights-2035"); err == nil {
		t.Error("the locked account logged in")
	}
	// IT Help unlocks it: the new password is the one set.
	dc.Replace(t, p.DN(), "lockoutTime", "0")
	if err := dc.Bind(p.DN(), "Harbour-Lights-2035"); err != nil {
		t.Errorf("bind once unlocked: %v", err)
	}
}

// A member of a protected group is privileged at once, through nested
// groups too, whether or not adminCount was set: Samba never sets it and
// Windows only when SDProp next runs.
func TestSambaMembersOfProtectedGroupsArePrivileged(t *testing.T) {
	dc := sambatest.Shared(t)
	domainAdmin, schemaAdmin, backup, marked, teacher := dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{}),
		dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{}), dc.AddStaff(t, sambatest.Person{})
	dc.AddMember(t, sambatest.DomainAdminsDN, domainAdmin.DN())
	dc.AddMember(t, "CN=Schema Admins,CN=Users,"+sambatest.BaseDN, dc.AddGroup(t, "Schema Team", schemaAdmin.DN()))
	dc.AddMember(t, "CN=Backup Operators,CN=Builtin,"+sambatest.BaseDN, backup.DN())
	// AD leaves adminCount=1 on an account that left its protected
	// groups; the account stays privileged.
	dc.Replace(t, marked.DN(), "adminCount", "1")
	if got := dc.Attr(t, domainAdmin.DN(), "adminCount"); got != "" {
		t.Fatalf("Samba set adminCount=%q on a new Domain Admin: the case this test is about no longer arises", got)
	}
	cfg, _ := adConfig(t, dc, sambatest.ServiceDN, sambatest.ServicePassword)
	d := open(t, cfg)
	for _, tc := range []struct {
		name string
		p    sambatest.Person
		want bool
	}{
		{"a new Domain Admin", domainAdmin, true},
		{"in a group in Schema Admins", schemaAdmin, true},
		{"a Backup Operator", backup, true},
		{"adminCount=1 alone", marked, true},
		{"a teacher", teacher, false},
	} {
		a, err := d.Account(t.Context(), tc.p.StaffNumber)
		if err != nil || a.Privileged != tc.want {
			t.Errorf("%s: privileged %v, %v; want %v", tc.name, a.Privileged, err, tc.want)
		}
	}
}
