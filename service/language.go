package service

import (
	"casreset/api"
	"casreset/assets"
)

// requestLanguage reads the language member of a request (start, send
// code, reminder): the tag of the table's language that fits it best
// ("zh-TW" is read as "zh-HK", "en-GB" as "en"), or "" when it is empty
// or no language of the table fits ("fr"): messages then go out in the
// service's default language (delivery's SMSLang, --sms-lang). A newer
// wizard may speak a language this service does not, and the person
// should still get their code. A value that is not a language tag at all
// is refused: it is a client's mistake, and it is reported before
// anything of the request is used up (the CAPTCHA stays unused).
func requestLanguage(tag string) (string, *refusal) {
	if tag == "" {
		return "", nil
	}
	if !assets.WellFormed(tag) {
		return "", refuseWhy(api.CodeInvalidRequest, `The language must be a language tag such as "en" or "zh-HK".`, "language format")
	}
	if l, ok := assets.Fit(tag); ok {
		return l.Tag, nil
	}
	return "", nil
}
