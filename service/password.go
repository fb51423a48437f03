package service

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"casreset/api"
)

// passwordHashSetter is implemented by directories that keep the service's
// own Argon2id hash (the store directory): the service hands them the hash
// it has already computed instead of hashing the password a second time.
type passwordHashSetter interface {
	SetPasswordHash(ctx context.Context, staffNumber, hash string, at time.Time) error
}

// SetPassword changes the password to req.NewPassword and spends the
// token. A request that names a language makes it the flow's
// (requestLanguage), as a code request does: the notice of the change goes
// out in it; without one the flow keeps its language.
//
// The password is normalised to NFC (NormalizePassword) for every check
// and the hash. Each call counts against the flow's
// Config.MaxPasswordAttempts, whatever its outcome; past it the flow ends
// (attempts_exhausted). The slow part (policy, history and the new
// Argon2id hash) runs outside any write transaction. Then one transaction moves the flow from verified
// to changing, so that of concurrent calls only one goes on (the others get
// token_invalid); the directory is told; and a last transaction records the
// history, marks the flow changed and queues a notice to every contact of
// the account. If the directory refuses, the flow goes back to verified so
// that the user can try another password.
func (s *Service) SetPassword(ctx context.Context, c Client, token string, req api.PasswordRequest) (api.PasswordResponse, error) {
	const op = "set password"
	password := req.NewPassword
	if !utf8.ValidString(password) {
		no := refuseWhy(api.CodeInvalidRequest, "The new password contains bytes that are not text.", "password encoding")
		return api.PasswordResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}
	lang, no := requestLanguage(req.Language)
	if no != nil {
		return api.PasswordResponse{}, s.refused(ctx, c, op, "", no.err, no.why)
	}
	typed := password
	password = NormalizePassword(password)
	change, no, err := s.preparePassword(ctx, token, password, typed)
	if err != nil {
		return api.PasswordResponse{}, s.public(c, op, err)
	}
	if no != nil {
		return api.PasswordResponse{}, s.refused(ctx, c, op, change.flow.StaffNumber, no.err, no.why)
	}
	change.newLanguage, change.language = req.Language != "", lang
	f, no, err := s.takeFlowForChange(ctx, token)
	if err != nil {
		return api.PasswordResponse{}, s.public(c, op, err)
	}
	if no != nil {
		return api.PasswordResponse{}, s.refused(ctx, c, op, f.StaffNumber, no.err, no.why)
	}

	// From here on the outcome must be recorded even if the caller hangs up.
	ctx = context.WithoutCancel(ctx)
	changedAt := s.clock.Now()
	if err := s.setDirectoryPassword(ctx, change.account.StaffNumber, password, change.hash, changedAt); err != nil {
		return api.PasswordResponse{}, s.changeFailed(ctx, c, f, err)
	}
	stillLocked := s.unlockAfterChange(ctx, c, change.account)
	detail := "password changed"
	switch {
	case stillLocked:
		detail += "; the account stays locked out in the directory"
	case change.account.LockedOut:
		detail += "; the directory's lockout ended"
	}
	ev := s.event(c, EventPasswordChanged, f.StaffNumber, detail)
	if err := s.commitChange(ctx, c, f.ID, change, changedAt, ev); err != nil {
		// The directory has the new password; only our records lag. The
		// flow stays "changing" and expires; the log has the reference.
		return api.PasswordResponse{}, s.public(c, op, err)
	}
	s.notify(ev)
	return api.PasswordResponse{ChangedAt: changedAt, StillLocked: stillLocked}, nil
}

// passwordChange is what SetPassword reads and computes before it takes
// the flow: the flow as it was read, its account and the new password's
// hash, and the flow's new language if the request gave one.
type passwordChange struct {
	flow        Flow
	account     Account
	hash        string
	newLanguage bool
	language    string
}

