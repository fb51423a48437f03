package server

import (
	"context"
	"log/slog"
	"time"

	"casreset/service"
)

// maintain deletes expired state and refreshes the TLS certificate, at
// start and then every cfg.PurgeInterval, until ctx is done.
func maintain(ctx context.Context, svc *service.Service, certs *certSource, clock service.Clock, cfg Config, log *slog.Logger) {
	ticker := time.NewTicker(cfg.PurgeInterval)
	defer ticker.Stop()
	for {
		now := clock.Now()
		purge(ctx, svc, cfg, log)
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

// purge deletes expired CAPTCHAs and flows, rate-limit hits older than the
// longest limit window, messages finished before cfg.KeepMessages and audit
// events older than cfg.KeepAudit (Service.Purge keeps the limits whole).
func purge(ctx context.Context, svc *service.Service, cfg Config, log *slog.Logger) {
	n, err := svc.Purge(ctx, cfg.KeepMessages, cfg.KeepAudit)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		log.Error("purge failed", "error", err)
	case n > 0:
		log.Info("purged expired rows", "rows", n)
	}
}
