package service_test

import (
	"context"
	"path/filepath"
	"testing"

	"casreset/api"
	"casreset/service"
	"casreset/service/sqlite"
)

func TestReady(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "ready.db"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(testConfig(), db, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Ready(context.Background()); err != nil {
		t.Fatalf("Ready on an open store: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, svc.Ready(context.Background()), api.CodeUnavailable)

	// Other calls on a broken store give a generic error with the reference.
	c := service.Client{Reference: "ref-broken"}
	_, err = svc.NewCaptcha(context.Background(), c)
	var e *api.Error
	if e = wantCodeIn(t, err, api.CodeInternal, api.CodeUnavailable); e.Reference != "ref-broken" {
		t.Errorf("reference %q, want ref-broken", e.Reference)
	}
}

func wantCodeIn(tb testing.TB, err error, codes ...api.Code) *api.Error {
	tb.Helper()
	for _, c := range codes {
		if api.ErrorCode(err) == c {
			return wantCode(tb, err, c)
		}
	}
	tb.Fatalf("error %v, want one of %v", err, codes)
	return nil
}

// TestInstancesShareTheCodeKey: two services over one store (two resetd
// instances) verify each other's codes.
func TestInstancesShareTheCodeKey(t *testing.T) {
	h := newHarness(t)
	other, err := service.New(testConfig(), h.store, nil, h.clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	if err := other.Verify(context.Background(), h.client, token, h.code(token)); err != nil {
		t.Fatalf("the other instance refused the code: %v", err)
	}
}

func TestNewNeedsAStore(t *testing.T) {
	if _, err := service.New(testConfig(), nil, nil, nil, nil); err == nil {
		t.Error("New without a store succeeded")
	}
}

func TestPolicyAndConfig(t *testing.T) {
	h := newHarness(t)
	if got := h.svc.Policy(); got.MinLength != 10 || len(got.Rules) != 9 {
		t.Errorf("Policy() = %+v", got)
	}
	if h.svc.Config().PasswordHash != fastHash {
		t.Error("Config() is not the configuration given")
	}
}
