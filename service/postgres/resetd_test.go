package postgres_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/api"
	"casreset/client"
	"casreset/internal/testkit/pgtest"
	"casreset/service"
	"casreset/service/delivery/deliverytest"
	"casreset/service/server"
)

// TestTwoResetdOnOneDatabase runs `resetd serve --db postgres://…` twice,
// each with its own delivery worker and purge job, both writing into one
// outbox, and walks a flow that hops between them.
func TestTwoResetdOnOneDatabase(t *testing.T) {
	url := pgtest.Start(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	const captchaAnswer = "424242"

	var nodes []*client.Client
	for range 2 {
		cfg := server.DefaultConfig()
		cfg.Addr = "127.0.0.1:0"
		cfg.DataDir = t.TempDir() // for the generated certificate only
		cfg.DB = url
		cfg.MetricsAddr = server.MetricsOff // two instances: one default port
		cfg.Outbox = outbox
		cfg.Org.Name = "Example College"
		cfg.Org.HelpEmail = "ithelp@example.edu.hk"
		cfg.Service.PasswordHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}
		cfg.Service.TestCaptchaAnswer = captchaAnswer
		r, err := server.Start(t.Context(), cfg)
		if err != nil {
			t.Fatalf("server.Start with --db postgres: %v", err)
		}
		t.Cleanup(func() { r.Shutdown(context.Background()) })
		cl, err := client.New(client.Config{BaseURL: r.URL, CAPEM: r.CAPEM})
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, cl)
	}

	// As `resetd accounts import --db …` would, through the same opener.
	store, desc, err := server.OpenStore(t.Context(), "", url, true)
	if err != nil {
		t.Fatalf("OpenStore(%q): %v", url, err)
	}
	t.Cleanup(func() { store.Close() })
	if want := "PostgreSQL postgres@127.0.0.1"; !strings.HasPrefix(desc, want) {
		t.Errorf("the store is described as %q, want it to start with %q", desc, want)
	}
	if err := store.Update(t.Context(), func(tx service.Tx) error { return tx.UpsertAccount(staff) }); err != nil {
		t.Fatal(err)
	}

	ctx := t.Context()
	cp, err := nodes[0].NewCaptcha(ctx)
	if err != nil {
		t.Fatalf("NewCaptcha on instance 0: %v", err)
	}
	start, err := nodes[1].Start(ctx, api.StartRequest{StaffNumber: staff.StaffNumber, CaptchaID: cp.CaptchaID, CaptchaAnswer: captchaAnswer})
	if err != nil {
		t.Fatalf("Start on instance 1: %v", err)
	}
	token := start.ResetToken
	if _, err := nodes[0].SendCode(ctx, token, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
		t.Fatalf("SendCode on instance 0: %v", err)
	}
	code := deliverytest.WaitForOutbox(t, outbox, 1, 15*time.Second)[0].Code
	if _, err := nodes[1].Verify(ctx, token, code); err != nil {
		t.Fatalf("Verify on instance 1 of the code instance 0 queued: %v", err)
	}
	if _, err := nodes[0].SetPassword(ctx, token, api.PasswordRequest{NewPassword: "Harbour-view-2025"}); err != nil {
		t.Fatalf("SetPassword on instance 0: %v", err)
	}

	// The code, then the change notice by SMS and by e-mail: each sent
	// once, although two workers watch the queue.
	msgs := deliverytest.WaitForOutbox(t, outbox, 3, 15*time.Second)
	if len(msgs) != 3 {
		t.Errorf("the outbox holds %d messages, want 3 (code, SMS and e-mail notices)", len(msgs))
	}

	// As `resetd audit --db …` would.
	var events []service.AuditEvent
	err = store.View(ctx, func(tx service.Tx) (err error) {
		events, err = tx.Audit(service.AuditFilter{StaffNumber: staff.StaffNumber})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || events[0].Event != service.EventPasswordChanged {
		t.Errorf("the newest audit event of the account is %+v, want %s", events, service.EventPasswordChanged)
	}
}
