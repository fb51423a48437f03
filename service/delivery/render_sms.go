package delivery

import (
	"fmt"
	"strings"

	"casreset/service"
)

// smsDraft writes one SMS with or without its optional parts: org is the
// organisation's name (possibly shortened, possibly empty) and extra says
// whether to include the part that goes first when room runs out (the
// client address of a notice).
type smsDraft func(org string, extra bool) string

// renderSMS writes the message in org.SMSLang and fits it into one segment.
func renderSMS(kind string, v values, org Org) (string, error) {
	help := org.HelpPhone
	if help == "" {
		help = org.HelpEmail
	}
	zh := org.SMSLang == LangChinese
	var draft smsDraft
	switch {
	case kind == service.MessageCode && zh:
		draft = func(o string, _ bool) string {
			return bracketZH(o) + "重設密碼驗證碼：" + v.code + "，" + smsClockZH(v.expiresAt) +
				"前有效。如非本人要求請忽略，勿告知他人。IT Help：" + help
		}
	case kind == service.MessageCode:
		draft = func(o string, _ bool) string {
			return prefixEN(o) + "Your password reset code is " + v.code + ". Valid until " +
				smsClockEN(v.expiresAt) + ". Didn't ask for it? Ignore this and never share the code. IT Help: " + help
		}
	case kind == service.MessageReminder && zh:
		draft = func(o string, _ bool) string {
			return bracketZH(o) + "你的職員／教師編號是：" + v.staffNumber + "。如非本人要求請忽略。IT Help：" + help
		}
	case kind == service.MessageReminder:
		draft = func(o string, _ bool) string {
			return prefixEN(o) + "Your staff / teacher number is " + v.staffNumber +
				". Didn't ask for it? Ignore this message. IT Help: " + help
		}
	case kind == service.MessageNotice && zh:
		draft = func(o string, extra bool) string {
			s := bracketZH(o) + "密碼已於" + smsDateZH(v.changedAt) + "更改"
			if extra && v.clientAddr != "" {
				s += "（來自" + v.clientAddr + "）"
			}
			s += "。如非本人請聯絡IT Help " + help
			if v.reference != "" {
				s += "，編號" + v.reference
			}
			return s
		}
	case kind == service.MessageNotice:
		draft = func(o string, extra bool) string {
			s := prefixEN(o) + "Your password was changed on " + smsDateEN(v.changedAt)
			if extra && v.clientAddr != "" {
				s += " from " + v.clientAddr
			}
			s += ". Not you? Contact IT Help now: " + help
			if v.reference != "" {
				s += ", ref " + v.reference
			}
			return s + "."
		}
	default:
		return "", fmt.Errorf("%w: unknown kind %q", errUnrenderable, kind)
	}
	return fitSMS(draft, org.Name), nil
}

func bracketZH(org string) string {
	if org == "" {
		return ""
	}
	return "【" + org + "】"
}

func prefixEN(org string) string {
	if org == "" {
		return ""
	}
	return org + ": "
}

// fitSMS returns the fullest draft that fits one segment. Room is found by
// shortening the organisation's name word by word, then leaving it out,
// then leaving out the extra part. The code, staff number and reference
// are never cut: when even the shortest draft is longer than a segment it
// goes out as it is, in several.
func fitSMS(draft smsDraft, orgName string) string {
	var candidates []string
	for _, extra := range []bool{true, false} {
		for _, o := range shortenedNames(orgName) {
			candidates = append(candidates, draft(o, extra))
		}
	}
	for _, c := range candidates {
		if SMSSegments(c) == 1 {
			return c
		}
	}
	return candidates[len(candidates)-1]
}

// shortenedNames lists name, then its word prefixes from longest to
// shortest, without a dangling "of" or "and", then "". "The Open
// University of Hong Kong" gives it whole, "The Open University of Hong",
// "The Open University", "The Open", "".
func shortenedNames(name string) []string {
	words := strings.Fields(name)
	var names []string
	for n := len(words); n > 0; n-- {
		prefix := words[:n]
		for len(prefix) > 0 && danglingWords[strings.ToLower(prefix[len(prefix)-1])] {
			prefix = prefix[:len(prefix)-1]
		}
		s := strings.Join(prefix, " ")
		if s != "" && (len(names) == 0 || names[len(names)-1] != s) {
			names = append(names, s)
		}
	}
	return append(names, "")
}

// danglingWords do not end a shortened name.
var danglingWords = map[string]bool{
	"of": true, "and": true, "&": true, "for": true, "the": true, "in": true, "at": true, "-": true,
}
