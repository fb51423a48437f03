package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"casreset/api"
	"casreset/client"
	"casreset/service"
	"casreset/service/accounts"
	"casreset/service/delivery"
	"casreset/service/server"
)

// captchaAnswer is the test switch's answer (RESETD_TEST_CAPTCHA_ANSWER):
// the load cannot read CAPTCHA images, and the service accepts it only on
// loopback.
const captchaAnswer = "246810"

// target is one resetd under load: the service in this process, its data
// and outbox in a temporary directory, its database SQLite or a
// throw-away PostgreSQL.
type target struct {
	engine  string
	dir     string
	pg      *pgServer
	running *server.Running
	mail    *mailbox
	cfg     server.Config
	logs    *logCounter
}

func startTarget(ctx context.Context, engine string, o options, stderr *os.File) (*target, error) {
	dir, err := os.MkdirTemp("", "resetd-load-")
	if err != nil {
		return nil, err
	}
	t := &target{engine: engine, dir: dir}
	ok := false
	defer func() {
		if !ok {
			t.close()
		}
	}()

	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.MetricsAddr = server.MetricsOff
	cfg.Outbox = filepath.Join(dir, "outbox")
	cfg.Org = delivery.Org{Name: "Load Test College", HelpEmail: "it-help@example.edu.hk", HelpPhone: "+852 2000 0000", Location: cfg.Service.Location}
	cfg.Service.TestCaptchaAnswer = captchaAnswer
	// Every simulated PC connects from 127.0.0.1, so the per-address
	// limits (30 starts and 120 CAPTCHAs per 10 minutes) would stop the
	// load after 30 flows; every other limit stays at its default.
	cfg.Service.StartsPerAddr = 1 << 30
	cfg.Service.CaptchasPerAddr = 1 << 30
	t.logs = newLogCounter(slog.NewTextHandler(stderr, nil))
	cfg.Log = slog.New(t.logs)
	switch engine {
	case "sqlite":
	case "postgres":
		if t.pg, err = startPostgres(ctx); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		cfg.DB = t.pg.URL()
	default:
		return nil, fmt.Errorf("unknown engine %q (sqlite or postgres)", engine)
	}
	t.cfg = cfg
	if t.mail, err = newMailbox(cfg.Outbox); err != nil {
		return nil, err
	}
	if t.running, err = server.Start(ctx, cfg); err != nil {
		return nil, fmt.Errorf("resetd on %s: %w", engine, err)
	}
	if err := importAccounts(ctx, t.running.Store, o.accounts); err != nil {
		return nil, fmt.Errorf("import accounts: %w", err)
	}
	ok = true
	return t, nil
}

// client is one simulated PC: its own client, hence its own connection.
func (t *target) client() (*client.Client, error) {
	return client.New(client.Config{BaseURL: t.running.URL, CAPEM: t.running.CAPEM, Version: "load"})
}

// stopService shuts resetd down gracefully; the data stays for the checks.
func (t *target) stopService(ctx context.Context) error {
	if t.running == nil {
		return nil
	}
	err := t.running.Shutdown(ctx)
	t.running = nil
	return err
}

func (t *target) close() {
	if t.running != nil {
		t.running.Shutdown(context.Background())
	}
	if t.mail != nil {
		t.mail.Close()
	}
	if t.pg != nil {
		t.pg.stop()
	}
	os.RemoveAll(t.dir)
}

// Accounts of the load: staff number L000000…, both contacts, no end date.
func staffNumber(i int) string  { return fmt.Sprintf("L%06d", i) }
func mobile(i int) string       { return fmt.Sprintf("+8529%07d", i) }
func email(i int) string        { return fmt.Sprintf("staff%06d@example.edu.hk", i) }
func unknownStaff(i int) string { return fmt.Sprintf("X%06d", i) }

// importAccounts goes the way `resetd accounts import` goes: a CSV file,
// parsed all or nothing, upserted in one transaction.
func importAccounts(ctx context.Context, store service.Store, n int) error {
	var csv strings.Builder
	csv.WriteString(strings.Join(accounts.Columns, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&csv, "%s,Staff Member,%s,%s,\n", staffNumber(i), mobile(i), email(i))
	}
	list, err := accounts.ParseCSV(strings.NewReader(csv.String()), api.StaffNumberCaseSensitive)
	if err != nil {
		return err
	}
	return store.Update(ctx, func(tx service.Tx) error {
		for _, a := range list {
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
}
