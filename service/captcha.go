package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/dchest/captcha"

	"casreset/api"
	"casreset/internal/captchaimage"
	"casreset/service/captchaaudio"
)

// Bounds of a CAPTCHA id's length. crypto/rand.Text gives 26 characters
// today and may give more in a later Go release.
const (
	minCaptchaID = 26
	maxCaptchaID = 64
)

// newCaptchaID returns a fresh CAPTCHA id: at least 128 random bits in the
// RFC 4648 base32 alphabet (A-Z, 2-7).
func newCaptchaID() string { return rand.Text() }

// validCaptchaID reports whether id has the shape of newCaptchaID's ids.
// Anything else (empty, too long, lower case, NUL, bytes that are not
// UTF-8) cannot name a CAPTCHA and is refused before the store sees it:
// PostgreSQL refuses such text with an error rather than finding nothing.
func validCaptchaID(id string) bool {
	if len(id) < minCaptchaID || len(id) > maxCaptchaID {
		return false
	}
	for i := range len(id) {
		if c := id[i]; !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// NewCaptcha creates a CAPTCHA. The URLs of the answer are left for the
// HTTP adapter to fill in. At most Config.CaptchasPerAddr are created per
// client address per Config.CaptchaWindow: each is a row in the store.
//
// Only the digits come from dchest/captcha: the challenge lives in the
// store, not in the package's in-memory store, so that every instance of
// the service sees every CAPTCHA.
func (s *Service) NewCaptcha(ctx context.Context, c Client) (api.Captcha, error) {
	const op = "new captcha"
	now := s.clock.Now()
	cp := Captcha{
		ID:        newCaptchaID(),
		Digits:    captcha.RandomDigits(s.cfg.CaptchaLength),
		CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.CaptchaTTL),
	}
	var (
		no *refusal
		ev AuditEvent
	)
	err := s.store.Update(ctx, func(tx Tx) error {
		no = nil
		limited, err := takeHit(tx, captchaKey(s.limitAddr(c)), s.cfg.CaptchasPerAddr, s.cfg.CaptchaWindow, now,
			"Too many CAPTCHAs were asked from this computer. Please wait and try again.")
		if err != nil {
			return err
		}
		if limited != nil {
			no = rateLimited(limited, "captchas per address")
			ev = s.refusalEvent(c, "", no.err, no.why)
			return tx.InsertAudit(ev)
		}
		return tx.InsertCaptcha(cp)
	})
	if err != nil {
		return api.Captcha{}, s.public(c, op, err)
	}
	if no != nil {
		s.notify(ev)
		return api.Captcha{}, s.public(c, op, no.err)
	}
	return api.Captcha{CaptchaID: cp.ID, ExpiresAt: cp.ExpiresAt, Digits: len(cp.Digits)}, nil
}

// CaptchaImage renders the CAPTCHA as a PNG (package captchaimage;
// CodeNotFound when unknown or expired).
func (s *Service) CaptchaImage(ctx context.Context, id string) ([]byte, error) {
	cp, err := s.liveCaptcha(ctx, id)
	if err != nil {
		return nil, err
	}
	png, err := captchaimage.PNG(cp.ID, cp.Digits)
	if err != nil {
		return nil, s.public(Client{}, "captcha image", err)
	}
	return png, nil
}

// CaptchaAudio speaks the CAPTCHA's digits as a WAV in lang, one of
// api.AudioLanguages (package captchaaudio varies every digit).
//
// Every play of one CAPTCHA in one language is the same sound, on every
// instance: the rendering's seed is a MAC of the CAPTCHA under the
// server's key. Were each play a fresh rendering, a program could fetch
// one CAPTCHA's audio many times and vote digit by digit.
func (s *Service) CaptchaAudio(ctx context.Context, id, lang string) ([]byte, error) {
	if !slices.Contains(api.AudioLanguages, lang) {
		return nil, refuse(api.CodeInvalidRequest, `The audio language must be "en" (English), "yue" (Cantonese) or "zh" (Putonghua).`)
	}
	cp, err := s.liveCaptcha(ctx, id)
	if err != nil {
		return nil, err
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, s.public(Client{}, "captcha audio", err)
	}
	wav, err := captchaaudio.Speak(lang, cp.Digits, audioSeed(key, cp, lang))
	if err != nil {
		return nil, s.public(Client{}, "captcha audio", err)
	}
	return wav, nil
}

// audioSeed is the seed of a CAPTCHA's audio in lang: HMAC-SHA256 under
// the server's key, labelled apart from the validation codes' MACs (which
// bind a flow id and a code, never this label).
func audioSeed(key []byte, cp Captcha, lang string) (seed [32]byte) {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("captcha audio\x00"))
	m.Write([]byte(cp.ID))
	m.Write([]byte{0})
	m.Write([]byte(lang))
	m.Write([]byte{0})
	m.Write(cp.Digits)
	copy(seed[:], m.Sum(nil))
	return seed
}

