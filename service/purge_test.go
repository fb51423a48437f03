package service_test

import (
	"context"
	"testing"
	"time"

	"casreset/api"
)

func TestPurgeKeepsHitsInsideTheLongestWindow(t *testing.T) {
	h := newHarness(t)
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)

	// An hour later the flow is long expired, but the send still counts
	// against the account's allowance for 24 hours.
	h.clock.Advance(time.Hour)
	if _, err := h.svc.Purge(context.Background(), time.Hour, 400*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	cfg := h.svc.Config()
	for i := 1; i < cfg.MaxSendsDay; i++ {
		tok := h.start(acctBoth.StaffNumber)
		if _, err := h.svc.SendCode(context.Background(), h.client, tok, api.SendCodeRequest{Channel: api.ChannelSMS}); err != nil {
			t.Fatalf("send %d after purge: %v", i+1, err)
		}
	}
	tok := h.start(acctBoth.StaffNumber)
	_, err := h.svc.SendCode(context.Background(), h.client, tok, api.SendCodeRequest{Channel: api.ChannelSMS})
	wantCode(t, err, api.CodeRateLimited)
}
