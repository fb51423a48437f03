package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"casreset/api"
	"casreset/service"
	"casreset/service/sqlite"
)

func benchDB(b *testing.B) *sqlite.DB {
	b.Helper()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "resetd.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func benchFlow(b *testing.B, db *sqlite.DB) service.Flow {
	b.Helper()
	f := service.Flow{ID: "f", StaffNumber: "T1234567", Step: api.StepStarted, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := db.Update(context.Background(), func(tx service.Tx) error { return tx.InsertFlow(f) }); err != nil {
		b.Fatal(err)
	}
	return f
}

func incrementSends(ctx context.Context, db *sqlite.DB, id string) error {
	return db.Update(ctx, func(tx service.Tx) error {
		f, err := tx.Flow(id)
		if err != nil {
			return err
		}
		f.Sends++
		return tx.UpdateFlow(f)
	})
}

// BenchmarkUpdateFlow is one committed read-modify-write transaction: the
// shape of every step of a reset.
func BenchmarkUpdateFlow(b *testing.B) {
	db := benchDB(b)
	f := benchFlow(b, db)
	ctx := context.Background()
	for b.Loop() {
		if err := incrementSends(ctx, db, f.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateFlowParallel has every goroutine queue for the writer.
func BenchmarkUpdateFlowParallel(b *testing.B) {
	db := benchDB(b)
	f := benchFlow(b, db)
	ctx := context.Background()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := incrementSends(ctx, db, f.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkViewFlowParallel reads from the reader pool.
func BenchmarkViewFlowParallel(b *testing.B) {
	db := benchDB(b)
	f := benchFlow(b, db)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := db.View(ctx, func(tx service.Tx) error {
				_, err := tx.Flow(f.ID)
				return err
			}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkClaimMessages is a delivery worker's cycle over a queue that
// holds 1000 messages waiting for a later retry: claim a batch of 10 due
// messages in one transaction, then mark each sent in its own.
func BenchmarkClaimMessages(b *testing.B) {
	const batch, waiting = 10, 1000
	db := benchDB(b)
	ctx := context.Background()
	now := t0.Add(time.Hour)
	m := service.Message{Kind: service.MessageCode, Channel: api.ChannelSMS, To: "+85291234567",
		Params: map[string]string{"code": "123456"}, Status: api.DeliveryQueued, CreatedAt: t0}
	queue := func(n int, next time.Time) {
		m.NextAttemptAt = next
		if err := db.Update(ctx, func(tx service.Tx) error {
			for range n {
				if _, err := tx.InsertMessage(m); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	queue(waiting, now.Add(time.Hour))

	for b.Loop() {
		b.StopTimer()
		queue(batch, t0)
		b.StartTimer()

		var claimed []service.Message
		if err := db.Update(ctx, func(tx service.Tx) (err error) {
			claimed, err = tx.ClaimMessages("bench", now, now.Add(time.Minute), batch)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if len(claimed) != batch {
			b.Fatalf("claimed %d, want %d", len(claimed), batch)
		}
		for _, c := range claimed {
			c.Status, c.SentAt, c.Params = api.DeliverySent, now, nil
			if err := db.Update(ctx, func(tx service.Tx) error { return tx.UpdateMessage(c) }); err != nil {
				b.Fatal(err)
			}
		}
	}
}
