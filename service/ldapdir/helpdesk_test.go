package ldapdir_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/ldapdir"
)

// helpdeskService is the domain over a real store and the directory of
// cfg, with a directory operator signed in: hana, of the help-desk group.
func helpdeskService(t *testing.T, cfg ldapdir.Config) (*service.Service, context.Context) {
	t.Helper()
	svc, err := service.New(service.DefaultConfig(), storetest.SQLite(t), open(t, cfg),
		service.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)), slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	c := service.Client{Addr: "192.0.2.44", Reference: "REFSIGNIN"}
	s, err := svc.SignInOperator(context.Background(), c, api.HelpdeskSignInRequest{Username: "hana", Password: hana.Password})
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	op, err := svc.OperatorOfSession(context.Background(), c, s.SessionToken)
	if err != nil {
		t.Fatalf("the session's operator: %v", err)
	}
	return svc, service.WithOperator(context.Background(), op)
}

// TestHelpdeskUnlocksTheDirectorysLockout: a directory operator unlocks
// an account that ppolicy locked after wrong passwords, and its owner can
// bind again; the operator's own account and another operator's are
// refused; a service account without the right leaves the lock, and says
// so.
func TestHelpdeskUnlocksTheDirectorysLockout(t *testing.T) {
	s, cfg, _ := operatorDirectory(t)
	lou := slapdtest.Person{UID: "lou", StaffNumber: "70000003", Name: "LO Lou", Password: "Lou-staff-2026", Mail: "lou@example.edu.hk"}
	s.AddPeople(lou)
	lockOut := func() {
		t.Helper()
		for range slapdtest.PolicyMaxFailure {
			bind(t, s, lou.DN(), "wrong-password")
		}
		if err := bind(t, s, lou.DN(), lou.Password); err == nil {
			t.Fatal("lou is not locked out after the wrong passwords")
		}
	}
	lockOut()
	svc, ctx := helpdeskService(t, cfg)
	c := service.Client{Addr: "192.0.2.44", Reference: "REFDESK"}

	view, err := svc.HelpdeskAccount(ctx, c, lou.StaffNumber)
	if err != nil || !view.LockedOut || view.Protected != "" {
		t.Fatalf("lou's page: locked out %v, protected %q, %v", view.LockedOut, view.Protected, err)
	}
	got, err := svc.HelpdeskUnlock(ctx, c, lou.StaffNumber, "Staff card seen at the desk")
	if err != nil || !got.DirectoryUnlocked || got.StillLocked {
		t.Fatalf("HelpdeskUnlock = %+v, %v", got, err)
	}
	if err := bind(t, s, lou.DN(), lou.Password); err != nil {
		t.Errorf("lou's bind after the unlock: %v", err)
	}

	_, err = svc.HelpdeskUnlock(ctx, c, hana.StaffNumber, "my own card")
	if api.ErrorCode(err) != api.CodeOperatorForbidden {
		t.Errorf("hana unlocking her own account: %v, want operator_forbidden", err)
	}
	other := service.WithOperator(context.Background(), service.Operator{Name: "wong.it", Kind: service.LocalOperator})
	if view, err := svc.HelpdeskAccount(other, c, hana.StaffNumber); err != nil || view.Protected != api.ProtectedOperator {
		t.Errorf("hana's page for another operator: protected %q, %v", view.Protected, err)
	}
	_, err = svc.HelpdeskIssuePass(other, c, hana.StaffNumber, "card seen")
	if api.ErrorCode(err) != api.CodeOperatorForbidden {
		t.Errorf("a pass for a member of the help-desk group: %v, want operator_forbidden", err)
	}

	lockOut()
	cfg.BindDN, cfg.BindPassword = slapdtest.ReaderDN, slapdtest.ReaderPassword
	svc, ctx = helpdeskService(t, cfg)
	got, err = svc.HelpdeskUnlock(ctx, c, lou.StaffNumber, "Staff card seen at the desk")
	if err != nil || got.DirectoryUnlocked || !got.StillLocked {
		t.Errorf("HelpdeskUnlock without the right = %+v, %v; want still locked", got, err)
	}
}
