package postgres_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"casreset/api"
	"casreset/internal/testkit/pgtest"
	"casreset/service"
	"casreset/service/postgres"
)

// These tests give each goroutine its own *postgres.DB on one database: two
// or more resetd instances, each with its own connection pool.

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// instances opens n stores on one new database.
func instances(t *testing.T, n int) []*postgres.DB {
	t.Helper()
	url := pgtest.Start(t)
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		dbs[i] = open(t, url)
	}
	return dbs
}

// together runs fn(i) for i in [0, n) in n goroutines released at the same
// moment, and fails t if any returns an error.
func together(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var ready, done sync.WaitGroup
	ready.Add(1)
	for i := range n {
		done.Go(func() {
			ready.Wait()
			errs[i] = fn(i)
		})
	}
	ready.Done()
	done.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestInstancesOpeningTogetherMigrateOnce(t *testing.T) {
	url := pgtest.Start(t)
	const n = 6
	together(t, n, func(int) error {
		db, err := postgres.Open(t.Context(), url)
		if err != nil {
			return err
		}
		return db.Close()
	})

	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	rows, err := conn.Query(t.Context(), "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatal(err)
	}
	if want := migrationVersions(t); !slices.Equal(versions, want) {
		t.Errorf("schema_migrations holds versions %v, want %v, each once", versions, want)
	}
}

// migrationVersions are the numbers of the migration files, in order.
func migrationVersions(t *testing.T) []int32 {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("migration files: %v (%d)", err, len(names))
	}
	var out []int32
	for _, name := range names {
		prefix, _, _ := strings.Cut(filepath.Base(name), "_")
		v, err := strconv.Atoi(prefix)
		if err != nil {
			t.Fatalf("migration %s: %v", name, err)
		}
		out = append(out, int32(v))
	}
	slices.Sort(out)
	return out
}

func TestNewerSchemaIsRefused(t *testing.T) {
	url := pgtest.Start(t)
	open(t, url)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', now())"); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(t.Context(), url)
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Errorf("Open of a database from a newer program: %v, want a refusal naming the newer schema", err)
	}
}

func TestInvalidURLIsNotEchoed(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://resetd:s3cret-Pa55@db.example:notaport/resetd")
	if err == nil {
		t.Fatal("Open accepted an invalid URL")
	}
	if strings.Contains(err.Error(), "s3cret-Pa55") {
		t.Errorf("the error %q shows the password", err)
	}
}

func TestFlowUpdatesAreSerialisedAcrossInstances(t *testing.T) {
	dbs := instances(t, 2)
	f := service.Flow{ID: "flow-1", StaffNumber: "T1234567", Step: api.StepStarted, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := dbs[0].Update(t.Context(), func(tx service.Tx) error { return tx.InsertFlow(f) }); err != nil {
		t.Fatal(err)
	}
	const n = 20
	together(t, n, func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) error {
			cur, err := tx.Flow(f.ID)
			if err != nil {
				return err
			}
			cur.WrongCodes++
			return tx.UpdateFlow(cur)
		})
	})
	var got service.Flow
	if err := dbs[1].View(t.Context(), func(tx service.Tx) (err error) { got, err = tx.Flow(f.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if got.WrongCodes != n {
		t.Errorf("after %d increments from two instances WrongCodes = %d", n, got.WrongCodes)
	}
}

func TestAccountReadsInUpdatesAreSerialisedAcrossInstances(t *testing.T) {
	dbs := instances(t, 2)
	a := service.Account{StaffNumber: "T1234567", Name: "CHAN Tai Man"}
	if err := dbs[0].Update(t.Context(), func(tx service.Tx) error { return tx.UpsertAccount(a) }); err != nil {
		t.Fatal(err)
	}
	// Each update appends to the name what it read: a lost update would
	// show as a shorter name.
	const n = 10
	together(t, n, func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) error {
			cur, err := tx.Account(a.StaffNumber)
			if err != nil {
				return err
			}
			cur.Name += "+"
			return tx.UpsertAccount(cur)
		})
	})
	var got service.Account
	if err := dbs[0].View(t.Context(), func(tx service.Tx) (err error) { got, err = tx.Account(a.StaffNumber); return err }); err != nil {
		t.Fatal(err)
	}
	if want := a.Name + strings.Repeat("+", n); got.Name != want {
		t.Errorf("after %d read-modify-writes the name is %q, want %q", n, got.Name, want)
	}
}

