// Package embedded is the desktop app's embedded default: the reset
// service run in-process on a free loopback port, so that the app works
// with nothing configured. It serves TLS with a CA made in memory for this
// run, which the client pins; keeps its SQLite database in the user's
// cache directory; holds a few demonstration accounts; and writes every
// message into an outbox directory beside it that the app's "Demo inbox"
// shows, instead of sending it. The service is the real one, CAPTCHAs
// included.
package embedded

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"casreset/client"
	"casreset/service"
	"casreset/service/delivery"
	"casreset/service/server"
)

// OutboxDir is the outbox's directory in the cache directory.
const OutboxDir = "outbox"

// Accounts are the demonstration accounts, written at every start. The
// README and the help page list them.
var Accounts = []service.Account{
	// Both channels: SMS and e-mail.
	{StaffNumber: "12345678", Name: "CHAN Tai Man", Mobile: "+85291234534", Email: "chan.tai.man@example.edu.hk"},
	// E-mail only.
	{StaffNumber: "33333333", Name: "LEE Ka Yan", Email: "lee.ka.yan@example.edu.hk"},
	// A contract that ended long ago: refused at step 1.
	{StaffNumber: "55555555", Name: "LAM Mei", Mobile: "+85298765432", ContractEnd: "2021-07-31"},
}

// Options configure the embedded service.
type Options struct {
	// CacheDir is where the demonstration database and the outbox live;
	// empty means os.UserCacheDir()/casreset.
	CacheDir string
	// Org is the organisation as the demonstration messages present it;
	// it needs a name and an IT Help e-mail address or phone number.
	Org delivery.Org
	// Version is the app's version, for the client's User-Agent.
	Version string
	// Log receives the service's log; nil discards it.
	Log *slog.Logger
	// Configure, when set, adjusts the service's configuration before it
	// starts. Tests use it; the app does not.
	Configure func(*server.Config)
}

// Demo is the running embedded service.
type Demo struct {
	// Client is the client configuration that reaches it and trusts only
	// the CA made for this run, pinned.
	Client client.Config
	// Outbox is the directory of the messages it "sent", one JSON file
	// each (delivery.ReadOutbox reads them): CacheDir/outbox.
	Outbox string
	// DataDir holds its SQLite database.
	DataDir string
	// Operator is the demonstration's IT Help operator, for the help
	// desk.
	Operator *DemoOperator

	running *server.Running
}

// Start starts the embedded service and returns once it listens.
func Start(ctx context.Context, opts Options) (*Demo, error) {
	cache := opts.CacheDir
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no cache directory for the demonstration database: %w", err)
		}
		cache = filepath.Join(dir, "casreset")
	}
	dataDir := filepath.Join(cache, "demo")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("demonstration database: %w", err)
	}
	// The outbox holds validation codes: it is emptied before the service
	// starts, so that the inbox shows this run's messages only and no
	// code outlives a run that was killed or could not remove it, and
	// removed when the service stops.
	outbox := filepath.Join(cache, OutboxDir)
	if err := removeContents(outbox); err != nil {
		return nil, fmt.Errorf("demo inbox: the messages of an earlier run cannot be removed: %w", err)
	}
	if err := os.MkdirAll(outbox, 0o700); err != nil {
		return nil, fmt.Errorf("demo inbox: %w", err)
	}

	cfg := server.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = dataDir
	cfg.EphemeralTLS = true
	cfg.MetricsAddr = server.MetricsOff // nobody scrapes a demonstration
	cfg.Outbox = outbox
	cfg.Org = opts.Org
	if cfg.Org.Location == nil {
		cfg.Org.Location = cfg.Service.Location
	}
	cfg.Log = opts.Log
	// The app waits for this when it quits; a demonstration has nothing
	// in flight worth a long wait.
	cfg.ShutdownTimeout = 3 * time.Second
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}

	r, err := server.Start(ctx, cfg)
	if err != nil {
		_ = removeDir(outbox)
		return nil, err
	}
	d := &Demo{Outbox: outbox, DataDir: dataDir, running: r}
	if err := d.addAccounts(ctx); err != nil {
		d.Shutdown(context.Background())
		return nil, err
	}
	if err := d.addOperator(ctx); err != nil {
		d.Shutdown(context.Background())
		return nil, err
	}
	pin, err := caPin(r.CAPEM)
	if err != nil {
		d.Shutdown(context.Background())
		return nil, err
	}
	d.Client = client.Config{BaseURL: r.URL, CAPEM: r.CAPEM, PinSHA256: pin, Version: opts.Version}
	return d, nil
}

// Store is the service's database, for tests that look behind the API.
func (d *Demo) Store() service.Store { return d.running.Store }

// Shutdown stops the service, closes the database and removes the
// outbox. It may be called more than once.
func (d *Demo) Shutdown(ctx context.Context) error {
	err := d.running.Shutdown(ctx)
	return errors.Join(err, removeDir(d.Outbox))
}

// addAccounts writes the demonstration accounts; their passwords and
// password history stay as earlier runs left them.
func (d *Demo) addAccounts(ctx context.Context) error {
	err := d.running.Store.Update(ctx, func(tx service.Tx) error {
		for _, a := range Accounts {
			if err := tx.UpsertAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demonstration accounts: %w", err)
	}
	return nil
}

// caPin is the pin of the CA in caPEM.
func caPin(caPEM []byte) (string, error) {
	b, _ := pem.Decode(caPEM)
	if b == nil {
		return "", errors.New("the embedded service gave no CA certificate")
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return "", fmt.Errorf("the embedded service's CA: %w", err)
	}
	return client.SPKIPin(cert), nil
}
