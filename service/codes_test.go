package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"casreset/api"
	"casreset/internal/testkit/storetest"
	"casreset/service"
)

func TestRandomDigits(t *testing.T) {
	const samples = 2000
	var seen [6][10]int
	for range samples {
		s, err := service.RandomDigits(6)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 6 {
			t.Fatalf("RandomDigits(6) = %q", s)
		}
		for i, c := range s {
			if c < '0' || c > '9' {
				t.Fatalf("RandomDigits(6) = %q has a non-digit", s)
			}
			seen[i][c-'0']++
		}
	}
	// Each digit is expected 200 times per position; missing one entirely
	// has a probability of about 10^-91, so this fails only when leading
	// zeros are dropped or a position is stuck.
	for i := range seen {
		for d, n := range seen[i] {
			if n == 0 {
				t.Errorf("digit %d never appeared at position %d in %d codes", d, i, samples)
			}
		}
	}
}

// TestCodeKeyFromConfigurationStaysOutOfTheStore: with Config.CodeKey the
// store holds no key, and only a service with the same key verifies the
// codes another sent.
func TestCodeKeyFromConfigurationStaysOutOfTheStore(t *testing.T) {
	key := bytes.Repeat([]byte{7}, service.CodeKeyBytes)
	h := newHarness(t, func(c *service.Config) { c.CodeKey = key })
	token := h.start(acctBoth.StaffNumber)
	h.send(token, api.ChannelSMS)
	code := h.code(token)

	if storetest.CodeKeyStored(t, h.store) {
		t.Error("the store holds a code key; it should stay in the configuration")
	}

	other := func(key []byte) *service.Service {
		cfg := testConfig()
		cfg.CodeKey = key
		svc, err := service.New(cfg, h.store, nil, h.clock, nil)
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	wrongKey := bytes.Repeat([]byte{8}, service.CodeKeyBytes)
	wantCode(t, other(wrongKey).Verify(context.Background(), h.client, token, code), api.CodeCodeInvalid)
	if err := other(key).Verify(context.Background(), h.client, token, code); err != nil {
		t.Errorf("an instance with the same key: %v", err)
	}
}

func TestShortCodeKeyIsRefused(t *testing.T) {
	cfg := testConfig()
	cfg.CodeKey = make([]byte, service.CodeKeyBytes-1)
	if _, err := service.New(cfg, storetest.SQLite(t), nil, nil, nil); err == nil || !strings.Contains(err.Error(), "code key") {
		t.Errorf("a %d-byte code key: %v, want refused", len(cfg.CodeKey), err)
	}
}
