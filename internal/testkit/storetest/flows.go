package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

var captcha = service.Captcha{
	ID:        "3mQfYd8aZq1tG7pX",
	Digits:    []byte{0, 9, 1, 8, 2, 7},
	CreatedAt: t0,
	ExpiresAt: t0.Add(10 * time.Minute),
}

var captchaTests = []test{
	{"RoundTrip", func(t *testing.T, s service.Store) {
		stored := captcha
		stored.CreatedAt = captcha.CreatedAt.In(hongKong)
		update(t, s, func(tx service.Tx) error { return tx.InsertCaptcha(stored) })
		got := read(t, s, func(tx service.Tx) (service.Captcha, error) { return tx.Captcha(captcha.ID) })
		assertEqual(t, "captcha", got, captcha)
	}},
	{"MissingCaptchaIsNotFound", func(t *testing.T, s service.Store) {
		assertNotFound(t, s, "Captcha", func(tx service.Tx) error {
			_, err := tx.Captcha("unknown")
			return err
		})
	}},
	{"DuplicateIDIsRefused", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertCaptcha(captcha) })
		if err := s.Update(t.Context(), func(tx service.Tx) error { return tx.InsertCaptcha(captcha) }); err == nil {
			t.Error("a second captcha with the same id was accepted")
		}
	}},
	{"DeleteReportsExistenceOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertCaptcha(captcha) })
		for i, want := range []bool{true, false} {
			got := updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.DeleteCaptcha(captcha.ID) })
			if got != want {
				t.Errorf("DeleteCaptcha call %d = %v, want %v", i+1, got, want)
			}
		}
		assertNotFound(t, s, "Captcha after delete", func(tx service.Tx) error {
			_, err := tx.Captcha(captcha.ID)
			return err
		})
		if updateValue(t, s, func(tx service.Tx) (bool, error) { return tx.DeleteCaptcha("unknown") }) {
			t.Error("DeleteCaptcha of an unknown id reported true")
		}
	}},
	{"ConcurrentDeletesSucceedOnce", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertCaptcha(captcha) })
		const n = 8
		results := concurrently(t, n, func(int) (bool, error) {
			var ok bool
			err := s.Update(t.Context(), func(tx service.Tx) (err error) {
				ok, err = tx.DeleteCaptcha(captcha.ID)
				return err
			})
			return ok, err
		})
		if wins := count(results, true); wins != 1 {
			t.Errorf("%d of %d concurrent deletes reported the captcha existed, want 1", wins, n)
		}
	}},
}

var flow = service.Flow{
	ID:            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	StaffNumber:   "T1234567",
	Step:          api.StepCodeSent,
	ClientAddr:    "2001:db8::17",
	CreatedAt:     t0,
	ExpiresAt:     t0.Add(30 * time.Minute),
	Language:      "zh-HK",
	Channel:       api.ChannelSMS,
	CodeHMAC:      []byte{0x00, 0xff, 0x10, 0x20, 0x00},
	CodeExpiresAt: t0.Add(11 * time.Minute),
	CodeSentAt:    t0.Add(time.Minute),
	Sends:         1,
	WrongCodes:    2,
	MessageID:     42,
}

// freshFlow is a flow just started: every optional field is zero.
var freshFlow = service.Flow{
	ID:          "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
	StaffNumber: "T7654321",
	Step:        api.StepStarted,
	ClientAddr:  "192.0.2.7",
	CreatedAt:   t0,
	ExpiresAt:   t0.Add(30 * time.Minute),
}

