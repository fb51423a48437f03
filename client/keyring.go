package client

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"casreset/api"
)

// KeyringService is the service name of the keyring entry; the account is
// the OS user name.
const KeyringService = "hk.edu.casreset"

// keyringTimeout bounds every keyring call: a Secret Service that waits for
// an unlock prompt nobody sees would otherwise hang the wizard.
const keyringTimeout = 3 * time.Second

// Keyring errors.
var (
	// ErrNotFound means no staff number is remembered.
	ErrNotFound = errors.New("client: no staff number is remembered")
	// ErrKeyringTimeout means the keyring did not answer in time. The
	// keyring counts as unavailable from then on.
	ErrKeyringTimeout = errors.New("client: the keyring did not answer in time")
	// ErrKeyringUnavailable means an earlier probe or call found no
	// working keyring.
	ErrKeyringUnavailable = errors.New("client: no keyring is available")
)

// secretStore is the part of go-keyring the Keyring uses; tests replace it
// to simulate a Secret Service that hangs.
type secretStore interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// goKeyring is the OS keyring (Secret Service, Keychain, Credential
// Manager) through go-keyring.
type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, s string) error        { return keyring.Set(service, user, s) }
func (goKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Keyring remembers the staff number, and nothing else, in the OS keyring.
// Its calls block for up to 3 seconds; call them off the UI goroutine. The
// zero value works like NewKeyring's.
type Keyring struct {
	account string
	timeout time.Duration
	store   secretStore

	probe sync.Once
	mu    sync.Mutex
	dead  bool // a probe or call found no working keyring
}

// NewKeyring returns the keyring of the current OS user.
func NewKeyring() *Keyring {
	return &Keyring{account: osUserName(), timeout: keyringTimeout, store: goKeyring{}}
}

// Available reports whether a keyring answers, so that the wizard can hide
// "remember" where there is none. It probes once and caches the answer; a
// later timeout turns it false.
func (k *Keyring) Available() bool {
	k.probe.Do(func() {
		_, err := k.Get()
		if err != nil && !errors.Is(err, ErrNotFound) {
			k.markDead()
		}
	})
	k.mu.Lock()
	defer k.mu.Unlock()
	return !k.dead
}

// Get returns the remembered staff number, or ErrNotFound.
func (k *Keyring) Get() (string, error) {
	store, account := k.backend()
	staff, err := k.run(func() (string, error) { return store.Get(KeyringService, account) })
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return staff, nil
}

// Remember stores the staff number, replacing any remembered one. It
// stores the number normalised (api.ParseStaffNumber, keeping the case,
// which is the service's to fold), so that step 1 shows it the way the
// service reads it; anything that is not a staff number is refused.
func (k *Keyring) Remember(staff string) error {
	staff, err := api.ParseStaffNumber(staff, api.StaffNumberCaseSensitive)
	if err != nil {
		return fmt.Errorf("client: not remembered: %w", err)
	}
	store, account := k.backend()
	_, err = k.run(func() (string, error) { return "", store.Set(KeyringService, account, staff) })
	return err
}

// Forget removes the remembered staff number; forgetting nothing is not an
// error.
func (k *Keyring) Forget() error {
	store, account := k.backend()
	_, err := k.run(func() (string, error) { return "", store.Delete(KeyringService, account) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// run calls fn with the timeout. On a timeout fn is left to finish on its
// own (a D-Bus call cannot be cancelled) and the keyring is given up on, so
// that no further goroutine piles up behind a hung service.
func (k *Keyring) run(fn func() (string, error)) (string, error) {
	k.mu.Lock()
	dead := k.dead
	k.mu.Unlock()
	if dead {
		return "", ErrKeyringUnavailable
	}

	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1) // buffered: a late answer must not block fn's goroutine
	go func() {
		s, err := fn()
		done <- result{s, err}
	}()
	timeout := k.timeout
	if timeout <= 0 {
		timeout = keyringTimeout
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil && !errors.Is(r.err, keyring.ErrNotFound) {
			return "", fmt.Errorf("client: keyring: %w", r.err)
		}
		return r.s, r.err
	case <-timer.C:
		k.markDead()
		return "", ErrKeyringTimeout
	}
}

// backend returns the store and account, filling in those of a zero Keyring.
func (k *Keyring) backend() (secretStore, string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.store == nil {
		k.store = goKeyring{}
	}
	if k.account == "" {
		k.account = osUserName()
	}
	return k.store, k.account
}

func (k *Keyring) markDead() {
	k.mu.Lock()
	k.dead = true
	k.mu.Unlock()
}

// osUserName is the keyring account: the login name, which on Windows
// includes the domain.
func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	return "default"
}
