package storetest

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
)

// codeMessage is a validation code waiting to be sent.
var codeMessage = service.Message{
	Kind:    service.MessageCode,
	Channel: api.ChannelSMS,
	To:      "+85291234567",
	Params: map[string]string{
		"code":       "042917",
		"expires_at": "2025-03-14T09:36:53Z",
		"name":       "陳大文 \"Chan\" <Tai Man>",
	},
	Status:        api.DeliveryQueued,
	NextAttemptAt: t0,
	NotAfter:      t0.Add(10 * time.Minute),
	CreatedAt:     t0,
}

var messageTests = []test{
	{"RoundTripOfEveryField", func(t *testing.T, s service.Store) {
		stored := service.Message{
			Kind:     service.MessageNotice,
			Channel:  api.ChannelEmail,
			To:       "chan.tai.man@example.edu.hk",
			Language: "zh-Hans",
			Params: map[string]string{
				"changed_at": "2025-03-14T09:30:00Z", "client_addr": "192.0.2.7", "reference": "r-1",
				"name": "陳大文 \"Chan\" <Tai Man>\n", "staff_number": "T1234567",
			},
			Status:        api.DeliveryFailed,
			Attempts:      3,
			NextAttemptAt: t0.Add(time.Minute).In(hongKong),
			LeaseOwner:    "resetd-1",
			LeaseUntil:    t0.Add(2 * time.Minute),
			NotAfter:      t0.Add(10 * time.Minute),
			LastError:     "550 mailbox unavailable",
			CreatedAt:     t0,
			SentAt:        t0.Add(3 * time.Minute),
		}
		want := stored
		want.Params = maps.Clone(stored.Params) // in case the store changed the map it was given
		id := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.InsertMessage(stored) })
		want.ID = id
		got := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(id) })
		assertEqual(t, "message", got, want)
	}},
	{"InsertGivesDistinctIDs", func(t *testing.T, s service.Store) {
		ids := map[int64]bool{}
		for range 3 {
			id := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.InsertMessage(codeMessage) })
			if id <= 0 || ids[id] {
				t.Errorf("InsertMessage gave id %d after %v", id, ids)
			}
			ids[id] = true
		}
	}},
	{"NoParamsStayEmpty", func(t *testing.T, s service.Store) {
		m := codeMessage
		m.Params = nil
		id := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.InsertMessage(m) })
		got := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(id) })
		if len(got.Params) != 0 {
			t.Errorf("Params = %v, want none", got.Params)
		}
	}},
	{"MissingMessageIsNotFound", func(t *testing.T, s service.Store) {
		assertNotFound(t, s, "Message", func(tx service.Tx) error {
			_, err := tx.Message(12345)
			return err
		})
	}},
	{"UpdateWritesEveryFieldButCreation", func(t *testing.T, s service.Store) {
		id := updateValue(t, s, func(tx service.Tx) (int64, error) { return tx.InsertMessage(codeMessage) })
		sent := service.Message{
			ID:            id,
			Kind:          service.MessageReminder,
			Channel:       api.ChannelEmail,
			To:            "chan.tai.man@example.edu.hk",
			Language:      "zh-HK",
			Params:        nil, // cleared once sent, so the code does not linger
			Status:        api.DeliverySent,
			Attempts:      2,
			NextAttemptAt: t0.Add(time.Minute),
			LeaseOwner:    "resetd-2",
			LeaseUntil:    t0.Add(90 * time.Second),
			NotAfter:      t0.Add(9 * time.Minute),
			LastError:     "timeout",
			CreatedAt:     t0,
			SentAt:        t0.Add(70 * time.Second).In(hongKong),
		}
		update(t, s, func(tx service.Tx) error { return tx.UpdateMessage(sent) })
		got := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(id) })
		assertEqual(t, "updated message", got, sent)
	}},
	{"UpdateOfMissingMessageIsNotFound", func(t *testing.T, s service.Store) {
		m := codeMessage
		m.ID = 12345
		err := s.Update(t.Context(), func(tx service.Tx) error { return tx.UpdateMessage(m) })
		if !errors.Is(err, service.ErrNotFound) {
			t.Errorf("UpdateMessage of a missing message: %v, want service.ErrNotFound", err)
		}
	}},
	{"OldestQueuedIgnoresFinishedMessages", func(t *testing.T, s service.Store) {
		got := read(t, s, func(tx service.Tx) (time.Time, error) { return tx.OldestQueued() })
		assertEqual(t, "OldestQueued of an empty queue", got, time.Time{})

		insertMessages(t, s,
			withStatus(codeMessage, api.DeliverySent, t0),
			withStatus(codeMessage, api.DeliveryFailed, t0.Add(time.Minute)),
			withStatus(codeMessage, api.DeliveryQueued, t0.Add(3*time.Minute)),
			withStatus(codeMessage, api.DeliveryQueued, t0.Add(2*time.Minute)),
		)
		got = read(t, s, func(tx service.Tx) (time.Time, error) { return tx.OldestQueued() })
		assertEqual(t, "OldestQueued", got, t0.Add(2*time.Minute))
	}},
	{"OldestQueuedIgnoresReminders", func(t *testing.T, s service.Store) {
		reminder := codeMessage
		reminder.Kind = service.MessageReminder
		insertMessages(t, s, withStatus(reminder, api.DeliveryQueued, t0))
		got := read(t, s, func(tx service.Tx) (time.Time, error) { return tx.OldestQueued() })
		assertEqual(t, "OldestQueued with only a reminder queued", got, time.Time{})

		insertMessages(t, s, withStatus(codeMessage, api.DeliveryQueued, t0.Add(time.Minute)))
		got = read(t, s, func(tx service.Tx) (time.Time, error) { return tx.OldestQueued() })
		assertEqual(t, "OldestQueued", got, t0.Add(time.Minute))
	}},
}

