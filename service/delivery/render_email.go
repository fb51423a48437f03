package delivery

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"casreset/service"
)

//go:embed templates/email.txt.tmpl templates/email.html.tmpl
var emailTemplates embed.FS

var (
	emailText = texttemplate.Must(texttemplate.ParseFS(emailTemplates, "templates/email.txt.tmpl"))
	emailHTML = htmltemplate.Must(htmltemplate.ParseFS(emailTemplates, "templates/email.html.tmpl"))
)

// emailData feeds both e-mail templates; the HTML one escapes every value.
type emailData struct {
	Org       string
	Subject   string
	EN, ZH    section
	Copyright string
}

// section is one language's half of an e-mail.
type section struct {
	Lang      string
	Greeting  string
	Intro     string
	Highlight string // the code or the staff number, set apart; may be empty
	Paras     []string
	HelpLine  string
}

func renderEmail(kind string, v values, org Org) (subject, text, html string, err error) {
	var d emailData
	switch kind {
	case service.MessageCode:
		d = codeEmail(v, org)
	case service.MessageReminder:
		d = reminderEmail(v, org)
	case service.MessageNotice:
		d = noticeEmail(v, org)
	default:
		return "", "", "", fmt.Errorf("%w: unknown kind %q", errUnrenderable, kind)
	}
	d.Org = org.Name
	d.Copyright = org.Copyright
	d.EN.Lang, d.ZH.Lang = "en", "zh-HK"
	d.EN.HelpLine = "IT Help: " + helpContacts(org)
	d.ZH.HelpLine = "IT Help：" + helpContacts(org)
	if d.EN.Greeting == "" {
		d.EN.Greeting, d.ZH.Greeting = greetings(v.name)
	}

	var tb, hb bytes.Buffer
	if err := emailText.Execute(&tb, d); err != nil {
		return "", "", "", fmt.Errorf("render e-mail text: %w", err)
	}
	if err := emailHTML.Execute(&hb, d); err != nil {
		return "", "", "", fmt.Errorf("render e-mail HTML: %w", err)
	}
	return d.Subject, tb.String(), hb.String(), nil
}

func greetings(name string) (en, zh string) {
	if name == "" {
		return "Hello,", "你好："
	}
	return "Dear " + name + ",", name + "，你好："
}

// helpContacts lists the IT Help e-mail, phone and hours that are set.
func helpContacts(org Org) string {
	var parts []string
	for _, s := range []string{org.HelpEmail, org.HelpPhone, org.HelpHours} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " | ")
}

// either joins the IT Help e-mail and phone that are set with or.
func either(org Org, or string) string {
	if org.HelpEmail != "" && org.HelpPhone != "" {
		return org.HelpEmail + or + org.HelpPhone
	}
	return org.HelpEmail + org.HelpPhone
}

// subject prefixes the organisation's name when there is one.
func subject(org Org, s string) string {
	if org.Name == "" {
		return s
	}
	return org.Name + ": " + s
}

func codeEmail(v values, org Org) emailData {
	return emailData{
		Subject: subject(org, "validation code for your password reset / 重設密碼驗證碼"),
		EN: section{
			Intro:     "You asked to reset your password. Your validation code is:",
			Highlight: v.code,
			Paras: []string{
				"Enter it in the password reset window before " + longEN(v.expiresAt) +
					". The code works once only. If it expires, you can ask for a new one in the same window.",
				"If you did not ask for this code, do not give it to anyone and ignore this e-mail: " +
					"your password stays as it is. IT Help will never ask you for the code. " +
					"If you keep receiving codes you did not ask for, please contact IT Help.",
			},
		},
		ZH: section{
			Intro:     "你要求重設密碼，你的驗證碼是：",
			Highlight: v.code,
			Paras: []string{
				"請於" + longZH(v.expiresAt) + "前在密碼重設視窗輸入此驗證碼。" +
					"驗證碼只可使用一次；如已過期，可在同一視窗重新索取。",
				"如你沒有要求此驗證碼，請勿把它告訴任何人，並可忽略本電郵，你的密碼不會因此更改。" +
					"IT Help 絕不會向你索取驗證碼。如你不斷收到並非由你要求的驗證碼，請聯絡 IT Help。",
			},
		},
	}
}

func reminderEmail(v values, org Org) emailData {
	return emailData{
		Subject: subject(org, "your staff / teacher number / 你的職員／教師編號"),
		EN: section{
			Intro:     "You asked for a reminder of your staff / teacher number. It is:",
			Highlight: v.staffNumber,
			Paras: []string{
				"Enter it in step 1 of the password reset.",
				"If you did not ask for this reminder, you can ignore this e-mail: nothing in your account has changed. " +
					"If you keep receiving reminders you did not ask for, please contact IT Help.",
			},
		},
		ZH: section{
			Intro:     "你要求提示你的職員／教師編號，編號是：",
			Highlight: v.staffNumber,
			Paras: []string{
				"請在重設密碼的第 1 步輸入此編號。",
				"如你沒有要求此提示，可忽略本電郵，你的帳戶沒有任何更改。如你不斷收到並非由你要求的提示，請聯絡 IT Help。",
			},
		},
	}
}

func noticeEmail(v values, org Org) emailData {
	introEN := "The password of your account was changed at " + longEN(v.changedAt)
	introZH := "你的帳戶密碼已於" + longZH(v.changedAt) + "更改"
	if v.clientAddr != "" {
		introEN += " from the computer at address " + v.clientAddr
		introZH += "，更改來自位址為 " + v.clientAddr + " 的電腦"
	}
	introEN += "."
	introZH += "。"

	notYouEN := "If this was not you, contact IT Help at once at " + either(org, " or ")
	notYouZH := "如這不是你本人的操作，請立即聯絡 IT Help（" + either(org, " 或 ") + "）"
	if v.reference != "" {
		notYouEN += " and quote the reference " + v.reference
		notYouZH += "，並提供參考編號 " + v.reference
	}
	notYouEN += ": someone else may know your password."
	notYouZH += "：可能有其他人知道你的密碼。"

	return emailData{
		Subject: subject(org, "your password was changed / 你的密碼已更改"),
		EN: section{
			Intro: introEN,
			Paras: []string{"If you made this change, there is nothing more to do.", notYouEN},
		},
		ZH: section{
			Intro: introZH,
			Paras: []string{"如這是你本人的操作，你毋須再做任何事。", notYouZH},
		},
	}
}