// preparePassword does the slow part outside any write transaction: it
// reads the flow and the account's password history (counting the attempt
// in a short transaction of its own), looks the account up, checks the new
// password (NFC; typed is the form it came in) against the policy and the
// history, and hashes it. On a refusal or error, the change holds the flow as far as it was
// read.
func (s *Service) preparePassword(ctx context.Context, token, password, typed string) (passwordChange, *refusal, error) {
	f, history, no, err := s.loadFlowForChange(ctx, token)
	if err != nil || no != nil {
		return passwordChange{flow: f}, no, err
	}
	a, no, err := s.usableAccount(ctx, f.StaffNumber)
	if err != nil || no != nil {
		return passwordChange{flow: f}, no, err
	}
	p, no, err := s.accountPolicy(ctx, f.StaffNumber)
	if err != nil || no != nil {
		return passwordChange{flow: f}, no, err
	}
	if no, err := s.checkNewPassword(ctx, p, password, typed, a, history); err != nil || no != nil {
		return passwordChange{flow: f}, no, err
	}
	hash, err := s.hasher.hash(ctx, password)
	if err != nil {
		return passwordChange{flow: f}, nil, err
	}
	return passwordChange{flow: f, account: a, hash: hash}, nil, nil
}

// loadFlowForChange reads the flow of token, refusing unless it is
// verified, counts the attempt (takePasswordAttempt), and reads the hashes
// of its account's recent passwords.
func (s *Service) loadFlowForChange(ctx context.Context, token string) (Flow, []string, *refusal, error) {
	var (
		f       Flow
		no      *refusal
		history []string
	)
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if f, no, err = s.changeableFlow(tx, token); err != nil || no != nil {
			return err
		}
		if no, err = s.takePasswordAttempt(tx, f); err != nil || no != nil {
			return err
		}
		if s.cfg.Policy.History > 0 {
			history, err = tx.PasswordHistory(f.StaffNumber, s.cfg.Policy.History)
		}
		return err
	})
	return f, history, no, err
}

// checkNewPassword refuses a password (NFC) that breaks p, the policy of
// account a, or comes before the policy's minimum age since the directory
// last set a's password, or matches one of history, the hashes of a's
// recent passwords.
func (s *Service) checkNewPassword(ctx context.Context, p PolicyConfig, password, typed string, a Account, history []string) (*refusal, error) {
	v := CheckPassword(p, password, a)
	if tooSoon(p, a, s.clock.Now()) {
		v = append(v, api.RuleTooSoon)
	}
	if len(v) > 0 {
		e := refuse(api.CodePasswordPolicy, "The new password does not meet the rules.").WithViolations(v...)
		return &refusal{err: e, why: joinRules(v)}, nil
	}
	if same, err := s.inHistory(ctx, password, typed, history); err != nil || !same {
		return nil, err
	}
	return refuseWhy(api.CodePasswordReused, "The new password must differ from your recent passwords.", ""), nil
}

// takePasswordAttempt counts a password submitted in flow f, whatever
// becomes of it. Once the flow has had Config.MaxPasswordAttempts, it ends
// instead (attempts_exhausted): the policy's and password_reused's answers
// must not let anyone who holds a verified flow probe the account's recent
// passwords, or the policy, without limit.
func (s *Service) takePasswordAttempt(tx Tx, f Flow) (*refusal, error) {
	now := s.clock.Now()
	n, _, err := tx.CountHits(passwordKey(f.ID), f.CreatedAt)
	if err != nil {
		return nil, err
	}
	if n < s.cfg.MaxPasswordAttempts {
		return nil, tx.AddHit(passwordKey(f.ID), now)
	}
	f.ExpiresAt = now // the flow ends: it can no longer be used for anything
	no := refuseWhy(api.CodeAttemptsExhausted, "Too many new passwords were tried in this session. Please start again from step 1.", "flow ended: password attempts")
	return no, tx.UpdateFlow(f)
}

// inHistory reports whether password (NFC) matches one of history, the
// hashes of the account's recent passwords; typed is the password as it
// came, tried too when it differs, so that a password stored before
// passwords were normalised, in another form, still counts as used.
func (s *Service) inHistory(ctx context.Context, password, typed string, history []string) (bool, error) {
	forms := []string{password}
	if typed != password {
		forms = append(forms, typed)
	}
	for _, old := range history {
		for _, form := range forms {
			same, err := s.hasher.verify(ctx, form, old)
			if err != nil || same {
				return same, err
			}
		}
	}
	return false, nil
}

