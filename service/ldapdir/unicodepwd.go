package ldapdir

import (
	"encoding/binary"
	"unicode/utf16"
)

// unicodePwd encodes password the way Active Directory takes it in the
// unicodePwd attribute: enclosed in double quotes, as UTF-16 little-endian
// without a byte-order mark.
func unicodePwd(password string) []byte {
	units := utf16.Encode([]rune(`"` + password + `"`))
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}
