package service_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"casreset/api"
)

// TestCodeValidForTenMinutes: a code sent at 09:50 is accepted at 09:59:59
// and refused at 10:00:00.
func TestCodeValidForTenMinutes(t *testing.T) {
	for _, tc := range []struct {
		at   string
		want api.Code
	}{
		{"09:59:00", ""},
		{"09:59:59", ""},
		{"10:00:00", api.CodeCodeExpired},
		{"10:00:01", api.CodeCodeExpired},
	} {
		t.Run(tc.at, func(t *testing.T) {
			h := newHarness(t)
			token := h.start(acctBoth.StaffNumber)
			h.send(token, api.ChannelSMS) // at 09:50
			at, err := time.ParseInLocation("2006-01-02 15:04:05", "2025-03-03 "+tc.at, t0.Location())
			if err != nil {
				t.Fatal(err)
			}
			h.clock.Set(at)
			err = h.svc.Verify(context.Background(), h.client, token, h.code(token))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("at %s: %v", tc.at, err)
				}
				return
			}
			wantCode(t, err, tc.want)
			// An expired code is not a wrong guess.
			if f := h.flow(token); f.WrongCodes != 0 {
				t.Errorf("expired code counted as wrong: %d", f.WrongCodes)
			}
		})
	}
}

func TestFiveWrongCodesEndTheFlow(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	right := h.code(token)
	wrong := wrongCode(right)
	for left := 4; left >= 1; left-- {
		e := wantCode(t, h.svc.Verify(ctx, h.client, token, wrong), api.CodeCodeInvalid)
		if e.AttemptsLeft == nil || *e.AttemptsLeft != left {
			t.Fatalf("attempts left %v, want %d", e.AttemptsLeft, left)
		}
		// The count is committed although Verify failed.
		if f := h.flow(token); f.WrongCodes != 5-left {
			t.Fatalf("stored wrong codes %d, want %d", f.WrongCodes, 5-left)
		}
	}
	wantCode(t, h.svc.Verify(ctx, h.client, token, wrong), api.CodeAttemptsExhausted)
	// The flow is over: even the right code, a new code or a look are refused.
	wantCode(t, h.svc.Verify(ctx, h.client, token, right), api.CodeTokenInvalid)
	_, err := h.svc.SendCode(ctx, h.client, token, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeTokenInvalid)
	_, err = h.svc.Flow(ctx, h.client, token)
	wantCode(t, err, api.CodeTokenInvalid)

	var names []string
	for _, e := range h.audit(acctBoth.StaffNumber) {
		names = append(names, e.Event)
	}
	want := []string{"authn_token_created", "sensitive_create",
		"authn_login_fail", "authn_login_fail", "authn_login_fail", "authn_login_fail", "authn_login_fail_max",
		"authz_fail", "authz_fail"}
	if !slices.Equal(names, want) {
		t.Errorf("audit events %v, want %v", names, want)
	}
}

func TestFourWrongCodesThenTheRightOne(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	for range 4 {
		wantCode(t, h.svc.Verify(context.Background(), h.client, token, wrongCode(h.code(token))), api.CodeCodeInvalid)
	}
	if err := h.svc.Verify(context.Background(), h.client, token, h.code(token)); err != nil {
		t.Fatalf("the right code after four wrong ones: %v", err)
	}
}

func TestVerifyRefusals(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	notSent := h.start(acctBoth.StaffNumber)
	wantCode(t, h.svc.Verify(ctx, h.client, notSent, "123456"), api.CodeWrongStep)

	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	for _, malformed := range []string{"", "12345", "1234567", "12345a", "１２３４５６"} {
		wantCode(t, h.svc.Verify(ctx, h.client, token, malformed), api.CodeInvalidRequest)
	}
	if f := h.flow(token); f.WrongCodes != 0 {
		t.Errorf("malformed codes counted as wrong guesses: %d", f.WrongCodes)
	}
	code := h.code(token)
	if err := h.svc.Verify(ctx, h.client, token, " "+code+" "); err != nil {
		t.Fatalf("the right code with spaces around: %v", err)
	}
	// Single use.
	wantCode(t, h.svc.Verify(ctx, h.client, token, code), api.CodeWrongStep)
	wantCode(t, h.svc.Verify(ctx, h.client, "unknown", code), api.CodeTokenInvalid)
}

func TestCodesAreBoundToTheirFlow(t *testing.T) {
	h := newHarness(t)
	a := h.start(acctBoth.StaffNumber)
	b := h.start(acctBoth.StaffNumber)
	h.send(a, api.ChannelSMS)
	h.send(b, api.ChannelSMS)
	if h.code(a) == h.code(b) {
		return // the one-in-a-million case says nothing either way
	}
	wantCode(t, h.svc.Verify(context.Background(), h.client, a, h.code(b)), api.CodeCodeInvalid)
}

func TestConcurrentVerifiesOfTheRightCode(t *testing.T) {
	h := newHarness(t)
	for round := range 5 {
		token := h.start(acctBoth.StaffNumber)
		h.send(token, api.ChannelSMS)
		code := h.code(token)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range errs {
			wg.Go(func() {
				<-start
				errs[i] = h.svc.Verify(context.Background(), h.client, token, code)
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, err, api.CodeWrongStep)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d verifies succeeded, want exactly 1 (%v)", round, ok, errs)
		}
	}
}
