package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/tlsgen"
)

func TestPurgeDeletesExpiredStateOnly(t *testing.T) {
	store := storetest.SQLite(t)
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	svc, err := service.New(service.DefaultConfig(), store, nil, service.NewManualClock(now), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := 24 * time.Hour
	err = store.Update(ctx, func(tx service.Tx) error {
		for _, c := range []service.Captcha{
			{ID: "old", Digits: []byte{1}, CreatedAt: now.Add(-2 * day), ExpiresAt: now.Add(-2*day + 10*time.Minute)},
			{ID: "live", Digits: []byte{1}, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)},
		} {
			if err := tx.InsertCaptcha(c); err != nil {
				return err
			}
		}
		// A send an hour ago still counts against the 24-hour allowance.
		return tx.AddHit("recent", now.Add(-time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	purge(ctx, svc, DefaultConfig(), slog.New(slog.DiscardHandler))
	err = store.View(ctx, func(tx service.Tx) error {
		if _, err := tx.Captcha("old"); !errors.Is(err, service.ErrNotFound) {
			t.Errorf("expired captcha: %v, want ErrNotFound", err)
		}
		if _, err := tx.Captcha("live"); err != nil {
			t.Errorf("live captcha: %v", err)
		}
		if n, _, err := tx.CountHits("recent", now.Add(-day)); err != nil || n != 1 {
			t.Errorf("hits inside the window after purge: %d, %v; want 1", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOwnCertificateIsReadAgainWhenItChanges(t *testing.T) {
	now := time.Now()
	bDir := t.TempDir()
	if _, err := tlsgen.Ensure(bDir, nil, now); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")

	// Start from one pair, then replace it with another.
	src := t.TempDir()
	if _, err := tlsgen.Ensure(src, nil, now); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(src, tlsgen.ServerFile), certPath, now.Add(-time.Hour))
	copyFile(t, filepath.Join(src, tlsgen.ServerKeyFile), keyPath, now.Add(-time.Hour))

	cfg := DefaultConfig()
	cfg.TLSCert, cfg.TLSKey = certPath, keyPath
	s, err := newCertSource(cfg, now)
	if err != nil {
		t.Fatal(err)
	}
	first := s.current.Load()
	before := first.Certificate[0]

	if err := s.update(now); err != nil {
		t.Fatal(err)
	}
	if s.current.Load() != first {
		t.Fatal("certificate read again although the files did not change")
	}

	copyFile(t, filepath.Join(bDir, tlsgen.ServerFile), certPath, now)
	copyFile(t, filepath.Join(bDir, tlsgen.ServerKeyFile), keyPath, now)
	if err := s.update(now); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(s.current.Load().Certificate[0], before) {
		t.Fatal("certificate not read again after the files changed")
	}

	// A broken replacement keeps the working certificate.
	current := s.current.Load()
	os.WriteFile(keyPath, []byte("garbage"), 0o600)
	os.Chtimes(keyPath, now.Add(time.Minute), now.Add(time.Minute))
	if err := s.update(now); err == nil {
		t.Error("a broken key was accepted")
	}
	if s.current.Load() != current {
		t.Error("a broken replacement displaced the working certificate")
	}
}

func copyFile(t *testing.T, from, to string, mtime time.Time) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(to, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
