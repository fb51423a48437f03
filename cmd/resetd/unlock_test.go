package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
	"casreset/service/server"
)

// TestAccountsUnlock: an account whose flows used up its wrong codes gets
// codes again after `resetd accounts unlock`, which the audit records.
func TestAccountsUnlock(t *testing.T) {
	_, data := importedData(t)

	// Ten wrong codes in two flows, as a guesser would leave them.
	ctx := context.Background()
	store, _, err := server.OpenStore(ctx, data, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := service.DefaultConfig()
	cfg.TestCaptchaAnswer = "424242"
	svc, err := service.New(cfg, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pc := service.Client{Addr: "192.0.2.9"}
	startFlow := func() string {
		cp, err := svc.NewCaptcha(ctx, pc)
		if err != nil {
			t.Fatal(err)
		}
		st, err := svc.Start(ctx, pc, api.StartRequest{StaffNumber: "12345678", CaptchaID: cp.CaptchaID, CaptchaAnswer: "424242"})
		if err != nil {
			t.Fatal(err)
		}
		return st.ResetToken
	}
	for range 2 {
		token := startFlow()
		if _, err := svc.SendCode(ctx, pc, token, api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
			t.Fatal(err)
		}
		wrong := "000000"
		err := store.View(ctx, func(tx service.Tx) error {
			m, err := tx.Message(storetest.FlowOfToken(t, store, token).MessageID)
			if m.Params["code"] == wrong {
				wrong = "111111"
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			svc.Verify(ctx, pc, token, wrong)
		}
	}
	locked := startFlow()
	if _, err := svc.SendCode(ctx, pc, locked, api.SendCodeRequest{Channel: api.ChannelEmail}); api.ErrorCode(err) != api.CodeRateLimited {
		t.Fatalf("a send after ten wrong codes: %v, want rate_limited", err)
	}

	out, _, err := runCmd(t, nil, "accounts", "unlock", "--data", data, " 12345678 ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "unlocked 12345678:") || !strings.Contains(out, "1 open flows ended") {
		t.Errorf("output %q", out)
	}
	if _, err := svc.Flow(ctx, pc, locked); api.ErrorCode(err) != api.CodeTokenInvalid {
		t.Errorf("the flow open before the unlock: %v, want token_invalid", err)
	}
	if _, err := svc.SendCode(ctx, pc, startFlow(), api.SendCodeRequest{Channel: api.ChannelEmail}); err != nil {
		t.Errorf("a send after the unlock: %v", err)
	}
	audit, _, err := runCmd(t, nil, "audit", "--data", data, "--staff", "12345678")
	if err != nil || !strings.Contains(audit, "user_updated") || !strings.Contains(audit, "by the command line (") {
		t.Errorf("audit (%v):\n%s", err, audit)
	}

	for _, args := range [][]string{{"accounts", "unlock", "--data", data}, {"accounts", "unlock", "--data", data, "<b>"}} {
		if _, _, err := runCmd(t, nil, args...); !errors.As(err, new(usageError)) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
