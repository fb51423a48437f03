package storetest

import (
	"errors"
	"testing"
	"time"

	"casreset/service"
)

var operatorAlice = service.OperatorAccount{
	Name: "alice", StaffNumber: "T1234567", PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
	TOTPSecret: []byte{1, 2, 3, 0, 255}, CreatedAt: t0, UpdatedAt: t0.Add(time.Second).In(hongKong),
}

var sessionOfAlice = service.OperatorSession{
	ID: "5e55", Operator: "alice", Kind: service.LocalOperator, ClientAddr: "192.0.2.7",
	CreatedAt: t0, LastUsedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(16 * time.Minute).In(hongKong),
}

var helpdeskAuthTests = []test{
	{"OperatorRoundTrip", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(operatorAlice) })
		got := read(t, s, func(tx service.Tx) (service.OperatorAccount, error) { return tx.Operator("alice") })
		assertEqual(t, "operator", got, operatorAlice)
		assertNotFound(t, s, "Operator(bob)", func(tx service.Tx) error { _, err := tx.Operator("bob"); return err })
	}},
	{"OperatorNameIsTakenOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(operatorAlice) })
		other := operatorAlice
		other.PasswordHash = "another"
		err := s.Update(t.Context(), func(tx service.Tx) error { return tx.InsertOperator(other) })
		if !errors.Is(err, service.ErrOperatorExists) {
			t.Fatalf("second insert: %v, want ErrOperatorExists", err)
		}
		got := read(t, s, func(tx service.Tx) (service.OperatorAccount, error) { return tx.Operator("alice") })
		assertEqual(t, "operator after the refused insert", got, operatorAlice)
	}},
	{"OperatorsAreListedByName", func(t *testing.T, s service.Store) {
		for _, name := range []string{"carol", "alice", "bob"} {
			o := operatorAlice
			o.Name = name
			update(t, s, func(tx service.Tx) error { return tx.InsertOperator(o) })
		}
		list := read(t, s, func(tx service.Tx) ([]service.OperatorAccount, error) { return tx.Operators() })
		var names []string
		for _, o := range list {
			names = append(names, o.Name)
		}
		assertEqual(t, "names", names, []string{"alice", "bob", "carol"})
	}},
	{"OperatorsByTheirOwnStaffNumber", func(t *testing.T, s service.Store) {
		for _, o := range []struct{ name, staff string }{{"carol", "T7654321"}, {"alice", "T1234567"}, {"bob", ""}, {"dave", "T1234567"}} {
			op := operatorAlice
			op.Name, op.StaffNumber = o.name, o.staff
			update(t, s, func(tx service.Tx) error { return tx.InsertOperator(op) })
		}
		for staff, want := range map[string][]string{"T1234567": {"alice", "dave"}, "T7654321": {"carol"}, "t1234567": nil, "": nil} {
			list := read(t, s, func(tx service.Tx) ([]service.OperatorAccount, error) { return tx.OperatorsWithStaffNumber(staff) })
			var names []string
			for _, o := range list {
				names = append(names, o.Name)
			}
			assertEqual(t, "operators of "+staff, names, want)
		}
	}},
	{"TOTPStepIsUsedOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(operatorAlice) })
		use := func(step int64) bool {
			return updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.UseOperatorTOTPStep("alice", step, t0.Add(time.Hour)) })
		}
		if !use(100) {
			t.Error("step 100, the first: refused")
		}
		if use(100) {
			t.Error("step 100 again: accepted")
		}
		if use(99) {
			t.Error("step 99, before the last used: accepted")
		}
		if !use(101) {
			t.Error("step 101: refused")
		}
		got := read(t, s, func(tx service.Tx) (service.OperatorAccount, error) { return tx.Operator("alice") })
		if got.TOTPLastStep != 101 || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("last step %d updated %v, want 101 at %v", got.TOTPLastStep, got.UpdatedAt, t0.Add(time.Hour))
		}
		if updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.UseOperatorTOTPStep("nobody", 200, t0) }) {
			t.Error("a step of an operator that does not exist: accepted")
		}
	}},
	{"ConcurrentUsesOfOneTOTPStep", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(operatorAlice) })
		got := concurrently(t, 8, func(int) (bool, error) {
			var fresh bool
			err := s.Update(t.Context(), func(tx service.Tx) (err error) {
				fresh, err = tx.UseOperatorTOTPStep("alice", 42, t0)
				return err
			})
			return fresh, err
		})
		if n := count(got, true); n != 1 {
			t.Errorf("%d of 8 concurrent uses of one step succeeded, want 1", n)
		}
	}},
	{"NewTOTPSecretForgetsTheLastStep", func(t *testing.T, s service.Store) {
		o := operatorAlice
		o.TOTPLastStep = 500
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(o) })
		update(t, s, func(tx service.Tx) error { return tx.SetOperatorTOTP("alice", []byte("new"), t0.Add(time.Hour)) })
		got := read(t, s, func(tx service.Tx) (service.OperatorAccount, error) { return tx.Operator("alice") })
		want := o
		want.TOTPSecret, want.TOTPLastStep, want.UpdatedAt = []byte("new"), 0, t0.Add(time.Hour)
		assertEqual(t, "operator", got, want)
		err := s.Update(t.Context(), func(tx service.Tx) error { return tx.SetOperatorTOTP("bob", []byte("x"), t0) })
		if !isNotFound(err) {
			t.Errorf("SetOperatorTOTP(bob): %v, want ErrNotFound", err)
		}
	}},
	{"DeleteOperator", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertOperator(operatorAlice) })
		update(t, s, func(tx service.Tx) error { return tx.DeleteOperator("alice") })
		assertNotFound(t, s, "Operator after delete", func(tx service.Tx) error { _, err := tx.Operator("alice"); return err })
		if err := s.Update(t.Context(), func(tx service.Tx) error { return tx.DeleteOperator("alice") }); !isNotFound(err) {
			t.Errorf("second delete: %v, want ErrNotFound", err)
		}
	}},
	{"SessionRoundTripAndTouch", func(t *testing.T, s service.Store) {
		dir := sessionOfAlice
		dir.ID, dir.Operator, dir.Kind, dir.StaffNumber = "d1", "bob", service.DirectoryOperator, "T1234567"
		update(t, s, func(tx service.Tx) error {
			if err := tx.InsertOperatorSession(sessionOfAlice); err != nil {
				return err
			}
			return tx.InsertOperatorSession(dir)
		})
		got := read(t, s, func(tx service.Tx) (service.OperatorSession, error) { return tx.OperatorSession("5e55") })
		assertEqual(t, "session", got, sessionOfAlice)
		got = read(t, s, func(tx service.Tx) (service.OperatorSession, error) { return tx.OperatorSession("d1") })
		assertEqual(t, "directory operator's session", got, dir)

		used, expires := t0.Add(10*time.Minute), t0.Add(25*time.Minute)
		update(t, s, func(tx service.Tx) error { return tx.TouchOperatorSession("5e55", used, expires) })
		got = read(t, s, func(tx service.Tx) (service.OperatorSession, error) { return tx.OperatorSession("5e55") })
		want := sessionOfAlice
		want.LastUsedAt, want.ExpiresAt = used, expires
		assertEqual(t, "touched session", got, want)
		if err := s.Update(t.Context(), func(tx service.Tx) error { return tx.TouchOperatorSession("nope", used, expires) }); !isNotFound(err) {
			t.Errorf("touch of an unknown session: %v, want ErrNotFound", err)
		}
		assertNotFound(t, s, "OperatorSession(nope)", func(tx service.Tx) error { _, err := tx.OperatorSession("nope"); return err })
	}},
	{"SessionsEnd", func(t *testing.T, s service.Store) {
		for i, id := range []string{"a1", "a2", "b1"} {
			sess := sessionOfAlice
			sess.ID = id
			if i == 2 {
				sess.Operator = "bob"
			}
			update(t, s, func(tx service.Tx) error { return tx.InsertOperatorSession(sess) })
		}
		if !updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.DeleteOperatorSession("a1") }) {
			t.Error("DeleteOperatorSession(a1): false, want true")
		}
		if updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.DeleteOperatorSession("a1") }) {
			t.Error("DeleteOperatorSession(a1) again: true, want false")
		}
		if n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.DeleteOperatorSessions("alice") }); n != 1 {
			t.Errorf("DeleteOperatorSessions(alice) = %d, want 1", n)
		}
		read(t, s, func(tx service.Tx) (service.OperatorSession, error) { return tx.OperatorSession("b1") })
	}},
	{"PurgeOperatorSessions", func(t *testing.T, s service.Store) {
		for _, id := range []string{"old", "live"} {
			sess := sessionOfAlice
			sess.ID = id
			if id == "old" {
				sess.ExpiresAt = t0.Add(time.Minute)
			}
			update(t, s, func(tx service.Tx) error { return tx.InsertOperatorSession(sess) })
		}
		if n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.PurgeOperatorSessions(t0.Add(2 * time.Minute)) }); n != 1 {
			t.Errorf("PurgeOperatorSessions = %d, want 1", n)
		}
		assertNotFound(t, s, "the expired session", func(tx service.Tx) error { _, err := tx.OperatorSession("old"); return err })
		read(t, s, func(tx service.Tx) (service.OperatorSession, error) { return tx.OperatorSession("live") })
	}},
}
