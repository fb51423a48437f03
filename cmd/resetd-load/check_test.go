package main

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"casreset/service"
	"casreset/service/server"
)

// TestCheckFindsLostAndHalfAppliedChanges runs a few real flows, then
// damages the database behind resetd's back in the two ways the check
// exists for, and expects it to name exactly those accounts.
func TestCheckFindsLostAndHalfAppliedChanges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := options{flows: 4, accounts: 4, users: 2}
	tg, err := startTarget(ctx, "sqlite", o, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	book := newLedger()
	users := make([]*user, o.users)
	for i := range users {
		c, err := tg.client()
		if err != nil {
			t.Fatal(err)
		}
		users[i] = &user{c: c, t: tg, rec: newRecorder(), book: book}
	}
	if run := runFlows(ctx, tg, users, o); run.ok != o.flows {
		t.Fatalf("%d of %d flows completed: %v", run.ok, run.flows, users[0].rec.errorList())
	}
	if err := tg.stopService(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := checkPasswords(ctx, tg, book, o.accounts); err != nil || len(res.problems) != 0 || res.changed != o.accounts {
		t.Fatalf("before any damage: %+v, %v", res, err)
	}

	// L000001 loses its change (an older password is stored); L000002's
	// history gains a row its account never got (half-applied).
	db, err := sql.Open("sqlite", filepath.Join(tg.cfg.DataDir, server.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := service.HashPassword("Stale7Password9", tg.cfg.Service.PasswordHash)
	if _, err := db.Exec("UPDATE accounts SET password_hash = ? WHERE staff_number = ?", stale, staffNumber(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO password_history (staff_number, hash, created_at) VALUES (?, ?, ?)", staffNumber(2), stale, time.Now().Add(time.Hour).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	res, err := checkPasswords(ctx, tg, book, o.accounts)
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, p := range res.problems {
		named = append(named, strings.SplitN(p, ":", 2)[0])
	}
	if want := []string{staffNumber(1), staffNumber(2)}; !slices.Equal(named, want) {
		t.Errorf("problems %q, want accounts %v", res.problems, want)
	}
	if res.codesRead != o.flows {
		t.Errorf("codes in the outbox %d, want %d", res.codesRead, o.flows)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 95, 4 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 91, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("p%d of %v = %v, want %v", tt.p, tt.sorted, got, tt.want)
		}
	}
}

func TestFlagsRefuseUnboundedOrImpossibleRuns(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
	}{
		{nil, true},
		{[]string{"-users", "0"}, false},
		{[]string{"-accounts", "4", "-users", "8"}, false},
		{[]string{"-flows", "1000", "-accounts", "50", "-users", "8"}, false}, // 21 codes per account a day
		{[]string{"-timeout", "0"}, false},
		{[]string{"extra"}, false},
	}
	for _, tt := range tests {
		if _, err := parseFlags(tt.args, io.Discard); (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok=%v", tt.args, err, tt.ok)
		}
	}
}
