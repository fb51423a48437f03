package delivery

import "unicode/utf16"

// Single-segment limits of an SMS: 160 GSM 03.38 septets, or 70 UCS-2
// characters as soon as one character is outside the GSM alphabet.
// Concatenated messages lose room to the user-data header.
const (
	gsm7Single = 160
	gsm7Part   = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// gsm7Basic is the GSM 03.38 default alphabet (one septet each); the
// escape character itself is left out.
const gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsm7Extension holds the characters sent as escape + septet (two each).
const gsm7Extension = "\f^{}\\[~]|€"

var gsm7Width = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsm7Basic {
		m[r] = 1
	}
	for _, r := range gsm7Extension {
		m[r] = 2
	}
	return m
}()

// gsm7Septets counts the septets s needs in the GSM 7-bit alphabet, and
// reports false when some character is outside it.
func gsm7Septets(s string) (int, bool) {
	n := 0
	for _, r := range s {
		w, ok := gsm7Width[r]
		if !ok {
			return 0, false
		}
		n += w
	}
	return n, true
}

// SMSSegments is the number of SMS segments s takes: GSM 7-bit when every
// character allows it, otherwise UCS-2 (UTF-16 code units).
func SMSSegments(s string) int {
	if n, ok := gsm7Septets(s); ok {
		return segments(n, gsm7Single, gsm7Part)
	}
	return segments(len(utf16.Encode([]rune(s))), ucs2Single, ucs2Part)
}

func segments(n, single, part int) int {
	if n <= single {
		return 1
	}
	return (n + part - 1) / part
}
