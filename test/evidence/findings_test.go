package evidence

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"casreset/api"
)

// The tests of this file and of findings_*_test.go each reproduce one
// finding of an outsider's attack on resetd (issue 14, findings 1 to 10)
// against the built binary, and pass only where the attack now fails.

// onEachEngine runs test on SQLite and on PostgreSQL, each with a setup of
// its own that holds the given number of accounts.
func onEachEngine(t *testing.T, accounts int, test func(t *testing.T, s *setup)) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			s := newSetup(t, e)
			if accounts > 0 {
				s.importAccounts(t, accounts)
			}
			test(t, s)
		})
	}
}

// httpClient is a client of the instance's API that sends what a test
// chooses, headers included, over HTTP/1.1 or HTTP/2 as the server offers.
func (in *instance) httpClient() *http.Client {
	cfg := in.tlsConfig()
	cfg.NextProtos = nil
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}, Timeout: 30 * time.Second}
	in.t.Cleanup(c.CloseIdleConnections)
	return c
}

// do sends one request with body (JSON when not empty) and header, and
// returns the answer with its body read.
func do(t *testing.T, c *http.Client, method, url, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// auditEvent is one line of `resetd audit --json`.
type auditEvent struct {
	Event       string `json:"event"`
	StaffNumber string `json:"staff_number"`
	UserAgent   string `json:"user_agent"`
	Detail      string `json:"detail"`
}

// audit runs `resetd audit` on s's database with args and returns its
// output.
func (s *setup) audit(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(resetdBin, append(append([]string{"audit"}, s.storeArgs()...), args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("resetd audit %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// auditEvents runs `resetd audit --json` with args and reads its lines.
func (s *setup) auditEvents(t *testing.T, args ...string) []auditEvent {
	t.Helper()
	var out []auditEvent
	sc := bufio.NewScanner(strings.NewReader(s.audit(t, append(args, "--json")...)))
	for sc.Scan() {
		var ev auditEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, ev)
	}
	return out
}

// wrongOf is a code of the right shape that is not code.
func wrongOf(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// wantProblem fails unless err is an answer of the contract with code.
func wantProblem(t *testing.T, what string, err error, code api.Code) *api.Error {
	t.Helper()
	ae, ok := err.(*api.Error)
	if !ok || ae.Code != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
	return ae
}
