package client

import (
	"errors"
	"syscall"
	"testing"

	"github.com/danieljoos/wincred"
)

// TestKeyringWithCredentialManager remembers and forgets a staff number in
// the Windows Credential Manager through go-keyring's own code path, and
// finds it there as IT would: a generic credential named
// hk.edu.casreset:USER. test/windows runs it under Wine. A staff number
// the user had remembered is put back afterwards.
func TestKeyringWithCredentialManager(t *testing.T) {
	k := NewKeyring()
	if !k.Available() {
		t.Fatal("Available = false: the Credential Manager does not answer")
	}
	if saved, err := k.Get(); err == nil {
		t.Cleanup(func() { _ = k.Remember(saved) })
	}
	target := KeyringService + ":" + osUserName()

	if err := k.Remember("T0678"); err != nil {
		t.Fatalf("Remember: %v", err)
	}
	cred, err := wincred.GetGenericCredential(target)
	if err != nil {
		t.Fatalf("no generic credential %s in the Credential Manager: %v", target, err)
	}
	if string(cred.CredentialBlob) != "T0678" || cred.UserName != osUserName() {
		t.Errorf("credential %s holds %q for %q; want the staff number for %q", target, cred.CredentialBlob, cred.UserName, osUserName())
	}

	rememberForget(t, k)
	if _, err := wincred.GetGenericCredential(target); !errors.Is(err, syscall.ERROR_NOT_FOUND) {
		t.Errorf("credential %s after Forget: %v, want none", target, err)
	}
}
