package ldapdir

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/go-ldap/ldap/v3"

	"casreset/api"
	"casreset/service"
)

// conn keeps one connection bound as the service account and dials it again
// when it breaks, so that the directory recovering needs no restart.
// Operations take turns on it: a college's reset traffic is a few requests a
// minute, and one connection keeps the per-operation deadline simple (it is
// set on the socket, which only one operation uses at a time).
type conn struct {
	ep                   endpoint
	bindDN, bindPassword string
	timeout              time.Duration
	log                  *slog.Logger

	turn chan struct{} // holds a token while an operation runs
	ldap *ldap.Conn    // nil when not connected
	raw  net.Conn      // the socket under ldap, for deadlines
	down atomic.Bool   // the last attempt failed: log the recovery once
}

// session is a bound connection handed to one operation.
type session struct {
	*ldap.Conn
}

// encrypted reports whether the session runs over TLS (ldaps:// or after
// StartTLS).
func (s session) encrypted() bool {
	_, ok := s.TLSConnectionState()
	return ok
}

func newConn(ep endpoint, bindDN, bindPassword string, timeout time.Duration, log *slog.Logger) *conn {
	return &conn{
		ep:           ep,
		bindDN:       bindDN,
		bindPassword: bindPassword,
		timeout:      timeout,
		log:          log,
		turn:         make(chan struct{}, 1),
	}
}

// do runs op on a bound connection, all within the timeout (waiting for
// the turn, dialling and binding included). When the network fails the
// connection is dropped and the error is an unavailable one. repeatable
// says op may run again on a fresh connection if a reused one turns out to
// be broken: true for reads, false for password writes, which the directory
// may have applied before the answer was lost.
//
// Errors that op returns from the directory's answers pass through as
// they are, for the caller to map.
func (c *conn) do(ctx context.Context, repeatable bool, op func(session) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	select {
	case c.turn <- struct{}{}:
	case <-ctx.Done():
		return c.failed(fmt.Errorf("waiting for the directory connection: %w", ctx.Err()))
	}
	defer func() { <-c.turn }()

	for attempt := 1; ; attempt++ {
		reused := c.ldap != nil && !c.ldap.IsClosing()
		if !reused {
			c.drop()
			if err := c.dial(ctx); err != nil {
				return c.failed(err)
			}
		}
		err := c.run(ctx, op)
		if err == nil || !c.broken(err) {
			c.recovered()
			return err
		}
		c.drop()
		if !repeatable || !reused || attempt > 1 || ctx.Err() != nil {
			return c.failed(err)
		}
	}
}

// run calls op with the socket's deadline tied to ctx: when ctx ends the
// blocked read or write fails at once instead of waiting on the network.
func (c *conn) run(ctx context.Context, op func(session) error) error {
	raw := c.raw
	stop := context.AfterFunc(ctx, func() { expireNow(raw) })
	err := op(session{c.ldap})
	if !stop() {
		// The deadline was (or is being) forced into the past: the
		// connection is of no further use.
		c.drop()
		if err == nil {
			return nil
		}
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// broken reports whether err means the connection, not the directory's
// answer, failed.
func (c *conn) broken(err error) bool {
	var ae *api.Error
	var le *localError
	var missing *service.MissingRightError
	if errors.Is(err, service.ErrNotFound) || errors.As(err, &ae) || errors.As(err, &le) || errors.As(err, &missing) {
		return false
	}
	var lde *ldap.Error
	if errors.As(err, &lde) {
		switch lde.ResultCode {
		case ldap.ErrorNetwork, ldap.ErrorUnexpectedMessage, ldap.ErrorUnexpectedResponse,
			ldap.LDAPResultBusy, ldap.LDAPResultUnavailable, ldap.LDAPResultServerDown,
			ldap.LDAPResultTimeout, ldap.LDAPResultConnectError,
			ldap.LDAPResultTimeLimitExceeded: // the server gave up as we would have
			return true
		}
		return false
	}
	// go-ldap reports failed reads and writes as plain errors.
	return true
}

// localError is a failure of ours about an answer the directory gave (an
// entry we cannot use, a request we will not send): the connection is fine.
type localError struct{ err error }

func local(err error) error { return &localError{err} }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// dial connects, encrypts as configured and binds as c.bindDN: the service
// account, or a help-desk operator signing in (operators.go).
func (c *conn) dial(ctx context.Context) error {
	var d net.Dialer
	raw, err := d.DialContext(ctx, c.ep.network, c.ep.addr)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", c.ep.addr, err)
	}
	// The deadline covers the TLS handshake, StartTLS and the bind; it is
	// cleared before the connection is kept.
	if deadline, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { expireNow(raw) })
	defer stop()

	var nc net.Conn = raw
	if c.ep.implicitTLS {
		tc := tls.Client(raw, c.ep.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return fmt.Errorf("TLS with %s: %w", c.ep.addr, err)
		}
		nc = tc
	}
	lc := ldap.NewConn(nc, c.ep.implicitTLS)
	lc.Start()
	// A second bound besides the socket deadline, for answers that never
	// come while the socket stays healthy.
	lc.SetTimeout(c.timeout)
	if c.ep.startTLS {
		if err := lc.StartTLS(c.ep.tls); err != nil {
			lc.Close()
			return fmt.Errorf("StartTLS with %s: %w", c.ep.addr, err)
		}
	}
	if err := lc.Bind(c.bindDN, c.bindPassword); err != nil {
		lc.Close()
		return fmt.Errorf("binding as %s: %w", c.bindDN, err)
	}
	if !stop() {
		lc.Close()
		return fmt.Errorf("connecting to %s: %w", c.ep.addr, ctx.Err())
	}
	_ = raw.SetDeadline(time.Time{})
	c.ldap, c.raw = lc, raw
	return nil
}

// expireNow makes the socket's pending and future reads and writes fail at
// once; go-ldap then closes the connection and fails the requests waiting
// on it.
func expireNow(raw net.Conn) {
	_ = raw.SetDeadline(time.Unix(1, 0))
}

func (c *conn) drop() {
	if c.ldap != nil {
		lc, raw := c.ldap, c.raw
		c.ldap, c.raw = nil, nil
		// Unblock a write stuck on an unresponsive server first, so that
		// Close, which waits for go-ldap's goroutines, returns promptly.
		expireNow(raw)
		lc.Close()
	}
}

// failed logs the first of a run of failures and returns err as an
// unavailable error.
func (c *conn) failed(err error) error {
	if !c.down.Swap(true) {
		c.log.Warn("ldap directory unavailable", "addr", c.ep.addr, "err", err)
	}
	return unavailable(err)
}

func (c *conn) recovered() {
	if c.down.Swap(false) {
		c.log.Info("ldap directory reachable again", "addr", c.ep.addr)
	}
}

// close ends the connection; later operations dial again.
func (c *conn) close() {
	c.turn <- struct{}{}
	defer func() { <-c.turn }()
	c.drop()
}
