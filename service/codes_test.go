package service_test

import (
	"testing"

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
