package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"casreset/api"
	"casreset/service"
)

// textStore is a store that, like PostgreSQL, refuses text holding NUL or
// bytes that are not UTF-8 with an error (SQLSTATE 22021), where SQLite
// simply finds nothing. It records every such refusal and every lookup by
// a CAPTCHA or flow id, so that a test can tell what reached the store.
type textStore struct {
	service.Store

	mu      sync.Mutex
	refused []string // what the store refused, quoted
	lookups []string // CAPTCHA and flow ids looked up
}

func (s *textStore) Update(ctx context.Context, fn func(service.Tx) error) error {
	return s.Store.Update(ctx, func(tx service.Tx) error { return fn(&textTx{Tx: tx, s: s}) })
}

func (s *textStore) View(ctx context.Context, fn func(service.Tx) error) error {
	return s.Store.View(ctx, func(tx service.Tx) error { return fn(&textTx{Tx: tx, s: s}) })
}

// check refuses text as PostgreSQL does.
func (s *textStore) check(values ...string) error {
	for _, v := range values {
		if strings.ContainsRune(v, 0) || !utf8.ValidString(v) {
			s.mu.Lock()
			s.refused = append(s.refused, fmt.Sprintf("%.40q", v))
			s.mu.Unlock()
			return fmt.Errorf("ERROR: invalid byte sequence for encoding \"UTF8\" (SQLSTATE 22021)")
		}
	}
	return nil
}

func (s *textStore) lookup(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookups = append(s.lookups, id)
}

// textTx checks the text of every Tx method a request's input can reach.
type textTx struct {
	service.Tx
	s *textStore
}

func (t *textTx) Captcha(id string) (service.Captcha, error) {
	t.s.lookup(id)
	if err := t.s.check(id); err != nil {
		return service.Captcha{}, err
	}
	return t.Tx.Captcha(id)
}

func (t *textTx) DeleteCaptcha(id string) (bool, error) {
	if err := t.s.check(id); err != nil {
		return false, err
	}
	return t.Tx.DeleteCaptcha(id)
}

func (t *textTx) Flow(id string) (service.Flow, error) {
	t.s.lookup(id)
	if err := t.s.check(id); err != nil {
		return service.Flow{}, err
	}
	return t.Tx.Flow(id)
}

func (t *textTx) Account(staffNumber string) (service.Account, error) {
	if err := t.s.check(staffNumber); err != nil {
		return service.Account{}, err
	}
	return t.Tx.Account(staffNumber)
}

func (t *textTx) AccountsByEmail(email string) ([]service.Account, error) {
	if err := t.s.check(email); err != nil {
		return nil, err
	}
	return t.Tx.AccountsByEmail(email)
}

func (t *textTx) AccountsByMobile(e164 string) ([]service.Account, error) {
	if err := t.s.check(e164); err != nil {
		return nil, err
	}
	return t.Tx.AccountsByMobile(e164)
}

func (t *textTx) CountHits(key string, since time.Time) (int, time.Time, error) {
	if err := t.s.check(key); err != nil {
		return 0, time.Time{}, err
	}
	return t.Tx.CountHits(key, since)
}

func (t *textTx) AddHit(key string, at time.Time) error {
	if err := t.s.check(key); err != nil {
		return err
	}
	return t.Tx.AddHit(key, at)
}

func (t *textTx) InsertAudit(e service.AuditEvent) error {
	if err := t.s.check(e.StaffNumber, e.ClientAddr, e.UserAgent, e.Reference, e.Detail); err != nil {
		return err
	}
	return t.Tx.InsertAudit(e)
}

// textHarness is a harness and a second service over a textStore (on the
// harness's SQLite store and clock).
func textHarness(t *testing.T) (*harness, *service.Service, *textStore) {
	t.Helper()
	h := newHarness(t)
	store := &textStore{Store: h.store}
	cfg := testConfig()
	cfg.StartsPerAddr, cfg.RemindersPerAddr = 1000, 1000 // every case comes from one address
	svc, err := service.New(cfg, store, nil, h.clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h, svc, store
}

// hostileIDs are CAPTCHA ids and reset tokens that no generator of ours
// makes.
var hostileIDs = []struct{ name, id string }{
	{"empty", ""},
	{"NUL", "\x00"},
	{"NUL inside", "AB\x00CD"},
	{"not UTF-8", "\xff\xfe"},
	{"a path", "../../policy"},
	{"30000 characters", strings.Repeat("A", 30000)},
	{"NUL at the end of a well-formed id", strings.Repeat("A", 26) + "\x00"},
}

// hostileCaptchaIDs adds what is near a CAPTCHA id (26 or more characters
// of A-Z and 2-7).
var hostileCaptchaIDs = append([]struct{ name, id string }{
	{"lower case", strings.Repeat("a", 26)},
	{"a digit outside base32", strings.Repeat("A", 25) + "8"},
	{"one character short", strings.Repeat("A", 25)},
	{"65 characters", strings.Repeat("A", 65)},
}, hostileIDs...)

// hostileTokens adds what is near a reset token (43 characters of
// unpadded base64url).
var hostileTokens = append([]struct{ name, id string }{
	{"padded", strings.Repeat("A", 43) + "="},
	{"a character outside base64url", strings.Repeat("A", 42) + "+"},
	{"one character short", strings.Repeat("A", 42)},
	{"one character more", strings.Repeat("A", 44)},
	{"bits set past the 256th", strings.Repeat("A", 42) + "B"},
}, hostileIDs...)

func TestHostileCaptchaIDsAreRefusedBeforeTheStore(t *testing.T) {
	h, svc, store := textHarness(t)
	ctx := context.Background()
	for _, tc := range hostileCaptchaIDs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.CaptchaImage(ctx, tc.id)
			wantCode(t, err, api.CodeNotFound)
			_, err = svc.CaptchaAudio(ctx, tc.id, "en")
			wantCode(t, err, api.CodeNotFound)

			_, answer := h.captcha() // a right answer, to another CAPTCHA
			_, err = svc.Start(ctx, h.client, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: tc.id, CaptchaAnswer: answer})
			wantCode(t, err, api.CodeCaptchaInvalid)
			err = svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: acctBoth.Email, CaptchaID: tc.id, CaptchaAnswer: answer})
			wantCode(t, err, api.CodeCaptchaInvalid)
		})
	}
	if len(store.lookups) != 0 || len(store.refused) != 0 {
		t.Errorf("the store looked up %d malformed CAPTCHA ids and refused %v", len(store.lookups), store.refused)
	}
}

