package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"casreset/api"
)

func TestPanicsAreAnsweredAsInternalErrorsAndLogged(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{log: slog.New(slog.NewTextHandler(&logs, nil))}
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	w := httptest.NewRecorder()
	h.recoverPanics(h.perRequest(boom)).ServeHTTP(w, httptest.NewRequest("GET", "/v1/policy", nil))

	var p api.Error
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("answer %q: %v", w.Body, err)
	}
	if w.Code != 500 || p.Code != api.CodeInternal || p.Detail != detailInternal || p.Reference == "" || w.Header().Get(api.HeaderRequestID) != p.Reference {
		t.Errorf("answer %d %+v", w.Code, p)
	}
	if !strings.Contains(logs.String(), p.Reference) || !strings.Contains(logs.String(), "boom") {
		t.Errorf("log lacks the reference or the panic: %s", logs.String())
	}
}

func TestPrintableKeepsTextOnly(t *testing.T) {
	for in, want := range map[string]string{
		"casreset/1.0 (linux)":  "casreset/1.0 (linux)",
		"a\xff\xfeb":            "a\uFFFDb",
		"a\x00b\x1bc\x7fd\r\ne": "abcde",
		"日本語":                   "日本",
	} {
		max := 64
		if in == "日本語" {
			max = 7 // cuts into the third character
		}
		if got := printable(in, max); got != want {
			t.Errorf("printable(%q, %d) = %q, want %q", in, max, got, want)
		}
	}
}
