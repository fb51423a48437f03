package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"casreset/api"
)

// Keys of the sign-in limits' counters (see limits.go).
func operatorUserKey(name string) string { return "operator-signin:user:" + name }
func operatorAddrKey(addr string) string { return "operator-signin:addr:" + addr }

const (
	detailOperatorAuth    = "The username, password or authenticator code is not right."
	detailOperatorSession = "Your help-desk session has ended. Please sign in again."
	// detailOperatorLocked is followed by the wait (retry_after).
	detailOperatorLocked = "Too many failed sign-ins. Please wait and try again."
)

// SignInOperator checks an IT Help operator's sign-in and opens a session.
//
// A local operator (resetd operators add) needs their password and the
// TOTP code of now (±1 step) that is later than the last one they used. A
// name that is no local operator is tried against the directory when it
// is an OperatorDirectory. Whatever fails, the answer is the same
// operator_auth_failed; the audit says what failed.
//
// Before anything is checked, the sign-in is counted against the username
// and against the client address (OperatorAuthConfig), so that many
// attempts at once cannot pass the limits; a successful sign-in forgets
// the username's count. At a limit the answer is rate_limited with
// retry_after.
func (s *Service) SignInOperator(ctx context.Context, c Client, req api.HelpdeskSignInRequest) (api.HelpdeskSession, error) {
	const op = "operator sign-in"
	now := s.clock.Now()
	cfg := s.cfg.OperatorAuth
	name, ok := NormalizeSignInName(req.Username)
	if !ok || req.Password == "" {
		// Not counted: nothing was tried. The input is not audited, as
		// it may be a password typed in the wrong field.
		return api.HelpdeskSession{}, s.refused(ctx, c, op, "", refuse(api.CodeInvalidRequest, "Please enter your username and password."), "operator sign-in: no username or password")
	}

	var no *api.Error
	var why string
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		no, err = takeHit(tx, operatorUserKey(signInLimitKey(name)), cfg.FailuresPerUser, cfg.FailureWindow, now, detailOperatorLocked)
		if err != nil || no != nil {
			why = "operator sign-ins per username: " + name
			return err
		}
		no, err = takeHit(tx, operatorAddrKey(s.limitAddr(c)), cfg.AttemptsPerAddr, cfg.FailureWindow, now, detailOperatorLocked)
		why = "operator sign-ins per address: " + name
		return err
	})
	if err != nil {
		return api.HelpdeskSession{}, s.public(c, op, err)
	}
	if no != nil {
		return api.HelpdeskSession{}, s.refused(ctx, c, op, "", no, why)
	}

	who, why, err := s.checkOperator(ctx, name, req.Password, req.TOTP, now)
	if err != nil {
		return api.HelpdeskSession{}, s.public(c, op, err)
	}
	if why != "" {
		s.record(ctx, s.event(c, EventOperatorSignInFailed, "", why))
		return api.HelpdeskSession{}, s.public(c, op, refuse(api.CodeOperatorAuthFailed, detailOperatorAuth))
	}
	return s.openSession(ctx, c, who, name, now)
}

// checkOperator returns the operator that name, password and code sign in,
// or why not (for the audit) when they do not.
func (s *Service) checkOperator(ctx context.Context, name, password, code string, now time.Time) (Operator, string, error) {
	var acct OperatorAccount
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		acct, err = tx.Operator(name)
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return s.checkDirectoryOperator(ctx, name, password)
	case err != nil:
		return Operator{}, "", err
	}
	tag := "operator " + name + " (local): "
	right, err := s.hasher.verify(ctx, password, acct.PasswordHash)
	if err != nil {
		return Operator{}, "", fmt.Errorf("operator %s: %w", name, err)
	}
	if !right {
		return Operator{}, tag + "wrong password", nil
	}
	key, err := s.totpKey(ctx)
	if err != nil {
		return Operator{}, "", err
	}
	secret, err := openTOTPSecret(key, name, acct.TOTPSecret)
	if err != nil {
		return Operator{}, "", fmt.Errorf("operator %s: %w", name, err)
	}
	step, ok := matchTOTP(secret, code, now, api.TOTPDigits)
	if !ok {
		return Operator{}, tag + "wrong authenticator code", nil
	}
	var fresh bool
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		fresh, err = tx.UseOperatorTOTPStep(name, step, now)
		return err
	})
	if err != nil {
		return Operator{}, "", err
	}
	if !fresh {
		return Operator{}, tag + "authenticator code used already", nil
	}
	return Operator{Name: name, Kind: LocalOperator, StaffNumber: acct.StaffNumber}, "", nil
}

// checkDirectoryOperator asks the directory about a name that is no local
// operator. Without an OperatorDirectory it still hashes, so that the
// answer takes as long as for a local operator and does not tell which
// names exist.
func (s *Service) checkDirectoryOperator(ctx context.Context, name, password string) (Operator, string, error) {
	od, ok := s.dir.(OperatorDirectory)
	if !ok {
		dummy, err := s.dummyHash()
		if err != nil {
			return Operator{}, "", err
		}
		if _, err := s.hasher.verify(ctx, password, dummy); err != nil {
			return Operator{}, "", err
		}
		return Operator{}, "operator sign-in: unknown username", nil
	}
	who, err := od.AuthenticateOperator(ctx, name, password)
	switch {
	case errors.Is(err, ErrOperatorUnknown):
		return Operator{}, "operator sign-in: unknown username", nil
	case errors.Is(err, ErrOperatorPassword), errors.Is(err, ErrOperatorNotInGroup):
		if who.Name != "" {
			name = who.Name // the entry's own username, however it was typed
		}
		return Operator{}, fmt.Sprintf("operator %s (directory): %v", name, err), nil
	case err != nil:
		return Operator{}, "", err
	}
	who.Kind = DirectoryOperator
	if who.Name == "" {
		who.Name = name
	}
	return who, "", nil
}

