package promtest

import (
	"maps"
	"testing"
)

func TestSamplesAndMoved(t *testing.T) {
	before, err := Samples("# HELP x\ngo_goroutines 7\nresetd_reminders_total 1\nresetd_http_request_duration_seconds_bucket{le=\"1\"} 3\nresetd_http_requests_total{route=\"a\",status=\"202\"} 2\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"resetd_reminders_total": 1, `resetd_http_requests_total{route="a",status="202"}`: 2}
	if !maps.Equal(before, want) {
		t.Errorf("Samples = %v, want %v", before, want)
	}
	after := map[string]float64{"resetd_reminders_total": 2, `resetd_http_requests_total{route="a",status="202"}`: 2, "resetd_new": 1}
	if got := Moved(before, after); !maps.Equal(got, map[string]float64{"resetd_reminders_total": 1, "resetd_new": 1}) {
		t.Errorf("Moved = %v", got)
	}
	if _, err := Samples("resetd_broken NaNx\n"); err == nil {
		t.Error("a value that is not a number was read")
	}
}
