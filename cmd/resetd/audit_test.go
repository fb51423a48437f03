package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casreset/service"
	"casreset/service/server"
)

// TestAuditEscapesWhatClientsSent: a User-Agent with a line separator and
// a right-to-left override prints escaped, in the table and in JSON, so
// that it can neither start a line of its own nor reverse the rest of one.
func TestAuditEscapesWhatClientsSent(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	const ua = "Mozilla/5.0\u2028authn_password_change 99999999\u202Eexe.gpj\u200D\u2066"
	store, _, err := server.OpenStore(context.Background(), data, "", false)
	if err != nil {
		t.Fatal(err)
	}
	err = store.Update(context.Background(), func(tx service.Tx) error {
		return tx.InsertAudit(service.AuditEvent{Time: time.Now().UTC(), Event: service.EventResetStarted,
			StaffNumber: "12345678", ClientAddr: "192.0.2.7", UserAgent: ua, Reference: "REF1", Detail: "reset started"})
	})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	const want = `Mozilla/5.0\u2028authn_password_change 99999999\u202Eexe.gpj\u200D\u2066`

	table, _, err := runCmd(t, nil, "audit", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	jsonOut, _, err := runCmd(t, nil, "audit", "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"table": table, "JSON": jsonOut} {
		if strings.ContainsAny(out, "\u2028\u202E\u200D\u2066") {
			t.Errorf("%s output holds the raw characters:\n%q", name, out)
		}
	}
	if !strings.Contains(table, want) {
		t.Errorf("table lacks the escaped User-Agent %s:\n%s", want, table)
	}
	if n := strings.Count(strings.TrimSpace(table), "\n"); n != 1 {
		t.Errorf("table has %d lines after its header, want 1:\n%s", n, table)
	}
	var line struct {
		UserAgent string `json:"user_agent"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &line); err != nil || line.UserAgent != want {
		t.Errorf("JSON user_agent %q (%v), want %q", line.UserAgent, err, want)
	}
}
