package schema

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestListOrdersByNumber(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0010_ten.sql":   {Data: []byte("ten")},
		"m/0002_two.sql":   {Data: []byte("two")},
		"m/1_one.sql":      {Data: []byte("one")},
		"m/notes.txt":      {Data: []byte("not a migration")},
		"other/0003_x.sql": {Data: []byte("elsewhere")},
	}
	list, err := List(fsys, "m/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := []Migration{
		{Version: 1, Name: "1_one.sql", SQL: "one"},
		{Version: 2, Name: "0002_two.sql", SQL: "two"},
		{Version: 10, Name: "0010_ten.sql", SQL: "ten"},
	}
	if !slices.Equal(list, want) {
		t.Errorf("List = %v, want %v", list, want)
	}
}

func TestListRefusesBadSets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"none", nil, "no migrations"},
		{"no number", []string{"initial.sql"}, "initial.sql: name must start"},
		{"no underscore", []string{"0001.sql"}, "0001.sql: name must start"},
		{"zero", []string{"0000_zero.sql"}, "0000_zero.sql: name must start"},
		{"negative", []string{"-1_minus.sql"}, "-1_minus.sql: name must start"},
		{"shared version", []string{"0001_a.sql", "1_b.sql"}, "share a version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1")}
			}
			_, err := List(fsys, "m/*.sql")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("List(%v) = %v, want an error containing %q", tc.files, err, tc.want)
			}
		})
	}
}

// fakeDB is a schema_migrations table with transactions: a transaction's
// changes reach the table only when its function returns nil.
type fakeDB struct {
	applied map[int]string // version → name
	ran     []string       // the SQL of committed migrations, in order
	fail    string         // Exec of this SQL fails
	txs     int
}

type fakeTx struct {
	db      *fakeDB
	applied map[int]string
	ran     []string
}

func (db *fakeDB) inTx(ctx context.Context, fn func(Tx) error) error {
	db.txs++
	tx := &fakeTx{db: db, applied: maps.Clone(db.applied), ran: slices.Clone(db.ran)}
	if err := fn(tx); err != nil {
		return err
	}
	db.applied, db.ran = tx.applied, tx.ran
	return nil
}

func (tx *fakeTx) Newest(context.Context) (int, error) {
	return slices.Max(append(slices.Collect(maps.Keys(tx.applied)), 0)), nil
}

func (tx *fakeTx) Applied(_ context.Context, version int) (bool, error) {
	_, ok := tx.applied[version]
	return ok, nil
}

func (tx *fakeTx) Exec(_ context.Context, sql string) error {
	if sql == tx.db.fail {
		return errors.New("syntax error")
	}
	tx.ran = append(tx.ran, sql)
	return nil
}

func (tx *fakeTx) Record(_ context.Context, m Migration) error {
	tx.applied[m.Version] = m.Name
	return nil
}

var three = []Migration{
	{Version: 1, Name: "0001_a.sql", SQL: "a"},
	{Version: 2, Name: "0002_b.sql", SQL: "b"},
	{Version: 5, Name: "0005_c.sql", SQL: "c"},
}

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name        string
		applied     map[int]string
		fail        string
		wantErr     string // "" for success
		wantRan     []string
		wantApplied []int
		wantTxs     int
	}{
		{
			name:        "new database gets every migration in order",
			applied:     map[int]string{},
			wantRan:     []string{"a", "b", "c"},
			wantApplied: []int{1, 2, 5},
			wantTxs:     3,
		},
		{
			name:        "applied migrations are skipped",
			applied:     map[int]string{1: "0001_a.sql", 2: "0002_b.sql"},
			wantRan:     []string{"c"},
			wantApplied: []int{1, 2, 5},
			wantTxs:     3,
		},
		{
			name:        "an up-to-date database runs nothing",
			applied:     map[int]string{1: "0001_a.sql", 2: "0002_b.sql", 5: "0005_c.sql"},
			wantApplied: []int{1, 2, 5},
			wantTxs:     3,
		},
		{
			name:        "a newer schema is refused before anything runs",
			applied:     map[int]string{1: "0001_a.sql", 6: "0006_future.sql"},
			wantErr:     "the database has schema version 6, newer than this program's 5; use a newer program",
			wantApplied: []int{1, 6},
			wantTxs:     1,
		},
		{
			name:        "a failing migration stops the run and is not recorded",
			applied:     map[int]string{},
			fail:        "b",
			wantErr:     "migration 0002_b.sql: syntax error",
			wantRan:     []string{"a"},
			wantApplied: []int{1},
			wantTxs:     2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := &fakeDB{applied: tc.applied, fail: tc.fail}
			err := Run(t.Context(), three, db.inTx)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("Run: %v", err)
			}
			if tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
				t.Fatalf("Run = %v, want %q", err, tc.wantErr)
			}
			if !slices.Equal(db.ran, tc.wantRan) {
				t.Errorf("ran %q, want %q", db.ran, tc.wantRan)
			}
			if got := slices.Sorted(maps.Keys(db.applied)); !slices.Equal(got, tc.wantApplied) {
				t.Errorf("recorded versions %v, want %v", got, tc.wantApplied)
			}
			if db.txs != tc.wantTxs {
				t.Errorf("%d transactions, want %d", db.txs, tc.wantTxs)
			}
		})
	}
}

func TestRunNeedsMigrations(t *testing.T) {
	db := &fakeDB{applied: map[int]string{}}
	if err := Run(t.Context(), nil, db.inTx); err == nil {
		t.Error("Run with no migrations succeeded")
	}
	if db.txs != 0 {
		t.Errorf("Run with no migrations began %d transactions", db.txs)
	}
}
