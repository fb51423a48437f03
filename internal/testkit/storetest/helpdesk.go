package storetest

import (
	"testing"
	"time"

	"casreset/service"
)

var verification = service.CallerVerification{
	Operator:      "local:wong.it",
	StaffNumber:   "T1234567",
	Channel:       "sms",
	CodeHMAC:      []byte{0x00, 0x42, 0xff},
	CodeExpiresAt: t0.Add(10 * time.Minute),
	CodeSentAt:    t0,
	WrongCodes:    2,
	ExpiresAt:     t0.Add(10 * time.Minute),
	MessageID:     17,
}

var pass = service.HelpdeskPass{
	StaffNumber: "T1234567",
	PassHMAC:    []byte{0x01, 0x00, 0xfe},
	Operator:    "directory:chan.it",
	Reference:   "ref-pass",
	CreatedAt:   t0,
	ExpiresAt:   t0.Add(15 * time.Minute),
}

var helpdeskTests = []test{
	{"VerificationRoundTripAndReplace", func(t *testing.T, s service.Store) {
		stored := verification
		stored.CodeSentAt = verification.CodeSentAt.In(hongKong)
		update(t, s, func(tx service.Tx) error { return tx.PutCallerVerification(stored) })
		got := read(t, s, func(tx service.Tx) (service.CallerVerification, error) {
			return tx.CallerVerification(verification.Operator, verification.StaffNumber)
		})
		assertEqual(t, "verification", got, verification)

		checked := verification
		checked.CodeHMAC = nil
		checked.CodeExpiresAt = time.Time{}
		checked.VerifiedUntil = t0.Add(20 * time.Minute)
		checked.ExpiresAt = checked.VerifiedUntil
		update(t, s, func(tx service.Tx) error { return tx.PutCallerVerification(checked) })
		got = read(t, s, func(tx service.Tx) (service.CallerVerification, error) {
			return tx.CallerVerification(verification.Operator, verification.StaffNumber)
		})
		assertEqual(t, "verification replaced", got, checked)
	}},
	{"VerificationsAreOperatorsOwn", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.PutCallerVerification(verification) })
		assertNotFound(t, s, "another operator's verification", func(tx service.Tx) error {
			_, err := tx.CallerVerification("local:other", verification.StaffNumber)
			return err
		})
		assertNotFound(t, s, "another account's verification", func(tx service.Tx) error {
			_, err := tx.CallerVerification(verification.Operator, "T7654321")
			return err
		})
	}},
	{"PassRoundTripReplaceAndDeleteOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.PutHelpdeskPass(pass) })
		got := read(t, s, func(tx service.Tx) (service.HelpdeskPass, error) { return tx.HelpdeskPass(pass.StaffNumber) })
		assertEqual(t, "pass", got, pass)

		newer := pass
		newer.PassHMAC = []byte{0x09}
		newer.Operator = "local:wong.it"
		newer.Reference = "ref-newer"
		newer.CreatedAt = t0.Add(time.Minute)
		newer.ExpiresAt = t0.Add(16 * time.Minute)
		update(t, s, func(tx service.Tx) error { return tx.PutHelpdeskPass(newer) })
		got = read(t, s, func(tx service.Tx) (service.HelpdeskPass, error) { return tx.HelpdeskPass(pass.StaffNumber) })
		assertEqual(t, "pass replaced", got, newer)

		for i, want := range []bool{true, false} {
			if got := updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.DeleteHelpdeskPass(pass.StaffNumber) }); got != want {
				t.Errorf("DeleteHelpdeskPass call %d = %v, want %v", i+1, got, want)
			}
		}
		assertNotFound(t, s, "pass after delete", func(tx service.Tx) error {
			_, err := tx.HelpdeskPass(pass.StaffNumber)
			return err
		})
	}},
	{"ConcurrentPassDeletesSucceedOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.PutHelpdeskPass(pass) })
		results := concurrently(t, 8, func(int) (bool, error) {
			var ok bool
			err := s.Update(t.Context(), func(tx service.Tx) (err error) {
				if _, err := tx.HelpdeskPass(pass.StaffNumber); err != nil {
					if isNotFound(err) {
						return nil
					}
					return err
				}
				ok, err = tx.DeleteHelpdeskPass(pass.StaffNumber)
				return err
			})
			return ok, err
		})
		if n := count(results, true); n != 1 {
			t.Errorf("%d of 8 concurrent uses deleted the pass, want 1", n)
		}
	}},
	{"AccountLanguageIsTheLatestFlowsThatHasOne", func(t *testing.T, s service.Store) {
		lang := func(staff string) string {
			return read(t, s, func(tx service.Tx) (string, error) { return tx.AccountLanguage(staff) })
		}
		if got := lang("T1234567"); got != "" {
			t.Errorf("AccountLanguage with no flow = %q, want none", got)
		}
		flows := []service.Flow{
			{ID: "f1", StaffNumber: "T1234567", Step: "started", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), Language: "en"},
			{ID: "f2", StaffNumber: "T1234567", Step: "started", CreatedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(time.Hour), Language: "zh-HK"},
			{ID: "f3", StaffNumber: "T1234567", Step: "started", CreatedAt: t0.Add(2 * time.Minute), ExpiresAt: t0.Add(time.Hour)},
			{ID: "f4", StaffNumber: "T7654321", Step: "started", CreatedAt: t0.Add(3 * time.Minute), ExpiresAt: t0.Add(time.Hour), Language: "zh-Hans"},
		}
		update(t, s, func(tx service.Tx) error {
			for _, f := range flows {
				if err := tx.InsertFlow(f); err != nil {
					return err
				}
			}
			return nil
		})
		if got := lang("T1234567"); got != "zh-HK" {
			t.Errorf("AccountLanguage = %q, want the latest flow's that has one, zh-HK", got)
		}
	}},
	{"PurgeDeletesExpiredOnly", func(t *testing.T, s service.Store) {
		expired, live := verification, verification
		expired.Operator = "local:old"
		live.ExpiresAt = t0.Add(time.Hour)
		oldPass, livePass := pass, pass
		oldPass.StaffNumber = "T0000001"
		oldPass.ExpiresAt = t0.Add(-time.Second)
		update(t, s, func(tx service.Tx) error {
			for _, v := range []service.CallerVerification{expired, live} {
				if err := tx.PutCallerVerification(v); err != nil {
					return err
				}
			}
			for _, p := range []service.HelpdeskPass{oldPass, livePass} {
				if err := tx.PutHelpdeskPass(p); err != nil {
					return err
				}
			}
			return nil
		})
		// verification expires at t0+10m, pass at t0+15m: both kept at
		// their expiry, the expired ones gone a moment later.
		n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.PurgeHelpdesk(t0.Add(10 * time.Minute)) })
		if n != 1 {
			t.Errorf("PurgeHelpdesk at the verification's expiry deleted %d rows, want 1 (the expired pass)", n)
		}
		n = updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.PurgeHelpdesk(t0.Add(10*time.Minute + time.Microsecond)) })
		if n != 1 {
			t.Errorf("PurgeHelpdesk after the verification's expiry deleted %d rows, want 1", n)
		}
		read(t, s, func(tx service.Tx) (service.CallerVerification, error) {
			return tx.CallerVerification(live.Operator, live.StaffNumber)
		})
		read(t, s, func(tx service.Tx) (service.HelpdeskPass, error) { return tx.HelpdeskPass(livePass.StaffNumber) })
	}},
}