func TestHostileTokensAreRefusedBeforeTheStore(t *testing.T) {
	h, svc, store := textHarness(t)
	ctx := context.Background()
	for _, tc := range hostileTokens {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Flow(ctx, h.client, tc.id)
			wantCode(t, err, api.CodeTokenInvalid)
			_, err = svc.SendCode(ctx, h.client, tc.id, api.SendCodeRequest{Channel: api.ChannelSMS})
			wantCode(t, err, api.CodeTokenInvalid)
			wantCode(t, svc.Verify(ctx, h.client, tc.id, "123456"), api.CodeTokenInvalid)
			_, err = svc.SetPassword(ctx, h.client, tc.id, api.PasswordRequest{NewPassword: "Correct7Horse9"})
			wantCode(t, err, api.CodeTokenInvalid)
		})
	}
	if len(store.lookups) != 0 || len(store.refused) != 0 {
		t.Errorf("the store looked up %d malformed tokens' flows and refused %v", len(store.lookups), store.refused)
	}
	// A real token still works through the same store.
	token := h.start(acctBoth.StaffNumber)
	if _, err := svc.Flow(ctx, h.client, token); err != nil {
		t.Errorf("Flow of a real token: %v", err)
	}
}

func TestHostileStaffNumbersAndContactsAreRefusedBeforeTheStore(t *testing.T) {
	h, svc, store := textHarness(t)
	ctx := context.Background()
	for _, staff := range []string{"\x00", "1234\x005678", "\xff\xfe", "1234/5678", strings.Repeat("1", 10000)} {
		t.Run(fmt.Sprintf("staff number %.20q", staff), func(t *testing.T) {
			id, answer := h.captcha()
			_, err := svc.Start(ctx, h.client, api.StartRequest{StaffNumber: staff, CaptchaID: id, CaptchaAnswer: answer})
			wantCode(t, err, api.CodeInvalidRequest)
		})
	}
	for _, contact := range []string{"\x00", "a\x00@example.edu.hk", "chan@example.edu.hk\x00", "\xff@example.edu.hk", "9123\x004567", "+852 \xff"} {
		t.Run(fmt.Sprintf("contact %q", contact), func(t *testing.T) {
			id, answer := h.captcha()
			err := svc.RemindStaffNumber(ctx, h.client, api.ReminderRequest{Contact: contact, CaptchaID: id, CaptchaAnswer: answer})
			wantCode(t, err, api.CodeInvalidRequest)
		})
	}
	if len(store.refused) != 0 {
		t.Errorf("the store was handed text it refuses: %v", store.refused)
	}
}

func TestAuditKeepsUserAgentsAsPrintableText(t *testing.T) {
	h, svc, store := textHarness(t)
	c := h.client
	c.UserAgent = "casreset/\xff\xfe\x00 (\x1b[31mred)" + strings.Repeat("é", 300)
	if _, err := svc.Start(context.Background(), c, api.StartRequest{StaffNumber: acctBoth.StaffNumber, CaptchaID: "x", CaptchaAnswer: "1"}); err == nil {
		t.Fatal("a start with an unknown CAPTCHA succeeded")
	}
	if len(store.refused) != 0 {
		t.Fatalf("the store was handed text it refuses: %v", store.refused)
	}
	var events []service.AuditEvent
	err := h.store.View(context.Background(), func(tx service.Tx) error {
		var err error
		events, err = tx.Audit(service.AuditFilter{})
		return err
	})
	if err != nil || len(events) == 0 {
		t.Fatalf("audit: %d events, %v", len(events), err)
	}
	ua := events[0].UserAgent
	if !strings.HasPrefix(ua, "casreset/\uFFFD (") || len(ua) > 256 || !utf8.ValidString(ua) ||
		strings.IndexFunc(ua, unicode.IsControl) >= 0 {
		t.Errorf("stored User-Agent %q: want printable UTF-8 of at most 256 bytes", ua)
	}
}