func TestRateLimitHoldsExactlyAcrossInstances(t *testing.T) {
	dbs := instances(t, 2)
	const key, limit, attempts = "start:addr:192.0.2.7", 5, 16
	var mu sync.Mutex
	admitted := 0
	together(t, attempts, func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) error {
			n, _, err := tx.CountHits(key, t0.Add(-time.Hour))
			if err != nil || n >= limit {
				return err
			}
			if err := tx.AddHit(key, t0); err != nil {
				return err
			}
			mu.Lock()
			admitted++
			mu.Unlock()
			return nil
		})
	})
	if admitted != limit {
		t.Errorf("%d of %d simultaneous attempts were admitted, want the limit %d", admitted, attempts, limit)
	}
}

func TestCaptchaIsConsumedOnceAcrossInstances(t *testing.T) {
	dbs := instances(t, 2)
	c := service.Captcha{ID: "captcha-1", Digits: []byte{1, 2, 3, 4, 5, 6}, CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
	if err := dbs[0].Update(t.Context(), func(tx service.Tx) error { return tx.InsertCaptcha(c) }); err != nil {
		t.Fatal(err)
	}
	const n = 10
	used := make([]bool, n)
	together(t, n, func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) (err error) {
			used[i], err = tx.DeleteCaptcha(c.ID)
			return err
		})
	})
	if got := countTrue(used); got != 1 {
		t.Errorf("%d of %d simultaneous answers used the CAPTCHA, want 1", got, n)
	}
}

func TestWorkersOfTwoInstancesNeverShareAMessage(t *testing.T) {
	dbs := instances(t, 2)
	const messages, workers, batch = 40, 6, 3
	var ids []int64
	err := dbs[0].Update(t.Context(), func(tx service.Tx) error {
		for i := range messages {
			id, err := tx.InsertMessage(service.Message{
				Kind: service.MessageCode, Channel: api.ChannelSMS, To: fmt.Sprintf("+8529123%04d", i),
				Status: api.DeliveryQueued, NextAttemptAt: t0, CreatedAt: t0,
			})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Minute)
	claimed := make([][]int64, workers)
	together(t, workers, func(w int) error {
		for {
			var got []service.Message
			err := dbs[w%2].Update(t.Context(), func(tx service.Tx) (err error) {
				got, err = tx.ClaimMessages(fmt.Sprintf("worker-%d", w), now, now.Add(time.Hour), batch)
				return err
			})
			if err != nil || len(got) == 0 {
				return err
			}
			for _, m := range got {
				claimed[w] = append(claimed[w], m.ID)
			}
		}
	})
	all := slices.Concat(claimed...)
	slices.Sort(all)
	if !slices.Equal(all, ids) {
		t.Errorf("the workers claimed %v, want each of %v exactly once", all, ids)
	}
}

func TestSecretFirstWriterWinsAcrossInstances(t *testing.T) {
	dbs := instances(t, 2)
	const n = 8
	stored := make([][]byte, n)
	together(t, n, func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) (err error) {
			if _, err := tx.Secret("code-hmac-key"); !errors.Is(err, service.ErrNotFound) {
				stored[i], err = tx.Secret("code-hmac-key")
				return err
			}
			if err := tx.InsertSecret("code-hmac-key", fmt.Appendf(nil, "key-of-%d", i)); err != nil {
				return err
			}
			stored[i], err = tx.Secret("code-hmac-key")
			return err
		})
	})
	for i, v := range stored {
		if !bytes.Equal(v, stored[0]) {
			t.Errorf("instance %d uses the key %q, instance 0 %q", i, v, stored[0])
		}
	}
}

func TestPurgeByTwoInstancesAtOnce(t *testing.T) {
	dbs := instances(t, 2)
	const rows = 50
	err := dbs[0].Update(t.Context(), func(tx service.Tx) error {
		for i := range rows {
			c := service.Captcha{ID: fmt.Sprint("c", i), Digits: []byte{1}, CreatedAt: t0, ExpiresAt: t0}
			if err := tx.InsertCaptcha(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Hour)
	purged := make([]int64, 4)
	together(t, len(purged), func(i int) error {
		return dbs[i%2].Update(t.Context(), func(tx service.Tx) (err error) {
			purged[i], err = tx.Purge(now, now, now)
			return err
		})
	})
	var total int64
	for _, n := range purged {
		total += n
	}
	if total != rows {
		t.Errorf("simultaneous purges deleted %v rows in all, want %d once", purged, rows)
	}
	err = dbs[1].View(t.Context(), func(tx service.Tx) error {
		_, err := tx.Captcha("c0")
		return err
	})
	if !errors.Is(err, service.ErrNotFound) {
		t.Errorf("an expired captcha survived the purges: %v", err)
	}
}

func countTrue(list []bool) int {
	n := 0
	for _, v := range list {
		if v {
			n++
		}
	}
	return n
}
