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
	"casreset/service"
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
	if w.Code != 500 || p.Code != api.CodeInternal || p.Detail != service.DetailInternal || p.Reference == "" || w.Header().Get(api.HeaderRequestID) != p.Reference {
		t.Errorf("answer %d %+v", w.Code, p)
	}
	if !strings.Contains(logs.String(), p.Reference) || !strings.Contains(logs.String(), "boom") {
		t.Errorf("log lacks the reference or the panic: %s", logs.String())
	}
}
