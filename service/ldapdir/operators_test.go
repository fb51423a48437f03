package ldapdir_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/internal/testkit/slapdtest"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/ldapdir"
)

// Operators of the help desk in the test directory: hana is in the group,
// sam is staff but not.
var (
	hana = slapdtest.Person{UID: "hana", StaffNumber: "70000001", Name: "HO Hana", Password: "Hana-desk-2026"}
	sam  = slapdtest.Person{UID: "sam", StaffNumber: "70000002", Name: "SO Sam", Password: "Sam-staff-2026"}
)

func operatorDirectory(t *testing.T) (*slapdtest.Server, ldapdir.Config, *logBuffer) {
	t.Helper()
	s := slapdtest.Start(t)
	s.AddPeople(hana, sam)
	cfg, logs := config(t, s)
	cfg.HelpdeskGroup = s.AddGroup("it-help", hana.DN())
	return s, cfg, logs
}

func TestDirectoryOperatorsSignInAsThemselvesAndMustBeInTheGroup(t *testing.T) {
	_, cfg, logs := operatorDirectory(t)
	d := open(t, cfg)
	ctx := context.Background()

	op, err := d.AuthenticateOperator(ctx, "hana", hana.Password)
	if err != nil {
		t.Fatalf("hana: %v", err)
	}
	if op != (service.Operator{Name: "hana", Kind: service.DirectoryOperator, StaffNumber: hana.StaffNumber}) {
		t.Errorf("operator = %+v", op)
	}
	for _, tc := range []struct {
		name, user, password string
		want                 error
	}{
		{"wrong password", "hana", "not her password", service.ErrOperatorPassword},
		{"no password", "hana", "", service.ErrOperatorPassword},
		{"not in the group", "sam", sam.Password, service.ErrOperatorNotInGroup},
		{"unknown", "nobody", "whatever-it-is", service.ErrOperatorUnknown},
		{"a filter in the name", "*", hana.Password, service.ErrOperatorUnknown},
	} {
		if _, err := d.AuthenticateOperator(ctx, tc.user, tc.password); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}

	// The operators' binds leave the service account's connection as it
	// was: it still reads what only the service account may.
	if a, err := d.Account(ctx, sam.StaffNumber); err != nil || a.Name != sam.Name {
		t.Errorf("Account after the sign-ins: %+v %v", a, err)
	}
	for _, pw := range []string{hana.Password, sam.Password, "not her password"} {
		if strings.Contains(logs.String(), pw) {
			t.Errorf("the log holds the password %q", pw)
		}
	}
}

// Membership is read from the group's member attribute, so it follows the
// group as it changes.
func TestDirectoryOperatorsLeaveWithTheGroup(t *testing.T) {
	s, cfg, _ := operatorDirectory(t)
	other := s.AddGroup("other", sam.DN())
	d := open(t, cfg)
	if _, err := d.AuthenticateOperator(context.Background(), "sam", sam.Password); !errors.Is(err, service.ErrOperatorNotInGroup) {
		t.Fatalf("sam, in another group only: %v", err)
	}
	cfg.HelpdeskGroup = other
	d = open(t, cfg)
	if _, err := d.AuthenticateOperator(context.Background(), "sam", sam.Password); err != nil {
		t.Errorf("sam with his group as the help desk's: %v", err)
	}
}

func TestOperatorsAccountsAreTheGroupMembers(t *testing.T) {
	_, cfg, _ := operatorDirectory(t)
	d := open(t, cfg)
	for staff, want := range map[string]bool{hana.StaffNumber: true, sam.StaffNumber: false, "79999999": false} {
		if got, err := d.IsOperatorAccount(context.Background(), staff); err != nil || got != want {
			t.Errorf("IsOperatorAccount(%s) = %v %v, want %v", staff, got, err, want)
		}
	}
	cfg.HelpdeskGroup = ""
	if got, err := open(t, cfg).IsOperatorAccount(context.Background(), hana.StaffNumber); err != nil || got {
		t.Errorf("with no help-desk group: %v %v, want false", got, err)
	}
}

func TestNoDirectoryOperatorsWithoutAGroup(t *testing.T) {
	_, cfg, _ := operatorDirectory(t)
	cfg.HelpdeskGroup = ""
	if _, err := open(t, cfg).AuthenticateOperator(context.Background(), "hana", hana.Password); !errors.Is(err, service.ErrOperatorUnknown) {
		t.Errorf("hana with no help-desk group: %v, want ErrOperatorUnknown", err)
	}
}