var claimTests = []test{
	{"ClaimsDueUnleasedQueuedMessagesOnly", func(t *testing.T, s service.Store) {
		now := t0.Add(time.Hour)
		due := withNextAttempt(codeMessage, now.Add(-time.Minute))
		dueNow := withNextAttempt(codeMessage, now)
		dueAtOnce := withNextAttempt(codeMessage, time.Time{})
		leaseOver := due
		leaseOver.LeaseOwner, leaseOver.LeaseUntil = "crashed", now.Add(-time.Microsecond)

		notYet := withNextAttempt(codeMessage, now.Add(time.Microsecond))
		leased := due
		leased.LeaseOwner, leased.LeaseUntil = "resetd-2", now.Add(time.Minute)
		leaseEndsNow := due
		leaseEndsNow.LeaseOwner, leaseEndsNow.LeaseUntil = "resetd-2", now
		sent := withStatus(due, api.DeliverySent, t0)
		failed := withStatus(due, api.DeliveryFailed, t0)

		ids := insertMessages(t, s, due, dueNow, dueAtOnce, leaseOver, notYet, leased, leaseEndsNow, sent, failed)
		wantClaimed := ids[:4]

		leaseUntil := now.Add(30 * time.Second)
		claimed := updateValue(t, s, func(tx service.Tx) ([]service.Message, error) {
			return tx.ClaimMessages("resetd-1", now, leaseUntil, 100)
		})
		if got := messageIDs(claimed); !sameIDs(got, wantClaimed) {
			t.Fatalf("claimed %v, want %v", got, wantClaimed)
		}
		for _, m := range claimed {
			stored := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(m.ID) })
			assertEqual(t, "claimed message as returned", m, stored)
			if stored.LeaseOwner != "resetd-1" {
				t.Errorf("message %d: LeaseOwner %q, want resetd-1", m.ID, stored.LeaseOwner)
			}
			assertEqual(t, "LeaseUntil", stored.LeaseUntil, leaseUntil)
		}
		// The others are untouched.
		untouched := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(ids[5]) })
		assertEqual(t, "message leased by another", untouched.LeaseOwner, "resetd-2")
	}},
	{"ClaimsTheLongestWaitingFirstUpToLimit", func(t *testing.T, s service.Store) {
		now := t0.Add(time.Hour)
		ids := insertMessages(t, s,
			withNextAttempt(codeMessage, now.Add(-time.Minute)),
			withNextAttempt(codeMessage, now.Add(-3*time.Minute)),
			withNextAttempt(codeMessage, now.Add(-2*time.Minute)),
		)
		claimed := updateValue(t, s, func(tx service.Tx) ([]service.Message, error) {
			return tx.ClaimMessages("resetd-1", now, now.Add(time.Minute), 2)
		})
		if got, want := messageIDs(claimed), []int64{ids[1], ids[2]}; !sameIDs(got, want) {
			t.Errorf("claimed %v, want %v", got, want)
		}
		none := updateValue(t, s, func(tx service.Tx) ([]service.Message, error) {
			return tx.ClaimMessages("resetd-1", now, now.Add(time.Minute), 0)
		})
		if len(none) != 0 {
			t.Errorf("a limit of 0 claimed %v", messageIDs(none))
		}
	}},
	{"LeaseHoldsUntilItExpires", func(t *testing.T, s service.Store) {
		ids := insertMessages(t, s, codeMessage)
		claim := func(owner string, now time.Time) []int64 {
			return messageIDs(updateValue(t, s, func(tx service.Tx) ([]service.Message, error) {
				return tx.ClaimMessages(owner, now, now.Add(time.Minute), 10)
			}))
		}
		if got := claim("resetd-1", t0); !sameIDs(got, ids) {
			t.Fatalf("first claim got %v, want %v", got, ids)
		}
		for _, at := range []time.Duration{0, 30 * time.Second, time.Minute} {
			if got := claim("resetd-2", t0.Add(at)); len(got) != 0 {
				t.Errorf("at +%v another worker claimed %v while the lease held", at, got)
			}
		}
		if got := claim("resetd-2", t0.Add(time.Minute+time.Microsecond)); !sameIDs(got, ids) {
			t.Fatalf("after the lease expired another worker got %v, want %v", got, ids)
		}
		m := read(t, s, func(tx service.Tx) (service.Message, error) { return tx.Message(ids[0]) })
		if m.LeaseOwner != "resetd-2" {
			t.Errorf("LeaseOwner after the handover = %q, want resetd-2", m.LeaseOwner)
		}
	}},
	{"ConcurrentWorkersNeverShareAMessage", func(t *testing.T, s service.Store) {
		const messages, workers, batch = 30, 6, 3
		queue := make([]service.Message, messages)
		for i := range queue {
			queue[i] = codeMessage
		}
		ids := insertMessages(t, s, queue...)
		now := t0.Add(time.Hour)
		perWorker := concurrently(t, workers, func(int) ([]int64, error) {
			var mine []int64
			for {
				var claimed []service.Message
				err := s.Update(t.Context(), func(tx service.Tx) (err error) {
					claimed, err = tx.ClaimMessages("worker", now, now.Add(time.Hour), batch)
					return err
				})
				if err != nil || len(claimed) == 0 {
					return mine, err
				}
				mine = append(mine, messageIDs(claimed)...)
			}
		})
		var all []int64
		for _, mine := range perWorker {
			all = append(all, mine...)
		}
		if !sameIDs(all, ids) {
			t.Errorf("workers claimed %v, want each of %v exactly once", all, ids)
		}
	}},
}

func withStatus(m service.Message, status api.Delivery, created time.Time) service.Message {
	m.Status, m.CreatedAt = status, created
	return m
}

func withNextAttempt(m service.Message, at time.Time) service.Message {
	m.NextAttemptAt = at
	return m
}

func insertMessages(t *testing.T, s service.Store, list ...service.Message) []int64 {
	t.Helper()
	ids := make([]int64, len(list))
	update(t, s, func(tx service.Tx) error {
		for i, m := range list {
			id, err := tx.InsertMessage(m)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	return ids
}

func messageIDs(list []service.Message) []int64 {
	ids := make([]int64, len(list))
	for i, m := range list {
		ids[i] = m.ID
	}
	return ids
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []int64) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
