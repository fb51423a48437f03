package client

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"casreset/api"
)

// rememberForget runs the life of a remembered staff number against k.
func rememberForget(t *testing.T, k *Keyring) {
	t.Helper()
	if err := k.Forget(); err != nil {
		t.Fatalf("Forget on a clean keyring: %v", err)
	}
	if _, err := k.Get(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Remember: %v, want ErrNotFound", err)
	}
	if err := k.Remember("  12345 "); err != nil {
		t.Fatalf("Remember: %v", err)
	}
	if got, err := k.Get(); err != nil || got != "12345" {
		t.Fatalf("Get = %q, %v; want the trimmed staff number", got, err)
	}
	// Stored normalised, as the service reads it: step 1 shows it so.
	for typed, want := range map[string]string{" Ｔ４８２１３ ": "T48213", "1234 5678": "12345678", "t-1234": "t-1234"} {
		if err := k.Remember(typed); err != nil {
			t.Fatalf("Remember(%q): %v", typed, err)
		}
		if got, err := k.Get(); err != nil || got != want {
			t.Fatalf("Remember(%q), then Get = %q, %v; want %q", typed, got, err, want)
		}
	}
	if err := k.Remember("T0678"); err != nil {
		t.Fatalf("Remember again: %v", err)
	}
	if got, err := k.Get(); err != nil || got != "T0678" {
		t.Fatalf("Get = %q, %v; want the latest staff number", got, err)
	}
	// One entry, under the fixed service name and the OS user: read it
	// the way any other program would.
	if got, err := keyring.Get(KeyringService, osUserName()); err != nil || got != "T0678" {
		t.Fatalf("keyring entry (%s, %s) = %q, %v", KeyringService, osUserName(), got, err)
	}
	if err := k.Forget(); err != nil {
		t.Fatalf("Forget: %v", err)
	}
	if _, err := k.Get(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Forget: %v, want ErrNotFound", err)
	}
	if err := k.Forget(); err != nil {
		t.Fatalf("Forget twice: %v", err)
	}
}

func TestKeyringWithGoKeyringMock(t *testing.T) {
	if !inChild(t, nil) {
		return
	}
	keyring.MockInit()
	k := NewKeyring()
	if !k.Available() {
		t.Fatal("Available = false with a working keyring")
	}
	rememberForget(t, k)

	for _, bad := range []string{"", "   ", "T/1234", "my password!", strings.Repeat("9", api.StaffNumberMaxLength+1)} {
		if err := k.Remember(bad); err == nil {
			t.Errorf("Remember(%q) was accepted", bad)
		}
	}
	if _, err := k.Get(); !errors.Is(err, ErrNotFound) {
		t.Errorf("a refused Remember stored something: %v", err)
	}

	keyring.MockInitWithError(errors.New("the collection is locked"))
	broken := NewKeyring()
	if broken.Available() {
		t.Error("Available = true with a keyring that fails every call")
	}
}

// blockingStore never answers until release is closed, like a Secret
// Service waiting for an unlock prompt; it counts the calls it gets.
type blockingStore struct {
	release chan struct{}
	calls   *atomic.Int32
}

func (s blockingStore) wait() { s.calls.Add(1); <-s.release }
func (s blockingStore) Get(string, string) (string, error) {
	s.wait()
	return "", keyring.ErrNotFound
}
func (s blockingStore) Set(string, string, string) error { s.wait(); return nil }
func (s blockingStore) Delete(string, string) error      { s.wait(); return nil }

func TestKeyringGivesUpOnAHungKeyring(t *testing.T) {
	tests := []struct {
		name  string
		first func(k *Keyring) error
	}{
		{"Get", func(k *Keyring) error { _, err := k.Get(); return err }},
		{"Remember", func(k *Keyring) error { return k.Remember("12345") }},
		{"Forget", func(k *Keyring) error { return k.Forget() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := blockingStore{release: make(chan struct{}), calls: &atomic.Int32{}}
			t.Cleanup(func() { close(store.release) })
			k := &Keyring{account: "u", timeout: 50 * time.Millisecond, store: store}

			if err := tt.first(k); !errors.Is(err, ErrKeyringTimeout) {
				t.Fatalf("error = %v, want ErrKeyringTimeout", err)
			}
			if k.Available() {
				t.Error("Available = true after a timeout")
			}
			// The hung service is not called again: no goroutines pile up.
			if _, err := k.Get(); !errors.Is(err, ErrKeyringUnavailable) {
				t.Errorf("Get after a timeout: %v, want ErrKeyringUnavailable", err)
			}
			if n := store.calls.Load(); n != 1 {
				t.Errorf("the hung keyring was called %d times, want 1", n)
			}
		})
	}
}

// countingStore is an empty keyring that counts Gets.
type countingStore struct{ gets *atomic.Int32 }

func (s countingStore) Get(string, string) (string, error) {
	s.gets.Add(1)
	return "", keyring.ErrNotFound
}
func (countingStore) Set(string, string, string) error { return nil }
func (countingStore) Delete(string, string) error      { return nil }

func TestKeyringAvailableProbesOnce(t *testing.T) {
	store := countingStore{gets: &atomic.Int32{}}
	k := &Keyring{account: "u", timeout: time.Second, store: store}
	for range 3 {
		if !k.Available() {
			t.Fatal("Available = false")
		}
	}
	if n := store.gets.Load(); n != 1 {
		t.Errorf("Available probed %d times, want once", n)
	}
}
