package client

import (
	"errors"
	"fmt"
	"testing"

	"casreset/api"
)

// TestErrorsReportTheirFailureKind: the wizard tells failures apart by
// api.FailureOf alone, so every error type of the client reports its kind,
// also when wrapped.
func TestErrorsReportTheirFailureKind(t *testing.T) {
	cause := errors.New("cause")
	for _, tt := range []struct {
		err  error
		want api.Failure
	}{
		{&NetworkError{Host: "h", Err: cause}, api.FailureNetwork},
		{&TimeoutError{Host: "h", Err: cause}, api.FailureTimeout},
		{&CertificateError{Host: "h", Reason: ReasonPin, Err: cause}, api.FailureCertificate},
		{&UnexpectedResponseError{Host: "h", Status: 502}, api.FailureUnexpected},
	} {
		if got := api.FailureOf(tt.err); got != tt.want {
			t.Errorf("FailureOf(%T) = %q, want %q", tt.err, got, tt.want)
		}
		if got := api.FailureOf(fmt.Errorf("call: %w", tt.err)); got != tt.want {
			t.Errorf("FailureOf(wrapped %T) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if got := api.FailureOf(api.Errorf(api.CodeUnavailable, "down")); got != "" {
		t.Errorf("an answer of the service is failure %q, want none", got)
	}
}
