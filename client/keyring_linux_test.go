package client

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestKeyringWithGnomeKeyring(t *testing.T) {
	bus := sharedBus(t, "gnome-keyring", true)
	// godbus connects to this address on the first keyring call and keeps
	// the connection: no other test of this process uses the session bus.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.addr)

	k := NewKeyring()
	if !k.Available() {
		t.Fatal("Available = false with gnome-keyring running")
	}
	rememberForget(t, k)
}

// returnsWithin runs fn and fails the test if it has not returned after
// limit: the keyring must never hang the wizard.
func returnsWithin(t *testing.T, limit time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("%s still blocked after %s", what, limit)
	}
}

func TestKeyringWithoutSecretService(t *testing.T) {
	tests := []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"no session bus", func(t *testing.T) string {
			return "unix:path=" + filepath.Join(t.TempDir(), "no-bus")
		}},
		{"a session bus without a Secret Service", func(t *testing.T) string {
			return sharedBus(t, "empty", false).addr
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !inChild(t, func() []string { return []string{"DBUS_SESSION_BUS_ADDRESS=" + tt.addr(t)} }) {
				return
			}
			k := NewKeyring()
			var available bool
			returnsWithin(t, keyringTimeout+2*time.Second, "Available", func() { available = k.Available() })
			if available {
				t.Fatal("Available = true without a Secret Service")
			}
			returnsWithin(t, time.Second, "the calls after a failed probe", func() {
				if _, err := k.Get(); err == nil || errors.Is(err, ErrNotFound) {
					t.Errorf("Get: %v, want a failure", err)
				}
				if err := k.Remember("12345"); err == nil {
					t.Error("Remember succeeded")
				}
			})
		})
	}
}

func TestKeyringWithAHungSecretService(t *testing.T) {
	if !inChild(t, func() []string { return []string{"DBUS_SESSION_BUS_ADDRESS=" + hungSecretService(t)} }) {
		return
	}
	// The real limit first: the probe gives up after keyringTimeout.
	k := NewKeyring()
	var available bool
	returnsWithin(t, keyringTimeout+2*time.Second, "Available", func() { available = k.Available() })
	if available {
		t.Fatal("Available = true with a Secret Service that never answers")
	}
	returnsWithin(t, time.Second, "Remember after the probe timed out", func() {
		if err := k.Remember("12345"); !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("Remember: %v, want ErrKeyringUnavailable", err)
		}
	})

	// Each call on its own is bounded too.
	short := NewKeyring()
	short.timeout = 200 * time.Millisecond
	returnsWithin(t, 2*time.Second, "Get", func() {
		if _, err := short.Get(); !errors.Is(err, ErrKeyringTimeout) {
			t.Errorf("Get: %v, want ErrKeyringTimeout", err)
		}
	})
}
