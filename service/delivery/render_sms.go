package delivery

import (
	"fmt"

	"casreset/service"
)

// smsDraft writes one SMS with or without its optional parts: org is the
// organisation's name (possibly empty) and extra says
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
	return fitSMS(draft, org.smsName()), nil
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

// fitSMS returns the fullest draft that fits one segment: the
// organisation's name and the extra part when there is room, the extra part
// before the name when there is room for one of them. A name is never
// shortened, since a prefix can be another organisation's name ("HKU" of
// "HKU SPACE"). The code, staff number and reference are never cut: when
// even the shortest draft is longer than a segment it goes out as it is, in
// several.
func fitSMS(draft smsDraft, orgName string) string {
	candidates := []string{draft(orgName, true), draft("", true), draft(orgName, false), draft("", false)}
	for _, c := range candidates {
		if SMSSegments(c) == 1 {
			return c
		}
	}
	return candidates[len(candidates)-1]
}
