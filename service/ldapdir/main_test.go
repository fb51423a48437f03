package ldapdir_test

import (
	"testing"

	"casreset/internal/testkit/sambatest"
)

// TestMain stops the Samba AD DC that the Active Directory tests share.
func TestMain(m *testing.M) { sambatest.Main(m) }
