package httpapi_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"casreset/api"
	"casreset/service"
	"casreset/service/httpapi"
)

// TestPolicyListsItsRulesInOrderAndKeepsTheFirstMembers: GET /v1/policy
// lists the rules with their parameters, in the order to show them, and
// still has every member of the first version, for the clients written
// against it.
func TestPolicyListsItsRulesInOrderAndKeepsTheFirstMembers(t *testing.T) {
	h := newHarness(t, func(c *service.Config, _ *httpapi.Options) {
		c.Policy.MinLength, c.Policy.History = 12, 5
	})
	resp := h.ok(req{method: "GET", path: "/v1/policy"}, http.StatusOK, nil)

	var raw map[string]json.RawMessage
	if err := json.Unmarshal(resp.body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, member := range []string{"min_length", "max_length", "needs_letter", "needs_digit", "no_whitespace",
		"forbidden_chars", "history", "reject_common", "reject_identity", "advice", "rules", "requirements"} {
		if _, ok := raw[member]; !ok {
			t.Errorf("GET /v1/policy has no %q: %s", member, resp.body)
		}
	}

	var got struct {
		MinLength    int               `json:"min_length"`
		History      int               `json:"history"`
		Rules        []string          `json:"rules"`
		Requirements []json.RawMessage `json:"requirements"`
	}
	if err := json.Unmarshal(resp.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.MinLength != 12 || got.History != 5 || len(got.Rules) != 9 {
		t.Errorf("first members: min_length %d, history %d, rules %v", got.MinLength, got.History, got.Rules)
	}
	want := []string{
		`{"id":"too_short","min":12}`,
		`{"id":"too_long","max":128}`,
		`{"id":"needs_letter"}`,
		`{"id":"needs_digit"}`,
		`{"id":"has_whitespace"}`,
		`{"id":"forbidden_char","chars":"$\"\\/` + "`" + `"}`,
		`{"id":"reused","count":5}`,
		`{"id":"too_common"}`,
		`{"id":"contains_identity","min":4}`,
	}
	if len(got.Requirements) != len(want) {
		t.Fatalf("requirements: %s", resp.body)
	}
	for i, r := range got.Requirements {
		if string(r) != want[i] {
			t.Errorf("requirement %d = %s, want %s", i, r, want[i])
		}
	}
}

// TestTheFlowCarriesItsPolicy: GET /v1/resets/current carries the
// account's policy, which is the global one while the directory has none.
func TestTheFlowCarriesItsPolicy(t *testing.T) {
	h := newHarness(t)
	var global api.Policy
	h.ok(req{method: "GET", path: "/v1/policy"}, http.StatusOK, &global)

	token := h.start(acctBoth.StaffNumber).ResetToken
	var f api.Flow
	h.ok(req{method: "GET", path: "/v1/resets/current", token: token}, http.StatusOK, &f)
	if f.Policy == nil {
		t.Fatal("the flow carries no policy")
	}
	if !reflect.DeepEqual(*f.Policy, global) {
		t.Errorf("the flow's policy %+v differs from the global %+v", *f.Policy, global)
	}
}
