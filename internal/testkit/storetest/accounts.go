package storetest

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"casreset/service"
)

var chanTaiMan = service.Account{
	StaffNumber: "T1234567",
	Name:        "Chan Tai Man",
	Mobile:      "+85291234567",
	Email:       "Chan.Tai.Man@Example.EDU.HK",
	ContractEnd: "2026-08-31",
}

var accountTests = []test{
	{"UpsertInsertsEveryField", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.UpsertAccount(chanTaiMan) })
		got := read(t, s, func(tx service.Tx) (service.Account, error) { return tx.Account(chanTaiMan.StaffNumber) })
		assertEqual(t, "account", got, chanTaiMan)
	}},
	{"MissingAccountIsNotFound", func(t *testing.T, s service.Store) {
		assertNotFound(t, s, "Account", func(tx service.Tx) error {
			_, err := tx.Account("T0000000")
			return err
		})
	}},
	{"UpsertUpdatesEveryField", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.UpsertAccount(chanTaiMan) })
		changed := service.Account{
			StaffNumber: chanTaiMan.StaffNumber,
			Name:        "Chan Siu Ming",
			Mobile:      "+85298765432",
			Email:       "csm@example.edu.hk",
			ContractEnd: "",
		}
		update(t, s, func(tx service.Tx) error { return tx.UpsertAccount(changed) })
		got := read(t, s, func(tx service.Tx) (service.Account, error) { return tx.Account(chanTaiMan.StaffNumber) })
		assertEqual(t, "account after second upsert", got, changed)
	}},
	{"UpsertLeavesPasswordChangeTimeAlone", func(t *testing.T, s service.Store) {
		// Inserting ignores the change time: only SetAccountPassword sets it.
		withTime := chanTaiMan
		withTime.PasswordChangedAt = t0
		update(t, s, func(tx service.Tx) error { return tx.UpsertAccount(withTime) })
		got := read(t, s, func(tx service.Tx) (service.Account, error) { return tx.Account(chanTaiMan.StaffNumber) })
		assertEqual(t, "account inserted with a change time", got, chanTaiMan)

		changedAt := t0.Add(3 * time.Second).In(hongKong)
		update(t, s, func(tx service.Tx) error {
			return tx.SetAccountPassword(chanTaiMan.StaffNumber, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", changedAt)
		})
		withTime.Name = "Chan Siu Ming"
		withTime.PasswordChangedAt = t0.Add(-time.Second)
		update(t, s, func(tx service.Tx) error { return tx.UpsertAccount(withTime) })

		want := chanTaiMan
		want.Name = "Chan Siu Ming"
		want.PasswordChangedAt = changedAt
		got = read(t, s, func(tx service.Tx) (service.Account, error) { return tx.Account(chanTaiMan.StaffNumber) })
		assertEqual(t, "account updated after a password change", got, want)
	}},
	{"SetPasswordOfMissingAccountIsNotFound", func(t *testing.T, s service.Store) {
		err := s.Update(t.Context(), func(tx service.Tx) error {
			return tx.SetAccountPassword("T0000000", "$argon2id$…", t0)
		})
		if !errors.Is(err, service.ErrNotFound) {
			t.Errorf("SetAccountPassword of a missing account: %v, want service.ErrNotFound", err)
		}
	}},
	{"AccountsByEmailMatchesCaseInsensitively", func(t *testing.T, s service.Store) {
		same := service.Account{StaffNumber: "T7654321", Name: "Chan Tai Man", Email: "chan.tai.man@example.edu.hk"}
		other := service.Account{StaffNumber: "T1111111", Name: "Lee", Email: "lee@example.edu.hk"}
		none := service.Account{StaffNumber: "T2222222", Name: "Wong"}
		accented := service.Account{StaffNumber: "T3333333", Name: "Élodie", Email: "Élodie@example.fr"}
		insertAccounts(t, s, chanTaiMan, same, other, none, accented)

		for _, tc := range []struct {
			query string
			want  []service.Account
		}{
			{"chan.tai.man@example.edu.hk", []service.Account{chanTaiMan, same}},
			{"CHAN.TAI.MAN@EXAMPLE.EDU.HK", []service.Account{chanTaiMan, same}},
			{"lee@example.edu.hk", []service.Account{other}},
			{"élodie@example.fr", []service.Account{accented}},
			{"nobody@example.edu.hk", nil},
			{"", nil}, // an account without e-mail is not found by an empty query
		} {
			got := read(t, s, func(tx service.Tx) ([]service.Account, error) { return tx.AccountsByEmail(tc.query) })
			assertEqual(t, "AccountsByEmail("+tc.query+")", byStaffNumber(got), tc.want)
		}
	}},
	{"AccountsByMobileMatchesExactly", func(t *testing.T, s service.Store) {
		same := service.Account{StaffNumber: "T7654321", Name: "Chan Tai Man", Mobile: chanTaiMan.Mobile}
		other := service.Account{StaffNumber: "T1111111", Name: "Lee", Mobile: "+85298765432"}
		none := service.Account{StaffNumber: "T2222222", Name: "Wong"}
		insertAccounts(t, s, chanTaiMan, same, other, none)

		for _, tc := range []struct {
			query string
			want  []service.Account
		}{
			{"+85291234567", []service.Account{chanTaiMan, same}},
			{"+85298765432", []service.Account{other}},
			{"91234567", nil},
			{"+85291234568", nil},
			{"", nil},
		} {
			got := read(t, s, func(tx service.Tx) ([]service.Account, error) { return tx.AccountsByMobile(tc.query) })
			assertEqual(t, "AccountsByMobile("+tc.query+")", byStaffNumber(got), tc.want)
		}
	}},
}

