package service

import (
	"net/url"
	"testing"
	"time"
)

// The SHA-1 test vectors of RFC 6238, appendix B (8 digits), and the same
// codes cut to the 6 digits operators type.
func TestTOTPMatchesTheRFCTestVectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		step := totpStep(time.Unix(tc.unix, 0))
		if got := totpCode(secret, step, 8); got != tc.want {
			t.Errorf("T=%d: code %s, want %s", tc.unix, got, tc.want)
		}
		if got := totpCode(secret, step, 6); got != tc.want[2:] {
			t.Errorf("T=%d: 6-digit code %s, want %s", tc.unix, got, tc.want[2:])
		}
	}
}

func TestTOTPAcceptsOneStepEitherSide(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1234567890, 0)
	cur := totpStep(now)
	for _, tc := range []struct {
		step int64
		ok   bool
	}{{cur - 2, false}, {cur - 1, true}, {cur, true}, {cur + 1, true}, {cur + 2, false}} {
		got, ok := matchTOTP(secret, totpCode(secret, tc.step, 6), now, 6)
		if ok != tc.ok || (ok && got != tc.step) {
			t.Errorf("code of step %+d: matched step %d %v, want %v", tc.step-cur, got, ok, tc.ok)
		}
	}
	for _, code := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := matchTOTP(secret, code, now, 6); ok {
			t.Errorf("%q matched", code)
		}
	}
}

func TestTOTPURIIsWhatAuthenticatorAppsRead(t *testing.T) {
	uri := totpURI("CAS Password Reset", "alice", []byte("12345678901234567890"), 6)
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/CAS Password Reset:alice" {
		t.Errorf("URI %s: scheme %q host %q path %q", uri, u.Scheme, u.Host, u.Path)
	}
	q := u.Query()
	if q.Get("secret") != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" || q.Get("issuer") != "CAS Password Reset" ||
		q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("query %v", q)
	}
}
