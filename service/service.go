// Package service is the domain of the password reset: the flow as a state
// machine, the password policy, CAPTCHAs, validation codes, limits and
// eligibility. It knows nothing of HTTP; adapters call the methods below.
//
// A reset flow moves through these steps, forward only:
//
//	started    Start accepted the CAPTCHA and the staff number; a reset
//	           token was issued (valid for Config.FlowTTL in all).
//	code_sent  SendCode queued a validation code; SendCode again ("reload")
//	           replaces it, within the cool-down and the send allowances.
//	verified   Verify accepted the latest code.
//	changing   (internal) SetPassword holds the flow while the directory is
//	           updated; it falls back to verified if the directory refuses.
//	changed    the password was changed; the token is spent.
//
// A flow also ends when it expires or after Config.MaxWrongCodes wrong
// codes; its token is then token_invalid, like an unknown one. Every error
// the methods return is an *api.Error whose detail may be shown to users.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"casreset/api"
)

// Client describes who is calling, for limits and the audit log.
type Client struct {
	Addr      string // the client's IP address, without port
	UserAgent string
	// Reference identifies the request; error answers and audit events
	// carry it so that the help desk can find one from the other.
	Reference string
}

// Service carries out the reset flow.
type Service struct {
	cfg    Config
	store  Store
	dir    Directory
	clock  Clock
	log    *slog.Logger
	hasher *hasher
	hook   atomic.Pointer[func(AuditEvent)]

	keyMu sync.Mutex
	key   []byte // the code HMAC key, once read from the store
}

// New returns a service over store and dir. A nil dir means accounts live in
// store (NewStoreDirectory). A nil clock is the system clock and a nil log
// discards.
func New(cfg Config, store Store, dir Directory, clock Clock, log *slog.Logger) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("service configuration: %w", err)
	}
	if store == nil {
		return nil, errors.New("service: no store")
	}
	if clock == nil {
		clock = SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		cfg:    cfg,
		store:  store,
		clock:  clock,
		log:    log,
		hasher: newHasher(cfg.PasswordHash, cfg.MaxConcurrentHashes),
	}
	if dir == nil {
		// Share the service's clock, and (through SetPasswordHash) its
		// hashes, with the default directory.
		dir = newStoreDirectory(store, cfg, clock)
	}
	s.dir = dir
	return s, nil
}

// Policy is the password policy for GET /v1/policy.
func (s *Service) Policy() api.Policy { return s.cfg.Policy.API() }

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// Ready reports whether the store and the directory are reachable, and
// whether the directory's service account holds the rights the service
// needs (where the directory can tell).
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("store not ready", "error", err)
		return refuse(api.CodeUnavailable, detailUnavailable)
	}
	if err := s.dir.Ping(ctx); err != nil {
		var missing *MissingRightError
		if errors.As(err, &missing) {
			// Monitoring learns which right; the base DN stays in the log.
			s.log.Error("directory not ready: the service account lacks a right", "right", missing.Right, "on", missing.On, "error", err)
			return refuse(api.CodeUnavailable, fmt.Sprintf("The directory's service account lacks the right %q; IT must grant it.", missing.Right))
		}
		s.log.Warn("directory not ready", "error", err)
		return refuse(api.CodeUnavailable, detailUnavailable)
	}
	return nil
}
