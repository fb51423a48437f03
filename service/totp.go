package service

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"time"
)

// TOTP of RFC 6238 as every authenticator app reads it from an otpauth://
// URI: HMAC-SHA-1, 30-second steps from the Unix epoch, 6 digits. It is a
// few lines over crypto/hmac, checked against the RFC's test vectors, so
// resetd takes no dependency for it.
const (
	totpPeriod = 30 * time.Second
	// totpSkew is how many steps either side of now a code may be from:
	// one, for a phone clock a little off and a code typed as it turns.
	totpSkew = 1
	// totpSecretBytes is 160 bits, the HMAC-SHA-1 key size RFC 4226
	// recommends.
	totpSecretBytes = 20
)

// totpEncoding is how authenticator apps take a secret: base32, no padding.
var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns a fresh random secret.
func newTOTPSecret() ([]byte, error) {
	b := make([]byte, totpSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("TOTP secret: %w", err)
	}
	return b, nil
}

// totpStep is the 30-second step t falls in.
func totpStep(t time.Time) int64 { return t.Unix() / int64(totpPeriod/time.Second) }

// totpCode is the code of step with digits digits (RFC 4226 dynamic
// truncation).
func totpCode(secret []byte, step int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, v%mod)
}

// matchTOTP returns the step within totpSkew of now whose code is code, and
// whether there is one. Every candidate is compared, in constant time, so
// the answer takes as long whichever step matched.
func matchTOTP(secret []byte, code string, now time.Time, digits int) (int64, bool) {
	if len(code) != digits {
		return 0, false
	}
	cur := totpStep(now)
	var found int64
	ok := false
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, step, digits)), []byte(code)) == 1 && !ok {
			found, ok = step, true
		}
	}
	return found, ok
}

// TOTPCode returns the code of secret (base32, as shown at enrolment) at t.
// For demos and tests that play the operator's authenticator app.
func TOTPCode(secretBase32 string, t time.Time, digits int) (string, error) {
	secret, err := totpEncoding.DecodeString(secretBase32)
	if err != nil {
		return "", fmt.Errorf("TOTP secret: %w", err)
	}
	return totpCode(secret, totpStep(t), digits), nil
}

// totpURI is the otpauth:// URI that authenticator apps read from a QR
// code (the Key Uri Format of Google Authenticator, which the others
// follow): issuer and account name in the label, then the parameters.
func totpURI(issuer, account string, secret []byte, digits int) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", totpEncoding.EncodeToString(secret))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(digits))
	q.Set("period", fmt.Sprint(int(totpPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}
