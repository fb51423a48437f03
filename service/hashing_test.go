package service_test

import (
	"errors"
	"strings"
	"testing"

	"casreset/service"
)

var fastHash = service.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

func TestHashPasswordRoundTrip(t *testing.T) {
	h, err := service.HashPassword("Kx7pQ2mZr9vT", fastHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not an Argon2id PHC string with the parameters", h)
	}
	for pw, want := range map[string]bool{"Kx7pQ2mZr9vT": true, "Kx7pQ2mZr9vt": false, "": false} {
		got, err := service.VerifyPassword(pw, h)
		if err != nil || got != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	a, _ := service.HashPassword("same", fastHash)
	b, _ := service.HashPassword("same", fastHash)
	if a == b {
		t.Error("two hashes of one password are equal: no random salt")
	}
}

func TestVerifyPasswordUsesTheStoredParameters(t *testing.T) {
	h, _ := service.HashPassword("Kx7pQ2mZr9vT", service.HashParams{MemoryKiB: 128, Time: 2, Threads: 2})
	if ok, err := service.VerifyPassword("Kx7pQ2mZr9vT", h); !ok || err != nil {
		t.Errorf("VerifyPassword = %v, %v", ok, err)
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", // would allocate ~100 GB
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
	} {
		if _, err := service.VerifyPassword("x", h); !errors.Is(err, service.ErrMalformedHash) {
			t.Errorf("VerifyPassword(%q) error = %v, want ErrMalformedHash", h, err)
		}
	}
}

func TestDefaultHashParameters(t *testing.T) {
	got := service.DefaultConfig().PasswordHash
	if got != (service.HashParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}) {
		t.Errorf("default Argon2id parameters = %+v, want m=19 MiB t=2 p=1", got)
	}
}

// BenchmarkHashPassword is one Argon2id hash with the default parameters:
// the floor of a password change.
func BenchmarkHashPassword(b *testing.B) {
	p := service.DefaultConfig().PasswordHash
	for b.Loop() {
		if _, err := service.HashPassword("Kx7pQ2mZr9vT", p); err != nil {
			b.Fatal(err)
		}
	}
}