// dummyHashes holds, per HashParams, a hash of nothing anyone types,
// verified for unknown names.
var dummyHashes sync.Map

func (s *Service) dummyHash() (string, error) {
	if h, ok := dummyHashes.Load(s.cfg.PasswordHash); ok {
		return h.(string), nil
	}
	h, err := HashPassword("\x00no operator\x00", s.cfg.PasswordHash)
	if err != nil {
		return "", err
	}
	dummyHashes.Store(s.cfg.PasswordHash, h)
	return h, nil
}

// openSession stores a new session of who, signed in as typed, and hands
// out its token.
func (s *Service) openSession(ctx context.Context, c Client, who Operator, typed string, now time.Time) (api.HelpdeskSession, error) {
	token, id, err := newToken()
	if err != nil {
		return api.HelpdeskSession{}, s.public(c, "operator sign-in", err)
	}
	cfg := s.cfg.OperatorAuth
	sess := OperatorSession{
		ID: id, Operator: who.Name, Kind: who.Kind, StaffNumber: who.StaffNumber, ClientAddr: c.Addr,
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(cfg.SessionIdle),
	}
	ev := s.event(c, EventOperatorSignedIn, "", fmt.Sprintf("operator %s (%s): signed in", who.Name, who.Kind))
	err = s.store.Update(ctx, func(tx Tx) error {
		for _, key := range []string{signInLimitKey(typed), signInLimitKey(who.Name)} {
			if _, err := tx.DeleteHits(operatorUserKey(key)); err != nil {
				return err
			}
		}
		if err := tx.InsertOperatorSession(sess); err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		return api.HelpdeskSession{}, s.public(c, "operator sign-in", err)
	}
	s.notify(ev)
	return api.HelpdeskSession{
		SessionToken: token,
		ExpiresAt:    sess.ExpiresAt,
		EndsAt:       now.Add(cfg.SessionMax),
		Operator:     api.HelpdeskOperator{Name: who.Name, Kind: string(who.Kind)},
	}, nil
}

// OperatorOfSession returns the operator signed in with token and records
// the use: the session's idle timeout starts again, never past its
// longest life. An unknown, ended or expired session is
// operator_auth_failed. The HTTP adapter calls it for every help-desk
// request and passes the operator on with WithOperator.
func (s *Service) OperatorOfSession(ctx context.Context, c Client, token string) (Operator, error) {
	const op = "operator session"
	ended := refuse(api.CodeOperatorAuthFailed, detailOperatorSession)
	if !validToken(token) {
		return Operator{}, s.public(c, op, ended)
	}
	now := s.clock.Now()
	cfg := s.cfg.OperatorAuth
	var sess OperatorSession
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if sess, err = tx.OperatorSession(flowID(token)); err != nil {
			return err
		}
		if !now.Before(sess.ExpiresAt) {
			return ErrNotFound
		}
		expires := now.Add(cfg.SessionIdle)
		if end := sess.CreatedAt.Add(cfg.SessionMax); expires.After(end) {
			expires = end
		}
		if !now.Before(expires) {
			return ErrNotFound
		}
		sess.ExpiresAt = expires
		return tx.TouchOperatorSession(sess.ID, now, expires)
	})
	if errors.Is(err, ErrNotFound) {
		return Operator{}, s.public(c, op, ended)
	}
	if err != nil {
		return Operator{}, s.public(c, op, err)
	}
	return Operator{Name: sess.Operator, Kind: sess.Kind, StaffNumber: sess.StaffNumber}, nil
}

// SignOutOperator ends the session of token. The caller has checked it
// with OperatorOfSession; a session that ended meanwhile is
// operator_auth_failed.
func (s *Service) SignOutOperator(ctx context.Context, c Client, token string) error {
	const op = "operator sign-out"
	if !validToken(token) {
		return s.public(c, op, refuse(api.CodeOperatorAuthFailed, detailOperatorSession))
	}
	id := flowID(token)
	var existed bool
	var ev AuditEvent
	err := s.store.Update(ctx, func(tx Tx) error {
		sess, err := tx.OperatorSession(id)
		if err != nil {
			return err
		}
		if existed, err = tx.DeleteOperatorSession(id); err != nil || !existed {
			return err
		}
		ev = s.event(c, EventOperatorSignedOut, "", fmt.Sprintf("operator %s (%s): signed out", sess.Operator, sess.Kind))
		return tx.InsertAudit(ev)
	})
	if errors.Is(err, ErrNotFound) || (err == nil && !existed) {
		return s.public(c, op, refuse(api.CodeOperatorAuthFailed, detailOperatorSession))
	}
	if err != nil {
		return s.public(c, op, err)
	}
	s.notify(ev)
	return nil
}
