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
	// A local operator's name never holds a backslash: only the
	// directory takes DOMAIN\name.
	for _, bad := range []string{"", "  ", "two words", "ａｌｉｃｅ", "a/b", "é", string(make([]byte, 65)), `example\alice`} {
		if got, ok := NormalizeOperatorName(bad); ok {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}

// At sign-in, the Windows forms of a name pass too, and nothing else
// does; the forms of one name share the per-username limit.
func TestSignInNames(t *testing.T) {
	for in, want := range map[string][2]string{
		" Alice ":               {"alice", "alice"},
		"Hana@Example.EDU.hk":   {"hana@example.edu.hk", "hana"},
		`EXAMPLE\Hana`:          {`example\hana`, "hana"},
		` example-hk\ho.hana2 `: {`example-hk\ho.hana2`, "ho.hana2"},
		`ABCDEFGHIJKLMNO\x`:     {`abcdefghijklmno\x`, "x"}, // 15 characters, NetBIOS's most
		"a.b-c_d@it":            {"a.b-c_d@it", "a.b-c_d"},
	} {
		got, ok := NormalizeSignInName(in)
		if !ok || got != want[0] {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want[0])
		}
		if key := signInLimitKey(got); key != want[1] {
			t.Errorf("%q: limit key %q, want %q", in, key, want[1])
		}
	}
	for _, bad := range []string{
		"", `\`, `\hana`, `EXAMPLE\`, `EXAMPLE\\hana`, `A\B\C`, `EXAMPLE\hana@example.edu.hk`,
		`EX@MPLE\hana`, `ABCDEFGHIJKLMNOP\x`, `EXAMPLE\*`, `EXAMPLE\a)(uid=*`, `EXAMPLE\two words`,
		"a/b", "(uid=*)", "ｈａｎａ@example.edu.hk", `EXAMPLE\` + string(make([]byte, 65)),
	} {
		if got, ok := NormalizeSignInName(bad); ok {
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