func TestDirectoryOperatorsGetTheirSessionFromTheService(t *testing.T) {
	_, cfg, _ := operatorDirectory(t)
	store := storetest.SQLite(t)
	svc, err := service.New(service.DefaultConfig(), store, open(t, cfg),
		service.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)), slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := service.Client{Addr: "192.0.2.44", Reference: "REF1"}
	s, err := svc.SignInOperator(ctx, c, api.HelpdeskSignInRequest{Username: "Hana", Password: hana.Password})
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if s.Operator != (api.HelpdeskOperator{Name: "hana", Kind: "directory"}) {
		t.Errorf("operator %+v", s.Operator)
	}
	op, err := svc.OperatorOfSession(ctx, c, s.SessionToken)
	if err != nil || op.StaffNumber != hana.StaffNumber || op.Kind != service.DirectoryOperator {
		t.Errorf("the session's operator: %+v %v", op, err)
	}

	c.Reference = "REF2"
	_, err = svc.SignInOperator(ctx, c, api.HelpdeskSignInRequest{Username: "sam", Password: sam.Password})
	if api.ErrorCode(err) != api.CodeOperatorAuthFailed {
		t.Fatalf("sam: %v, want operator_auth_failed", err)
	}
	var events []service.AuditEvent
	if err := store.View(ctx, func(tx service.Tx) error {
		events, err = tx.Audit(service.AuditFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"REF1": "operator hana (directory): signed in",
		"REF2": "operator sam (directory): not a member of the help-desk group",
	}
	for _, e := range events {
		if d, ok := want[e.Reference]; ok && e.Detail == d {
			delete(want, e.Reference)
		}
	}
	if len(want) > 0 {
		t.Errorf("audit lacks %v; has %+v", want, events)
	}
}

// IT staff kept outside the staff accounts' base DN sign in when the
// operators' base DN reaches them; staff look-ups keep to the staff base.
// Outside Active Directory the name is the uid only: a down-level
// DOMAIN\name or a userPrincipalName means nothing to the directory.
func TestOperatorsAreFoundUnderTheOperatorsBaseDN(t *testing.T) {
	s := slapdtest.Start(t)
	s.AddPeople(sam)
	kaiDN := "uid=kai,ou=it," + slapdtest.BaseDN
	s.Add("dn: ou=it," + slapdtest.BaseDN + "\nobjectClass: organizationalUnit\nou: it\n\n" +
		"dn: " + kaiDN + "\nobjectClass: inetOrgPerson\nuid: kai\ncn: CHAN Kai\nsn: CHAN\n" +
		"employeeNumber: 70000009\nuserPassword: Kai-desk-2026\n")
	cfg, _ := config(t, s)
	cfg.BaseDN = slapdtest.PeopleDN
	cfg.HelpdeskGroup = s.AddGroup("it-help", kaiDN)
	ctx := context.Background()

	if _, err := open(t, cfg).AuthenticateOperator(ctx, "kai", "Kai-desk-2026"); !errors.Is(err, service.ErrOperatorUnknown) {
		t.Errorf("kai, outside the staff base, with no operators' base: %v, want ErrOperatorUnknown", err)
	}

	cfg.OperatorBaseDN = slapdtest.BaseDN
	d := open(t, cfg)
	op, err := d.AuthenticateOperator(ctx, "kai", "Kai-desk-2026")
	if err != nil || op != (service.Operator{Name: "kai", Kind: service.DirectoryOperator, StaffNumber: "70000009"}) {
		t.Errorf("kai under the operators' base: %+v %v", op, err)
	}
	for _, typed := range []string{`example\kai`, "kai@example.edu.hk"} {
		if _, err := d.AuthenticateOperator(ctx, typed, "Kai-desk-2026"); !errors.Is(err, service.ErrOperatorUnknown) {
			t.Errorf("%s outside AD: %v, want ErrOperatorUnknown", typed, err)
		}
	}
	if _, err := d.Account(ctx, "70000009"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("kai's staff number as a staff account: %v, want ErrNotFound (staff look-ups keep to the staff base)", err)
	}
	if a, err := d.Account(ctx, sam.StaffNumber); err != nil || a.Name != sam.Name {
		t.Errorf("sam, under the staff base: %+v %v", a, err)
	}
}
