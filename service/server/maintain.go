package server

import (
	"context"
	"log/slog"
	"time"

	"casreset/service"
)

// maintain deletes expired state and refreshes the TLS certificate, at
// start and then every cfg.PurgeInterval, until ctx is done.
func maintain(ctx context.Context, store service.Store, certs *certSource, clock service.Clock, cfg Config, log *slog.Logger) {
	ticker := time.NewTicker(cfg.PurgeInterval)
	defer ticker.Stop()
	for {
		now := clock.Now()
		purge(ctx, store, now, cfg, log)
		if err := certs.update(now); err != nil {
			log.Error("TLS certificate not refreshed; the current one stays in use", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// purge deletes expired CAPTCHAs, flows and rate-limit hits, messages
// finished before cfg.KeepMessages and audit events older than
// cfg.KeepAudit.
func purge(ctx context.Context, store service.Store, now time.Time, cfg Config, log *slog.Logger) {
	var n int64
	err := store.Update(ctx, func(tx service.Tx) error {
		var err error
		n, err = tx.Purge(now, now.Add(-cfg.KeepMessages), now.Add(-cfg.KeepAudit))
		return err
	})
	switch {
	case ctx.Err() != nil:
	case err != nil:
		log.Error("purge failed", "error", err)
	case n > 0:
		log.Info("purged expired rows", "rows", n)
	}
}
