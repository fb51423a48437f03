package service

import (
	"context"
	"time"
)

// Purge deletes rows nobody needs any more: captchas, flows and rate-limit
// hits once the longest limit window has passed over them, help-desk
// verifications and passes once expired, finished messages older than
// messageRetention and audit events older than auditRetention. Every instance may run it; deleting twice is harmless.
func (s *Service) Purge(ctx context.Context, messageRetention, auditRetention time.Duration) (int64, error) {
	now := s.clock.Now()
	window := max(s.cfg.SendWindow, s.cfg.StartWindow, s.cfg.ReminderWindow, s.cfg.FlowTTL,
		s.cfg.CaptchaWindow, s.cfg.WrongCaptchaWindow, s.cfg.WrongCodeWindow, s.cfg.OperatorAuth.FailureWindow)
	var n int64
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		n, err = tx.Purge(now.Add(-window), now.Add(-messageRetention), now.Add(-auditRetention))
		if err != nil {
			return err
		}
		sessions, err := tx.PurgeOperatorSessions(now)
		n += sessions
		if err != nil {
			return err
		}
		helpdesk, err := tx.PurgeHelpdesk(now)
		n += helpdesk
		return err
	})
	return n, err
}