var flowTests = []test{
	{"RoundTripOfEveryField", func(t *testing.T, s service.Store) {
		stored := flow
		stored.CodeExpiresAt = flow.CodeExpiresAt.In(hongKong)
		update(t, s, func(tx service.Tx) error { return tx.InsertFlow(stored) })
		got := read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(flow.ID) })
		assertEqual(t, "flow", got, flow)
	}},
	{"ZeroFieldsStayZero", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertFlow(freshFlow) })
		got := read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(freshFlow.ID) })
		assertEqual(t, "fresh flow", got, freshFlow)
		if len(got.CodeHMAC) != 0 {
			t.Errorf("CodeHMAC of a flow without code = %x, want none", got.CodeHMAC)
		}
	}},
	{"MissingFlowIsNotFound", func(t *testing.T, s service.Store) {
		assertNotFound(t, s, "Flow", func(tx service.Tx) error {
			_, err := tx.Flow(flow.ID)
			return err
		})
	}},
	{"DuplicateIDIsRefused", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertFlow(flow) })
		if err := s.Update(t.Context(), func(tx service.Tx) error { return tx.InsertFlow(flow) }); err == nil {
			t.Error("a second flow with the same id was accepted")
		}
	}},
	{"UpdateWritesEveryField", func(t *testing.T, s service.Store) {
		update(t, s, func(tx service.Tx) error { return tx.InsertFlow(freshFlow) })
		changed := flow
		changed.ID = freshFlow.ID
		changed.Step = service.StepChanging
		update(t, s, func(tx service.Tx) error { return tx.UpdateFlow(changed) })
		got := read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(freshFlow.ID) })
		assertEqual(t, "updated flow", got, changed)

		// And back: fields can be cleared again.
		update(t, s, func(tx service.Tx) error { return tx.UpdateFlow(freshFlow) })
		got = read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(freshFlow.ID) })
		assertEqual(t, "flow updated back", got, freshFlow)
	}},
	{"UpdateOfMissingFlowIsNotFound", func(t *testing.T, s service.Store) {
		err := s.Update(t.Context(), func(tx service.Tx) error { return tx.UpdateFlow(flow) })
		if !errors.Is(err, service.ErrNotFound) {
			t.Errorf("UpdateFlow of a missing flow: %v, want service.ErrNotFound", err)
		}
	}},
	{"EndFlowsEndsTheOpenFlowsOfOneAccount", func(t *testing.T, s service.Store) {
		now := t0.Add(10 * time.Minute)
		withID := func(f service.Flow, id string, change func(*service.Flow)) service.Flow {
			f.ID = id
			change(&f)
			return f
		}
		open := withID(flow, "open", func(*service.Flow) {})
		verified := withID(flow, "verified", func(f *service.Flow) { f.Step = api.StepVerified })
		expired := withID(flow, "expired", func(f *service.Flow) { f.ExpiresAt = now.Add(-time.Minute) })
		changed := withID(flow, "changed", func(f *service.Flow) { f.Step = api.StepChanged })
		other := withID(flow, "other", func(f *service.Flow) { f.StaffNumber = "T7654321" })
		update(t, s, func(tx service.Tx) error {
			for _, f := range []service.Flow{open, verified, expired, changed, other} {
				if err := tx.InsertFlow(f); err != nil {
					return err
				}
			}
			return nil
		})
		n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.EndFlows(flow.StaffNumber, now) })
		if n != 2 {
			t.Errorf("EndFlows ended %d flows, want 2 (open and verified)", n)
		}
		for _, want := range []service.Flow{
			withID(open, "open", func(f *service.Flow) { f.ExpiresAt = now }),
			withID(verified, "verified", func(f *service.Flow) { f.ExpiresAt = now }),
			expired, changed, other,
		} {
			got := read(t, s, func(tx service.Tx) (service.Flow, error) { return tx.Flow(want.ID) })
			assertEqual(t, "flow "+want.ID, got, want)
		}
	}},
}

var hitTests = []test{
	{"CountHitsAtOrAfterSince", func(t *testing.T, s service.Store) {
		const key, other = "start:192.0.2.7", "start:192.0.2.8"
		update(t, s, func(tx service.Tx) error {
			for _, at := range []time.Time{t0.Add(2 * time.Minute), t0, t0.Add(time.Minute).In(hongKong)} {
				if err := tx.AddHit(key, at); err != nil {
					return err
				}
			}
			return tx.AddHit(other, t0.Add(time.Minute))
		})
		for _, tc := range []struct {
			name       string
			key        string
			since      time.Time
			wantN      int
			wantOldest time.Time
		}{
			{"all", key, t0, 3, t0},
			{"since is inclusive", key, t0.Add(time.Minute), 2, t0.Add(time.Minute)},
			{"one microsecond later", key, t0.Add(time.Minute + time.Microsecond), 1, t0.Add(2 * time.Minute)},
			{"none in the window", key, t0.Add(2*time.Minute + time.Microsecond), 0, time.Time{}},
			{"zero since counts all", key, time.Time{}, 3, t0},
			{"keys are separate", other, t0, 1, t0.Add(time.Minute)},
			{"unknown key", "start:198.51.100.1", t0, 0, time.Time{}},
		} {
			var n int
			var oldest time.Time
			view(t, s, func(tx service.Tx) (err error) {
				n, oldest, err = tx.CountHits(tc.key, tc.since)
				return err
			})
			if n != tc.wantN {
				t.Errorf("%s: CountHits = %d, want %d", tc.name, n, tc.wantN)
			}
			assertEqual(t, tc.name+": oldest", oldest, tc.wantOldest)
		}
	}},
	{"DeleteHitsOfOneKey", func(t *testing.T, s service.Store) {
		const key, other = "send:account:T1234567", "send:account:T7654321"
		update(t, s, func(tx service.Tx) error {
			for _, k := range []string{key, key, other} {
				if err := tx.AddHit(k, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.DeleteHits(key) }); n != 2 {
			t.Errorf("DeleteHits = %d, want 2", n)
		}
		for k, want := range map[string]int{key: 0, other: 1} {
			var n int
			view(t, s, func(tx service.Tx) (err error) {
				n, _, err = tx.CountHits(k, time.Time{})
				return err
			})
			if n != want {
				t.Errorf("%s: %d hits left, want %d", k, n, want)
			}
		}
		if n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.DeleteHits("none") }); n != 0 {
			t.Errorf("DeleteHits of an unknown key = %d", n)
		}
	}},
}

// updateValue returns what fn gives in an Update, failing the test on error.
func updateValue[T any](t *testing.T, s service.Store, fn func(service.Tx) (T, error)) T {
	t.Helper()
	var v T
	update(t, s, func(tx service.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v
}

// concurrently runs fn(0) … fn(n-1) in goroutines released at once and returns their
// results, failing the test if any returned an error.
func concurrently[T any](t *testing.T, n int, fn func(i int) (T, error)) []T {
	t.Helper()
	results := make([]T, n)
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			results[i], errs[i] = fn(i)
		})
	}
	start.Done()
	done.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent calls failed: %v", err)
	}
	return results
}

func count[T comparable](list []T, v T) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}
