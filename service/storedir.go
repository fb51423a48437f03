package service

import (
	"context"
	"strings"
	"time"
)

// storeDirectory keeps accounts and their password hashes in the service's
// own database: the default when no LDAP directory is configured.
type storeDirectory struct {
	store  Store
	hasher *hasher
	clock  Clock
}

// NewStoreDirectory returns a Directory over the accounts in store.
// Passwords are kept as Argon2id hashes with cfg.PasswordHash.
func NewStoreDirectory(store Store, cfg Config) Directory {
	return newStoreDirectory(store, cfg, SystemClock{})
}

func newStoreDirectory(store Store, cfg Config, clock Clock) *storeDirectory {
	return &storeDirectory{store: store, hasher: newHasher(cfg.PasswordHash, cfg.MaxConcurrentHashes), clock: clock}
}

// Account looks an account up by staff number (ErrNotFound).
func (d *storeDirectory) Account(ctx context.Context, staffNumber string) (Account, error) {
	var a Account
	err := d.store.View(ctx, func(tx Tx) error {
		var err error
		a, err = tx.Account(staffNumber)
		return err
	})
	return a, err
}

// AccountsByContact finds the accounts of an e-mail address or an E.164
// mobile number.
func (d *storeDirectory) AccountsByContact(ctx context.Context, contact string) ([]Account, error) {
	var out []Account
	err := d.store.View(ctx, func(tx Tx) error {
		var err error
		if strings.Contains(contact, "@") {
			out, err = tx.AccountsByEmail(contact)
		} else {
			out, err = tx.AccountsByMobile(contact)
		}
		return err
	})
	return out, err
}

// SetPassword hashes password and stores the hash.
func (d *storeDirectory) SetPassword(ctx context.Context, staffNumber, password string) error {
	hash, err := d.hasher.hash(ctx, password)
	if err != nil {
		return err
	}
	return d.SetPasswordHash(ctx, staffNumber, hash, d.clock.Now())
}

// SetPasswordHash stores a hash the service has already computed.
func (d *storeDirectory) SetPasswordHash(ctx context.Context, staffNumber, hash string, at time.Time) error {
	return d.store.Update(ctx, func(tx Tx) error {
		return tx.SetAccountPassword(staffNumber, hash, at)
	})
}

// Ping reports whether the database is reachable.
func (d *storeDirectory) Ping(ctx context.Context) error { return d.store.Ping(ctx) }
