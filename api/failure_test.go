package api

import (
	"errors"
	"fmt"
	"testing"
)

type timeoutFailure struct{}

func (timeoutFailure) Error() string        { return "took too long" }
func (timeoutFailure) FailureKind() Failure { return FailureTimeout }

func TestFailureOf(t *testing.T) {
	tests := []struct {
		err  error
		want Failure
	}{
		{nil, ""},
		{Errorf(CodeUnavailable, "down"), ""},
		{fmt.Errorf("call: %w", Errorf(CodeInternal, "")), ""},
		{timeoutFailure{}, FailureTimeout},
		{fmt.Errorf("call: %w", timeoutFailure{}), FailureTimeout},
		{errors.New("connection reset"), FailureNetwork},
	}
	for _, tt := range tests {
		if got := FailureOf(tt.err); got != tt.want {
			t.Errorf("FailureOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