// liveCaptcha reads a CAPTCHA that exists and has not expired.
func (s *Service) liveCaptcha(ctx context.Context, id string) (Captcha, error) {
	gone := refuse(api.CodeNotFound, "This CAPTCHA does not exist or has expired; please refresh the image.")
	if !validCaptchaID(id) {
		return Captcha{}, gone
	}
	var cp Captcha
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		cp, err = tx.Captcha(id)
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound) || err == nil && !s.clock.Now().Before(cp.ExpiresAt):
		return Captcha{}, gone
	case err != nil:
		return Captcha{}, s.public(Client{}, "captcha", err)
	}
	return cp, nil
}

// captchaOutcome is what an answer to a CAPTCHA turned out to be.
type captchaOutcome int

const (
	captchaRight captchaOutcome = iota
	captchaWrong                // a wrong answer to a live CAPTCHA
	captchaGone                 // no such CAPTCHA: unknown, used or expired
)

// useCaptcha consumes the CAPTCHA id whatever the answer, so that each
// challenge gets a single guess, and says how the answer fared.
func (s *Service) useCaptcha(tx Tx, id, answer string) (captchaOutcome, error) {
	if !validCaptchaID(id) {
		return captchaGone, nil
	}
	cp, err := tx.Captcha(id)
	if errors.Is(err, ErrNotFound) {
		return captchaGone, nil
	}
	if err != nil {
		return 0, err
	}
	existed, err := tx.DeleteCaptcha(id)
	if err != nil {
		return 0, err
	}
	if !existed || !s.clock.Now().Before(cp.ExpiresAt) {
		return captchaGone, nil
	}
	answer = strings.Join(strings.Fields(answer), "")
	if s.cfg.TestCaptchaAnswer != "" && answer == s.cfg.TestCaptchaAnswer {
		return captchaRight, nil
	}
	want := make([]byte, len(cp.Digits))
	for i, d := range cp.Digits {
		want[i] = '0' + d
	}
	if subtle.ConstantTimeCompare([]byte(answer), want) != 1 {
		return captchaWrong, nil
	}
	return captchaRight, nil
}

// addrAllowance is a per-address allowance of something a right CAPTCHA
// opens (flow starts, reminders).
type addrAllowance struct {
	key    func(addr string) string
	limit  int
	window time.Duration
	detail string // what the person is told when it is used up
	why    string // the limit's name in the audit and the metrics
}

// passCaptcha checks the CAPTCHA of a request from c that opens what a
// allows, in this order: the address's wrong-CAPTCHA limit and its
// allowance a (both only read here, so that a refused request leaves its
// CAPTCHA for a later try), then the CAPTCHA itself, used up whatever the
// answer. A wrong answer counts against the wrong-CAPTCHA limit, a right
// one against a. An answer to a CAPTCHA that does not exist (any more)
// counts against neither: it could never have been right, and counting it
// would let anyone lock out everyone behind one address (a staff room's
// NAT) with a few malformed requests. The caller must commit the
// transaction even when refused.
func (s *Service) passCaptcha(tx Tx, c Client, id, answer string, a addrAllowance, now time.Time) (*refusal, error) {
	addr := s.limitAddr(c)
	limited, err := checkLimit(tx, wrongCaptchaKey(addr), s.cfg.WrongCaptchasPerAddr, s.cfg.WrongCaptchaWindow, now,
		"Too many wrong CAPTCHA answers from this computer. Please wait and try again.")
	if err != nil {
		return nil, err
	}
	if limited != nil {
		return rateLimited(limited, "wrong captchas per address"), nil
	}
	if limited, err = checkLimit(tx, a.key(addr), a.limit, a.window, now, a.detail); err != nil {
		return nil, err
	}
	if limited != nil {
		return rateLimited(limited, a.why), nil
	}
	outcome, err := s.useCaptcha(tx, id, answer)
	if err != nil {
		return nil, err
	}
	wrong := refuseWhy(api.CodeCaptchaInvalid, "The CAPTCHA answer is wrong or the CAPTCHA has expired. Please try the new image.", "captcha")
	switch outcome {
	case captchaGone:
		wrong.why = "captcha unknown, used or expired"
		return wrong, nil
	case captchaWrong:
		return wrong, tx.AddHit(wrongCaptchaKey(addr), now)
	}
	return nil, tx.AddHit(a.key(addr), now)
}
