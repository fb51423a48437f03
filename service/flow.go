package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"casreset/api"
)

// tokenBytes is the size of a reset token: 256 random bits.
const tokenBytes = 32

// refusal is an expected "no" to a caller: the error they see, and a few
// words for the audit detail that they do not.
type refusal struct {
	err *api.Error
	why string
}

func refuseWhy(code api.Code, detail, why string) *refusal {
	return &refusal{err: refuse(code, detail), why: why}
}

func rateLimited(e *api.Error, why string) *refusal { return &refusal{err: e, why: why} }

// newToken returns a fresh reset token and the id of its flow.
func newToken() (token, id string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("reset token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, flowID(token), nil
}

// validToken reports whether token has the shape of newToken's tokens:
// tokenBytes in unpadded base64url, nothing more or less. Only its hash
// reaches the store, but a token that cannot be one of ours is refused
// without a lookup.
func validToken(token string) bool {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	return err == nil && len(b) == tokenBytes
}

// flowID is the hex SHA-256 of token: the store keeps only this, so a copy
// of the database does not hand out live tokens.
func flowID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

const detailTokenInvalid = "This reset session is unknown, finished or expired. Please start again."

// loadFlow reads the flow of token (and in an Update locks it), refusing
// with token_invalid when there is none, when it has expired or ended, or
// when its token was spent. It also returns the time of the transaction,
// read once the flow is held: a time read before waiting for the lock can
// predate what the previous holder wrote (an end of the flow, a code sent),
// and judging the flow by it would undo that.
func (s *Service) loadFlow(tx Tx, token string) (Flow, time.Time, *refusal, error) {
	if !validToken(token) {
		return Flow{}, s.clock.Now(), refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "malformed token"), nil
	}
	f, err := tx.Flow(flowID(token))
	now := s.clock.Now()
	switch {
	case errors.Is(err, ErrNotFound):
		return Flow{}, now, refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "unknown token"), nil
	case err != nil:
		return Flow{}, now, nil, err
	case !now.Before(f.ExpiresAt):
		return f, now, refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "flow expired or ended"), nil
	case f.WrongCodes >= s.cfg.MaxWrongCodes:
		// Verify also ends the flow's time, but the count says it whatever
		// the clocks of the instances say.
		return f, now, refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "flow ended by wrong codes"), nil
	case f.Step == api.StepChanged:
		return f, now, refuseWhy(api.CodeTokenInvalid, detailTokenInvalid, "token spent"), nil
	}
	return f, now, nil, nil
}

// channelsOf lists the ways account a can receive a code, masked.
func channelsOf(a Account) []api.ChannelInfo {
	var out []api.ChannelInfo
	for _, ch := range api.Channels() {
		if to := destination(a, ch); to != "" {
			out = append(out, api.ChannelInfo{Channel: ch, Destination: maskDestination(ch, to)})
		}
	}
	return out
}

// destination is where a message to a goes by ch, or "" when a has none.
func destination(a Account, ch api.Channel) string {
	switch ch {
	case api.ChannelSMS:
		return a.Mobile
	case api.ChannelEmail:
		return a.Email
	}
	return ""
}

func maskDestination(ch api.Channel, to string) string {
	if ch == api.ChannelSMS {
		return MaskMobile(to)
	}
	return MaskEmail(to)
}

// sendsLeft is how many more codes flow f may send now: the lower of what
// is left of the flow's and of the account's allowance, and none while the
// account has used up its wrong codes.
func (s *Service) sendsLeft(tx Tx, f Flow, now time.Time) (int, error) {
	n, _, err := tx.CountHits(sendKey(f.StaffNumber), now.Add(-s.cfg.SendWindow))
	if err != nil {
		return 0, err
	}
	wrongLeft, _, err := s.wrongCodesLeft(tx, f.StaffNumber, now)
	if err != nil || wrongLeft == 0 {
		return 0, err
	}
	return max(min(s.cfg.MaxSendsFlow-f.Sends, s.cfg.MaxSendsDay-n), 0), nil
}

// attemptsLeft is how many more wrong codes flow f may take now: the lower
// of what is left of the flow's and of its account's allowance.
func (s *Service) attemptsLeft(tx Tx, f Flow, now time.Time) (int, error) {
	wrongLeft, _, err := s.wrongCodesLeft(tx, f.StaffNumber, now)
	return max(min(s.cfg.MaxWrongCodes-f.WrongCodes, wrongLeft), 0), err
}

// account looks the flow's account up in the directory; an account that
// has gone since the flow began is account_not_found.
func (s *Service) account(ctx context.Context, staffNumber string) (Account, *refusal, error) {
	a, err := s.dir.Account(ctx, staffNumber)
	if errors.Is(err, ErrNotFound) {
		return Account{}, refuseWhy(api.CodeAccountNotFound, "No account has this staff / teacher number.", ""), nil
	}
	return a, nil, err
}

// Flow describes the flow of token.
func (s *Service) Flow(ctx context.Context, c Client, token string) (api.Flow, error) {
	var (
		f        Flow
		now      time.Time
		no       *refusal
		msg      Message
		sends    int
		attempts int
	)
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f, now, no, err = s.loadFlow(tx, token); err != nil || no != nil {
			return err
		}
		if f.MessageID != 0 {
			if msg, err = tx.Message(f.MessageID); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		if sends, err = s.sendsLeft(tx, f, now); err != nil {
			return err
		}
		attempts, err = s.attemptsLeft(tx, f, now)
		return err
	})
	if err != nil {
		return api.Flow{}, s.public(c, "flow", err)
	}
	if no != nil {
		return api.Flow{}, s.public(c, "flow", no.err)
	}
	a, no, err := s.account(ctx, f.StaffNumber)
	if err != nil {
		return api.Flow{}, s.public(c, "flow", err)
	}
	if no != nil {
		return api.Flow{}, s.public(c, "flow", no.err)
	}
	p, no, err := s.accountPolicy(ctx, f.StaffNumber)
	if err != nil {
		return api.Flow{}, s.public(c, "flow", err)
	}
	if no != nil {
		return api.Flow{}, s.public(c, "flow", no.err)
	}
	// The account's names, for checking contains_account_name as the
	// person types, once the flow has proved that they own the account.
	var named Account
	if f.Step == api.StepVerified || f.Step == StepChanging {
		named = a
	}
	out := api.Flow{
		Step:         f.Step,
		ExpiresAt:    f.ExpiresAt,
		Channels:     channelsOf(a),
		SendsLeft:    sends,
		AttemptsLeft: attempts,
		// The account's effective policy: the global one merged with
		// the directory's own.
		Policy: new(p.APIFor(named)),
	}
	if f.Step == StepChanging {
		out.Step = api.StepVerified // the contract knows no intermediate step
	}
	if f.Channel != "" {
		out.Channel = f.Channel
		out.Destination = maskDestination(f.Channel, destination(a, f.Channel))
		resend := f.CodeSentAt.Add(s.cfg.ResendCooldown)
		out.ResendAfter = &resend
		out.Delivery = msg.Status
	}
	if f.CodeHMAC != nil {
		expires := f.CodeExpiresAt
		out.CodeExpiresAt = &expires
	}
	return out, nil
}
