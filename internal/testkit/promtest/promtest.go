// Package promtest reads resetd's Prometheus scrapes for tests that compare
// two of them: that an outsider's requests move the same counters whatever
// the service knows, for one.
package promtest

import (
	"fmt"
	"strconv"
	"strings"
)

// Samples reads a scrape in the Prometheus text format and returns
// resetd's own samples, "name{labels}" → value. The request-duration
// histogram is left out (how long a request took, which its answer shows
// anyway), and so are the Go runtime's and the process's metrics, which
// move on their own.
func Samples(text string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "resetd_") || strings.HasPrefix(line, "resetd_http_request_duration_seconds") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			return nil, fmt.Errorf("metrics line %q has no value", line)
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[line[:i]] = v
	}
	return out, nil
}

// Moved is how much each sample that changed from before to after moved;
// a sample gone from after moved by minus its value.
func Moved(before, after map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	for k, v := range before {
		if _, ok := after[k]; !ok {
			out[k] = -v
		}
	}
	return out
}
