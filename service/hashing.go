package service

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id output sizes, as OWASP's password storage guidance suggests.
const (
	saltBytes = 16
	keyBytes  = 32
)

// Bounds on parameters read back from a stored hash, so that a corrupt or
// hostile row cannot make Verify allocate gigabytes or spin for minutes.
const (
	maxStoredMemoryKiB = 1 << 20 // 1 GiB
	maxStoredTime      = 64
	maxStoredKeyBytes  = 128
)

// ErrMalformedHash is returned by VerifyPassword for a string that is not an
// Argon2id PHC hash this package can read.
var ErrMalformedHash = errors.New("malformed password hash")

// HashPassword returns password hashed with Argon2id under p and a fresh
// random salt, as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// (salt and hash in unpadded standard base64). It is slow on purpose; the
// service calls it through a bounded hasher.
func HashPassword(password string, p HashParams) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches encoded, a PHC string
// from HashPassword (with whatever parameters it was made with). The
// comparison takes the same time wherever the hashes differ.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func parsePHC(encoded string) (p HashParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformedHash
	}
	if p.Time < 1 || p.Time > maxStoredTime || p.Threads < 1 ||
		p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxStoredMemoryKiB {
		return p, nil, nil, ErrMalformedHash
	}
	salt, err = base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return p, nil, nil, ErrMalformedHash
	}
	key, err = base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 || len(key) > maxStoredKeyBytes {
		return p, nil, nil, ErrMalformedHash
	}
	return p, salt, key, nil
}

// hasher runs Argon2id with at most a fixed number of hashes at once: each
// takes MemoryKiB of memory, so an unbounded burst of password changes could
// exhaust the host's memory.
type hasher struct {
	params HashParams
	slots  chan struct{}
}

func newHasher(p HashParams, maxConcurrent int) *hasher {
	return &hasher{params: p, slots: make(chan struct{}, max(maxConcurrent, 1))}
}

// acquire waits for a free slot or for ctx to end.
func (h *hasher) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password, h.params)
}

func (h *hasher) verify(ctx context.Context, password, encoded string) (bool, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return VerifyPassword(password, encoded)
}
