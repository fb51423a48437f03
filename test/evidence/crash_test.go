package evidence

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"casreset/api"
)

// TestKillDuringPasswordChanges starts many password changes at once and
// kills resetd (SIGKILL) after a random number of them have been answered,
// with the others somewhere between the request and the commit. After a
// restart the database is intact, every account holds either its old or
// its new password (never anything else), every change answered 200 is
// there, and every account can be reset again.
func TestKillDuringPasswordChanges(t *testing.T) {
	const accounts = 16
	s := newSetup(t, sqliteOnly)
	s.importAccounts(t, accounts)
	// Every PC here is 127.0.0.1: three flows per account are more
	// starts than one address may make by default.
	limits := []string{"--starts-per-addr", "1000"}
	in := s.start(t, limits...)
	ctx := testContext(t)
	box := newInbox(in.outbox)
	pcs := clients(in, accounts)

	oldPw, newPw := make([]string, accounts), make([]string, accounts)
	tokens := make([]string, accounts)
	parallel(t, accounts, func(i int) error {
		oldPw[i], newPw[i] = fmt.Sprintf("Old7Password%03d", i), fmt.Sprintf("New7Password%03d", i)
		if err := changePassword(ctx, pcs[i], box, i, oldPw[i]); err != nil {
			return err
		}
		var err error
		tokens[i], err = verifiedFlow(ctx, pcs[i], box, i)
		return err
	})

	killAfter := 1 + rand.IntN(accounts/2)
	t.Logf("SIGKILL after the %d. answered change of %d", killAfter, accounts)
	answered := make([]bool, accounts)
	var mu sync.Mutex
	ok := 0
	parallel(t, accounts, func(i int) error {
		if _, err := pcs[i].SetPassword(ctx, tokens[i], api.PasswordRequest{NewPassword: newPw[i]}); err != nil {
			return nil // cut off by the kill
		}
		mu.Lock()
		defer mu.Unlock()
		answered[i] = true
		if ok++; ok == killAfter {
			return in.cmd.Process.Signal(syscall.SIGKILL)
		}
		return nil
	})
	in.wait()
	if ok == accounts {
		t.Fatal("every change was answered before the kill took effect; nothing was cut off")
	}

	// The restart recovers the database (SQLite replays or drops the WAL).
	in = s.start(t, limits...)
	if err := in.stop(); err != nil {
		t.Fatalf("resetd after the restart: %v\n%s", err, in.stderr.String())
	}
	db := s.openDB(t)
	changed := 0
	for i := range accounts {
		hash := storedHash(t, db, i)
		switch {
		case holds(t, hash, newPw[i]):
			changed++
		case answered[i]:
			t.Errorf("%s: answered 200, but the new password is not stored", staff(i))
		case !holds(t, hash, oldPw[i]):
			t.Errorf("%s: the stored password is neither the old nor the new one", staff(i))
		}
	}
	t.Logf("%d answered, %d changed, %d unchanged", ok, changed, accounts-changed)
	db.Close()

	// Nothing is wedged: every account can be reset again.
	in = s.start(t, limits...)
	pcs = clients(in, accounts)
	parallel(t, accounts, func(i int) error {
		return changePassword(ctx, pcs[i], box, i, fmt.Sprintf("Again7Password%03d", i))
	})
}

// parallel runs fn(0) … fn(n-1) at once, waits for them, and stops the
// test if any failed.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestSIGTERMLetsRequestsInFlightFinish holds a password change half-sent
// while resetd gets SIGTERM: new connections are refused at once, and the
// change in flight completes with 200 before the process exits.
func TestSIGTERMLetsRequestsInFlightFinish(t *testing.T) {
	s := newSetup(t, sqliteOnly)
	s.importAccounts(t, 1)
	in := s.start(t)
	ctx := testContext(t)
	box := newInbox(in.outbox)
	token := mustVerifiedFlow(t, ctx, in.client(), box, 0)

	body := `{"new_password":"Graceful7Stop9x"}`
	conn := in.dial()
	conn.SetDeadline(time.Now().Add(time.Minute))
	// Expect: 100-continue makes the server say when the handler has
	// begun reading the body: from then on the request is in flight.
	fmt.Fprintf(conn, "PUT /v1/resets/current/password HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", token, len(body))
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("waiting for 100 Continue: %q, %v", line, err)
	}
	if _, err := r.ReadString('\n'); err != nil { // the empty line after it
		t.Fatal(err)
	}
	io.WriteString(conn, body[:10])

	in.signal(syscall.SIGTERM)
	refused := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", in.hostPort(), time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Fatal("new connections were still accepted 10s after SIGTERM")
	}
	if !in.running() {
		t.Fatal("resetd exited with a request in flight")
	}

	io.WriteString(conn, body[10:])
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	defer resp.Body.Close()
	var changed api.PasswordResponse
	if err := json.NewDecoder(resp.Body).Decode(&changed); resp.StatusCode != http.StatusOK || err != nil || changed.ChangedAt.IsZero() {
		t.Fatalf("status %d, %+v, %v", resp.StatusCode, changed, err)
	}
	if err := in.wait(); err != nil {
		t.Fatalf("resetd after SIGTERM: %v\n%s", err, in.stderr.String())
	}
	db := s.openDB(t)
	if !holds(t, storedHash(t, db, 0), "Graceful7Stop9x") {
		t.Error("the change answered during the shutdown is not stored")
	}
}
