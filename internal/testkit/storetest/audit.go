package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"casreset/service"
)

// auditLog holds events in the order they happened.
var auditLog = []service.AuditEvent{
	{Time: t0, Event: "authn_token_created", StaffNumber: "T1234567", ClientAddr: "192.0.2.7",
		UserAgent: "casreset/1.0 (windows)", Reference: "ref-a", Detail: "channels=sms,email"},
	{Time: t0.Add(time.Minute).In(hongKong), Event: "authn_token_created", StaffNumber: "T7654321",
		ClientAddr: "2001:db8::17", UserAgent: "curl/8.5.0", Reference: "ref-b"},
	{Time: t0.Add(2 * time.Minute), Event: "authn_password_change_fail", StaffNumber: "T1234567",
		ClientAddr: "192.0.2.7", Reference: "ref-c", Detail: "password_reused"},
	{Time: t0.Add(3 * time.Minute), Event: "excess_rate_limit_exceeded", ClientAddr: "198.51.100.1",
		Reference: "ref-c"},
}

var auditTests = []test{
	{"NewestFirstWithEveryField", func(t *testing.T, s service.Store) {
		insertAudit(t, s, auditLog...)
		got := read(t, s, func(tx service.Tx) ([]service.AuditEvent, error) { return tx.Audit(service.AuditFilter{}) })
		if len(got) != len(auditLog) {
			t.Fatalf("Audit returned %d events, want %d", len(got), len(auditLog))
		}
		seen := map[int64]bool{}
		for i, e := range got {
			if e.ID <= 0 || seen[e.ID] {
				t.Errorf("event %d has id %d, want a new positive id", i, e.ID)
			}
			seen[e.ID] = true
			want := auditLog[len(auditLog)-1-i]
			want.ID = e.ID
			assertEqual(t, fmt.Sprintf("event %d", i), e, want)
		}
	}},
	{"Filters", func(t *testing.T, s service.Store) {
		insertAudit(t, s, auditLog...)
		for _, tc := range []struct {
			name   string
			filter service.AuditFilter
			want   []int // indexes into auditLog, newest first
		}{
			{"by staff number", service.AuditFilter{StaffNumber: "T1234567"}, []int{2, 0}},
			{"by reference", service.AuditFilter{Reference: "ref-c"}, []int{3, 2}},
			{"by both", service.AuditFilter{StaffNumber: "T1234567", Reference: "ref-c"}, []int{2}},
			{"limit keeps the newest", service.AuditFilter{Limit: 2}, []int{3, 2}},
			{"no match", service.AuditFilter{StaffNumber: "T0000000"}, nil},
		} {
			got := read(t, s, func(tx service.Tx) ([]service.AuditEvent, error) { return tx.Audit(tc.filter) })
			var events []string
			for _, e := range got {
				events = append(events, e.Reference+"@"+e.Time.Format("15:04"))
			}
			var want []string
			for _, i := range tc.want {
				e := auditLog[i]
				want = append(want, e.Reference+"@"+e.Time.UTC().Format("15:04"))
			}
			assertEqual(t, tc.name, events, want)
		}
	}},
	{"DefaultLimitIs1000", func(t *testing.T, s service.Store) {
		events := make([]service.AuditEvent, 1001)
		for i := range events {
			events[i] = service.AuditEvent{Time: t0.Add(time.Duration(i) * time.Second), Event: "authn_token_created"}
		}
		insertAudit(t, s, events...)
		got := read(t, s, func(tx service.Tx) ([]service.AuditEvent, error) { return tx.Audit(service.AuditFilter{}) })
		if len(got) != 1000 {
			t.Fatalf("Audit with no limit returned %d events, want 1000", len(got))
		}
		assertEqual(t, "newest event", got[0].Time, events[1000].Time)
		assertEqual(t, "oldest event returned", got[999].Time, events[1].Time)
	}},
}

var secretTests = []test{
	{"MissingSecretIsNotFound", func(t *testing.T, s service.Store) {
		assertNotFound(t, s, "Secret", func(tx service.Tx) error {
			_, err := tx.Secret("code-hmac-key")
			return err
		})
	}},
	{"FirstWriterWins", func(t *testing.T, s service.Store) {
		first := []byte{0x00, 0x01, 0xfe, 0xff, 0x00}
		update(t, s, func(tx service.Tx) error { return tx.InsertSecret("code-hmac-key", first) })
		update(t, s, func(tx service.Tx) error { return tx.InsertSecret("code-hmac-key", []byte("second")) })
		update(t, s, func(tx service.Tx) error { return tx.InsertSecret("other", []byte("other")) })
		got := read(t, s, func(tx service.Tx) ([]byte, error) { return tx.Secret("code-hmac-key") })
		if !bytes.Equal(got, first) {
			t.Errorf("Secret = %x, want the first value %x", got, first)
		}
	}},
	{"ConcurrentWritersAgree", func(t *testing.T, s service.Store) {
		const n = 6
		values := concurrently(t, n, func(i int) ([]byte, error) {
			mine := fmt.Appendf(nil, "value-%d", i)
			var stored []byte
			err := s.Update(t.Context(), func(tx service.Tx) (err error) {
				if err := tx.InsertSecret("k", mine); err != nil {
					return err
				}
				stored, err = tx.Secret("k")
				return err
			})
			return stored, err
		})
		for i, v := range values {
			if !bytes.Equal(v, values[0]) {
				t.Errorf("writer %d read back %q, writer 0 %q", i, v, values[0])
			}
		}
	}},
}

func insertAudit(t *testing.T, s service.Store, events ...service.AuditEvent) {
	t.Helper()
	update(t, s, func(tx service.Tx) error {
		for _, e := range events {
			if err := tx.InsertAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
}
