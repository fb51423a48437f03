package storetest

import (
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

var purgeTests = []test{
	{"DeletesWhatIsPastAndKeepsTheRest", func(t *testing.T, s service.Store) {
		now := t0.Add(time.Hour)
		messagesBefore := t0.Add(30 * time.Minute)
		auditBefore := t0.Add(10 * time.Minute)
		const hitKey = "send:T1234567"

		captchas := map[string]time.Time{ // id -> expiry
			"expired":     now.Add(-time.Microsecond),
			"expires-now": now,
			"live":        now.Add(time.Minute),
		}
		flows := map[string]time.Time{
			"expired":     now.Add(-time.Microsecond),
			"expires-now": now,
			"live":        now.Add(time.Minute),
		}
		type message struct {
			status        api.Delivery
			created, sent time.Time
			purged        bool
		}
		messages := map[string]message{
			"sent before":          {api.DeliverySent, t0, t0.Add(29 * time.Minute), true},
			"sent at the boundary": {api.DeliverySent, t0, messagesBefore, false},
			"failed before":        {api.DeliveryFailed, t0.Add(29 * time.Minute), time.Time{}, true},
			"failed after":         {api.DeliveryFailed, t0.Add(31 * time.Minute), time.Time{}, false},
			"queued long ago":      {api.DeliveryQueued, t0.Add(-48 * time.Hour), time.Time{}, false},
		}
		messageIDs := map[string]int64{}

		update(t, s, func(tx service.Tx) error {
			for id, exp := range captchas {
				if err := tx.InsertCaptcha(service.Captcha{ID: id, Digits: []byte{1}, CreatedAt: t0, ExpiresAt: exp}); err != nil {
					return err
				}
			}
			for id, exp := range flows {
				f := freshFlow
				f.ID, f.ExpiresAt = id, exp
				if err := tx.InsertFlow(f); err != nil {
					return err
				}
			}
			for _, at := range []time.Time{now.Add(-time.Microsecond), now} {
				if err := tx.AddHit(hitKey, at); err != nil {
					return err
				}
			}
			for name, m := range messages {
				msg := withStatus(codeMessage, m.status, m.created)
				msg.SentAt = m.sent
				id, err := tx.InsertMessage(msg)
				if err != nil {
					return err
				}
				messageIDs[name] = id
			}
			for _, at := range []time.Time{auditBefore.Add(-time.Microsecond), auditBefore} {
				if err := tx.InsertAudit(service.AuditEvent{Time: at, Event: "authn_token_created"}); err != nil {
					return err
				}
			}
			return nil
		})

		n := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.Purge(now, messagesBefore, auditBefore) })
		if want := int64(1 + 1 + 1 + 2 + 1); n != want {
			t.Errorf("Purge deleted %d rows, want %d", n, want)
		}

		view(t, s, func(tx service.Tx) error {
			for id := range captchas {
				_, err := tx.Captcha(id)
				assertGone(t, "captcha "+id, err, id == "expired")
			}
			for id := range flows {
				_, err := tx.Flow(id)
				assertGone(t, "flow "+id, err, id == "expired")
			}
			for name, m := range messages {
				_, err := tx.Message(messageIDs[name])
				assertGone(t, "message "+name, err, m.purged)
			}
			hits, oldest, err := tx.CountHits(hitKey, time.Time{})
			if err != nil {
				return err
			}
			if hits != 1 || !oldest.Equal(now) {
				t.Errorf("hits left: %d, oldest %v; want 1 at %v", hits, oldest, now)
			}
			events, err := tx.Audit(service.AuditFilter{})
			if err != nil {
				return err
			}
			if len(events) != 1 || !events[0].Time.Equal(auditBefore) {
				t.Errorf("audit events left: %+v; want one at %v", events, auditBefore)
			}
			return nil
		})
	}},
}

// assertGone checks a getter's error: service.ErrNotFound when the row
// should be gone, nil when it should be kept.
func assertGone(t *testing.T, what string, err error, gone bool) {
	t.Helper()
	switch {
	case gone && !isNotFound(err):
		t.Errorf("%s: kept (error %v), want purged", what, err)
	case !gone && err != nil:
		t.Errorf("%s: %v, want kept", what, err)
	}
}
