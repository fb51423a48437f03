package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the "sqlite" driver, to read the file resetd wrote

	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/server"
)

// storedPassword is what the database holds for one account after the
// run: the current hash, and the newest hash of its password history.
type storedPassword struct {
	hash, newestHistory string
}

// currentPasswords reads every account's stored hashes straight from the
// database, after resetd has shut down: the state another process, or the
// service after a restart, would find.
const currentPasswordsSQL = `
SELECT a.staff_number, a.password_hash,
       COALESCE((SELECT h.hash FROM password_history h
                 WHERE h.staff_number = a.staff_number
                 ORDER BY h.created_at DESC, h.id DESC LIMIT 1), '')
FROM accounts a`

func readPasswords(ctx context.Context, t *target) (map[string]storedPassword, error) {
	out := map[string]storedPassword{}
	add := func(staff, hash, hist string) { out[staff] = storedPassword{hash: hash, newestHistory: hist} }
	if t.pg != nil {
		conn, err := pgx.Connect(ctx, t.pg.URL())
		if err != nil {
			return nil, err
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, currentPasswordsSQL)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var staff, hash, hist string
			if err := rows.Scan(&staff, &hash, &hist); err != nil {
				return nil, err
			}
			add(staff, hash, hist)
		}
		return out, rows.Err()
	}
	// The busy timeout as the service's own connections have it: the last
	// connection of the stopped service may still be checkpointing its
	// write-ahead log when this one opens.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.cfg.DataDir, server.DatabaseFile)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		return nil, fmt.Errorf("integrity check: %q %v", integrity, err)
	}
	rows, err := db.QueryContext(ctx, currentPasswordsSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var staff, hash, hist string
		if err := rows.Scan(&staff, &hash, &hist); err != nil {
			return nil, err
		}
		add(staff, hash, hist)
	}
	return out, rows.Err()
}

// integrity is the outcome of checking every account against the ledger.
type integrity struct {
	accounts  int      // accounts checked
	changed   int      // with at least one successful change
	uncertain int      // whose last change got no answer (either password is right)
	problems  []string // accounts whose stored password is not their last change
	codesSent int      // codes the service accepted to send (202s)
	codesRead int      // code messages in the outbox
}

// checkPasswords verifies, for every account, that the stored hash is the
// password of its last successful change (or still unset when it had
// none), and that the history's newest entry is that same hash: a change
// applied to the account but not recorded, or the reverse, is
// half-applied. Each check is a full Argon2id verification.
func checkPasswords(ctx context.Context, t *target, book *ledger, accounts int) (integrity, error) {
	stored, err := readPasswords(ctx, t)
	if err != nil {
		return integrity{}, err
	}
	res := integrity{accounts: accounts}
	var mu sync.Mutex
	fail := func(format string, args ...any) {
		mu.Lock()
		res.problems = append(res.problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				staff := staffNumber(i)
				s, ok := stored[staff]
				if !ok {
					fail("%s: account missing", staff)
					continue
				}
				book.mu.Lock()
				want, changed := book.last[staff]
				maybe := book.uncertain[staff]
				book.mu.Unlock()
				candidates := maybe
				if changed {
					candidates = append([]string{want}, maybe...)
				}
				if len(candidates) == 0 {
					if s.hash != "" || s.newestHistory != "" {
						fail("%s: never changed, yet a password is stored", staff)
					}
					continue
				}
				matched := false
				for _, pw := range candidates {
					if okPw, err := service.VerifyPassword(pw, s.hash); err == nil && okPw {
						matched = true
						break
					}
				}
				switch {
				case !matched && len(maybe) > 0 && !changed && s.hash == "":
					// The only changes got no answer and none was applied.
				case !matched:
					fail("%s: the stored password is not the last change", staff)
				case s.newestHistory != s.hash:
					fail("%s: the password history does not end with the stored password (half-applied)", staff)
				}
			}
		}()
	}
	for i := range accounts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	book.mu.Lock()
	res.changed = len(book.last)
	res.uncertain = len(book.uncertain)
	book.mu.Unlock()
	sort.Strings(res.problems)

	msgs, err := delivery.ReadOutbox(t.cfg.Outbox)
	if err != nil {
		return res, err
	}
	for _, m := range msgs {
		if m.Code != "" {
			res.codesRead++
		}
	}
	return res, nil
}
