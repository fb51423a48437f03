package service

import (
	"bytes"
	"errors"
	"testing"
)

func TestOperatorNames(t *testing.T) {
	for in, want := range map[string]string{
		"alice": "alice", " Alice ": "alice", "a.b-c_d@it": "a.b-c_d@it", "HO.Hana2": "ho.hana2",
	} {
		if got, ok := NormalizeOperatorName(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "  ", "two words", "ａｌｉｃｅ", "a/b", "é", string(make([]byte, 65))} {
		if got, ok := NormalizeOperatorName(bad); ok {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}

// A sealed TOTP secret opens only with its key and under its operator's
// name: a row copied onto another operator's does not sign them in.
func TestTOTPSecretsAreSealedToTheirOperator(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	secret := []byte("12345678901234567890")
	sealed, err := sealTOTPSecret(key, "alice", secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Error("the sealed secret holds the secret")
	}
	got, err := openTOTPSecret(key, "alice", sealed)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	other := bytes.Repeat([]byte{8}, 32)
	for name, tc := range map[string]struct {
		key  []byte
		who  string
		data []byte
	}{
		"another key":      {other, "alice", sealed},
		"another operator": {key, "bob", sealed},
		"cut short":        {key, "alice", sealed[:10]},
		"another version":  {key, "alice", append([]byte{9}, sealed[1:]...)},
	} {
		if _, err := openTOTPSecret(tc.key, tc.who, tc.data); !errors.Is(err, errTOTPSealed) {
			t.Errorf("%s: %v, want errTOTPSealed", name, err)
		}
	}
}