var historyTests = []test{
	{"KeepsTheNewestNewestFirst", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.AddPasswordHistory("T7654321", "other", t0, 3) })
		for i, h := range []string{"h1", "h2", "h3", "h4"} {
			update(t, s, func(tx service.Tx) error {
				return tx.AddPasswordHistory(chanTaiMan.StaffNumber, h, t0.Add(time.Duration(i)*time.Minute), 3)
			})
		}
		for _, tc := range []struct {
			n    int
			want []string
		}{
			{10, []string{"h4", "h3", "h2"}},
			{3, []string{"h4", "h3", "h2"}},
			{2, []string{"h4", "h3"}},
			{0, nil},
		} {
			got := read(t, s, func(tx service.Tx) ([]string, error) { return tx.PasswordHistory(chanTaiMan.StaffNumber, tc.n) })
			assertEqual(t, "PasswordHistory", got, tc.want)
		}
		got := read(t, s, func(tx service.Tx) ([]string, error) { return tx.PasswordHistory("T7654321", 10) })
		assertEqual(t, "another account's history", got, []string{"other"})
	}},
	{"KeepCountsRowsOfThatAccountOnly", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error {
			for i, h := range []string{"h1", "h2", "h3"} {
				if err := tx.AddPasswordHistory(chanTaiMan.StaffNumber, h, t0.Add(time.Duration(i)*time.Minute), 5); err != nil {
					return err
				}
			}
			return tx.AddPasswordHistory(chanTaiMan.StaffNumber, "h4", t0.Add(3*time.Minute), 2)
		})
		got := read(t, s, func(tx service.Tx) ([]string, error) { return tx.PasswordHistory(chanTaiMan.StaffNumber, 10) })
		assertEqual(t, "history after keeping 2", got, []string{"h4", "h3"})
	}},
	{"UnknownAccountHasNoHistory", func(t *testing.T, s service.Store) {
		got := read(t, s, func(tx service.Tx) ([]string, error) { return tx.PasswordHistory("T0000000", 3) })
		assertEqual(t, "history", got, []string(nil))
	}},
}

func insertAccounts(t *testing.T, s service.Store, accounts ...service.Account) {
	t.Helper()
	update(t, s, func(tx service.Tx) error {
		for _, a := range accounts {
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
}

// byStaffNumber sorts accounts, since no order is promised.
func byStaffNumber(list []service.Account) []service.Account {
	return slices.SortedFunc(slices.Values(list), func(a, b service.Account) int {
		return cmp.Compare(a.StaffNumber, b.StaffNumber)
	})
}
