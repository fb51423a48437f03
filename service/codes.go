package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
)

// CodeKeySecret is the store secret under which validation codes are MACed
// when Config.CodeKey is not set.
const CodeKeySecret = "code_hmac_key"

// CodeKeyBytes is the size of the HMAC-SHA256 key the service generates,
// and the least it accepts in Config.CodeKey (RFC 2104: at least the hash's
// output length).
const CodeKeyBytes = 32

// RandomDigits returns n decimal digits from crypto/rand, each of the 10^n
// strings equally likely (rand.Int draws without modulo bias).
func RandomDigits(n int) (string, error) {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return "", fmt.Errorf("random digits: %w", err)
	}
	return fmt.Sprintf("%0*s", n, v.String()), nil
}

// codeMAC binds a validation code to its flow, so that a MAC copied from
// one flow's row cannot verify another's.
func codeMAC(key []byte, flowID, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(flowID))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// codeMatches compares in constant time.
func codeMatches(key []byte, flowID, code string, want []byte) bool {
	return hmac.Equal(codeMAC(key, flowID, code), want)
}

// codeKey returns the server's HMAC key for codes: Config.CodeKey when set,
// otherwise one kept in the store and created there on first use. Every
// instance shares that one through the store: the first writer wins and
// everyone reads back the stored value.
func (s *Service) codeKey(ctx context.Context) ([]byte, error) {
	if s.cfg.CodeKey != nil {
		return s.cfg.CodeKey, nil
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	fresh := make([]byte, CodeKeyBytes)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("code key: %w", err)
	}
	var key []byte
	err := s.store.Update(ctx, func(tx Tx) error {
		stored, err := tx.Secret(CodeKeySecret)
		if errors.Is(err, ErrNotFound) {
			if err := tx.InsertSecret(CodeKeySecret, fresh); err != nil {
				return err
			}
			stored, err = tx.Secret(CodeKeySecret)
		}
		if err != nil {
			return err
		}
		key = stored
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("code key: %w", err)
	}
	if len(key) < CodeKeyBytes {
		return nil, fmt.Errorf("code key: stored key has %d bytes, want %d", len(key), CodeKeyBytes)
	}
	s.key = key
	return key, nil
}
