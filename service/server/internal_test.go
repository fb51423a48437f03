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

	"casreset/service"
	"casreset/service/storetest"
	"casreset/service/tlsgen"
)

func TestPurgeDeletesExpiredStateOnly(t *testing.T) {
	store := storetest.SQLite(t)
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	err := store.Update(ctx, func(tx service.Tx) error {
		if err := tx.InsertCaptcha(service.Captcha{ID: "old", Digits: []byte{1}, CreatedAt: now.Add(-20 * time.Minute), ExpiresAt: now.Add(-10 * time.Minute)}); err != nil {
			return err
		}
		return tx.InsertCaptcha(service.Captcha{ID: "live", Digits: []byte{1}, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	purge(ctx, store, now, DefaultConfig(), slog.New(slog.DiscardHandler))
	err = store.View(ctx, func(tx service.Tx) error {
		if _, err := tx.Captcha("old"); !errors.Is(err, service.ErrNotFound) {
			t.Errorf("expired captcha: %v, want ErrNotFound", err)
		}
		if _, err := tx.Captcha("live"); err != nil {
			t.Errorf("live captcha: %v", err)
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