// takeFlowForChange moves the flow of token from verified to changing:
// of concurrent callers, only one gets past this point.
func (s *Service) takeFlowForChange(ctx context.Context, token string) (Flow, *refusal, error) {
	var (
		f  Flow
		no *refusal
	)
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if f, no, err = s.changeableFlow(tx, token); err != nil || no != nil {
			return err
		}
		f.Step = StepChanging
		return tx.UpdateFlow(f)
	})
	return f, no, err
}

// commitChange records a change the directory has made, in one
// transaction: the new hash in the history, the flow changed (its token
// spent, in the request's language if it named one), a notice to every
// contact of the account, and ev.
func (s *Service) commitChange(ctx context.Context, c Client, flowID string, change passwordChange, changedAt time.Time, ev AuditEvent) error {
	a := change.account
	return s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Flow(flowID)
		if err != nil {
			return err
		}
		if s.cfg.Policy.History > 0 {
			if err := tx.AddPasswordHistory(a.StaffNumber, change.hash, changedAt, s.cfg.Policy.History); err != nil {
				return err
			}
		}
		cur.Step = api.StepChanged
		if change.newLanguage {
			cur.Language = change.language
		}
		if err := tx.UpdateFlow(cur); err != nil {
			return err
		}
		if err := queueChangeNotices(tx, c, a, cur.Language, changedAt); err != nil {
			return err
		}
		return tx.InsertAudit(ev)
	})
}

// queueChangeNotices queues a notice of the change to every contact of a,
// so that an owner who did not ask for it hears of it, in the language
// lang of the flow that changed it.
func queueChangeNotices(tx Tx, c Client, a Account, lang string, changedAt time.Time) error {
	for _, ch := range api.Channels() {
		to := destination(a, ch)
		if to == "" {
			continue
		}
		_, err := tx.InsertMessage(Message{
			Kind:     MessageNotice,
			Channel:  ch,
			To:       to,
			Language: lang,
			Params: map[string]string{
				"changed_at":   changedAt.UTC().Format(time.RFC3339),
				"client_addr":  c.Addr,
				"reference":    c.Reference,
				"name":         a.Name,
				"staff_number": a.StaffNumber,
			},
			Status:        api.DeliveryQueued,
			NextAttemptAt: changedAt,
			CreatedAt:     changedAt,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// changeableFlow reads the flow of token and refuses unless it is verified.
// A flow being changed by another call is token_invalid: for this caller
// the token is as good as spent.
func (s *Service) changeableFlow(tx Tx, token string) (Flow, *refusal, error) {
	f, _, no, err := s.loadFlow(tx, token)
	switch {
	case err != nil || no != nil:
		return f, no, err
	case f.Step == StepChanging:
		return f, refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "password change in progress"), nil
	case f.Step != api.StepVerified:
		return f, refuseWhy(api.CodeWrongStep, "Please verify the validation code first.", "set password at step "+string(f.Step)), nil
	}
	return f, nil, nil
}

// setDirectoryPassword writes the new password to the directory, as the
// ready hash when the directory keeps our hashes.
func (s *Service) setDirectoryPassword(ctx context.Context, staffNumber, password, hash string, at time.Time) error {
	if hs, ok := s.dir.(passwordHashSetter); ok {
		return hs.SetPasswordHash(ctx, staffNumber, hash, at)
	}
	return s.dir.SetPassword(ctx, staffNumber, password)
}

// changeFailed puts the flow back to verified after the directory refused
// or failed, records the outcome and returns what the caller sees.
func (s *Service) changeFailed(ctx context.Context, c Client, f Flow, cause error) error {
	pub := s.public(c, "set password", cause)
	why := "directory: " + string(pub.Code)
	var dirRefusal *api.Error
	if errors.As(cause, &dirRefusal) {
		why = "directory refused: " + string(dirRefusal.Code)
	}
	ev := s.event(c, EventPasswordChangeFailed, f.StaffNumber, why)
	err := s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Flow(f.ID)
		if err != nil {
			return err
		}
		if cur.Step == StepChanging {
			cur.Step = api.StepVerified
			if err := tx.UpdateFlow(cur); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ev)
	})
	if err != nil {
		s.log.Error("flow not returned to verified", "reference", c.Reference, "error", err)
		return pub
	}
	s.notify(ev)
	return pub
}
