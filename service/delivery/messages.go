package delivery

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"text/template"
	"time"

	"casreset/assets"
	"casreset/service"
)

// The texts of the messages are Go templates in assets/messages/TAG/, one
// file per message, for every language of the table (assets.Languages):
//
//	KIND.sms.tmpl    the SMS of KIND (code, reminder, notice and the help
//	                 desk's caller_code, unlock_notice, pass_notice): one line,
//	                 given smsValues
//	KIND.email.tmpl  that language's part of the e-mail of KIND, given
//	                 emailValues; it defines "subject", "intro", "body"
//	                 (a paragraph a line) and, when there is one,
//	                 "highlight" (set apart: the code, the staff number)
//	email.tmpl       what every e-mail's part has: "greeting", "help"
//	                 (the IT Help line) and "footer"
//
// Templates write times with dateTime (in full, for e-mails), smsTime and
// smsDateTime, in the formats of their language.

// kinds are the kinds of message, each with its files.
var kinds = []string{service.MessageCode, service.MessageReminder, service.MessageNotice,
	service.MessageCallerCode, service.MessageUnlockNotice, service.MessagePassNotice}

// emailParts are the templates an e-mail's part must define.
var emailParts = []string{"subject", "intro", "body", "greeting", "help", "footer"}

// langTemplates are one language's message templates.
type langTemplates struct {
	lang  assets.Language
	sms   map[string]*template.Template // by kind
	email map[string]*template.Template // by kind, with email.tmpl's parts
}

// loadTemplates parses every language's templates once and tries each
// with sample values, so that a missing file, a missing part or a
// misspelt value stops the server at start (Org.Validate) rather than a
// message later.
var loadTemplates = sync.OnceValues(func() (map[string]*langTemplates, error) {
	all := map[string]*langTemplates{}
	for _, l := range assets.Languages() {
		lt, err := parseTemplates(l)
		if err != nil {
			return nil, fmt.Errorf("messages in %s: %w", l.Tag, err)
		}
		all[l.Tag] = lt
	}
	return all, nil
})

func parseTemplates(l assets.Language) (*langTemplates, error) {
	dir, err := l.Messages()
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"dateTime": l.DateTime, "smsTime": l.SMSTime, "smsDateTime": l.SMSDateTime}
	lt := &langTemplates{lang: l, sms: map[string]*template.Template{}, email: map[string]*template.Template{}}
	sample := sampleValues()
	for _, kind := range kinds {
		sms, err := template.New(kind+".sms.tmpl").Option("missingkey=error").Funcs(funcs).ParseFS(dir, kind+".sms.tmpl")
		if err != nil {
			return nil, err
		}
		if err := sms.Execute(new(bytes.Buffer), smsValues{values: sample, Org: "Org", Extra: true, Help: "Help"}); err != nil {
			return nil, err
		}
		lt.sms[kind] = sms

		email, err := template.New("email").Option("missingkey=error").Funcs(funcs).ParseFS(dir, "email.tmpl", kind+".email.tmpl")
		if err != nil {
			return nil, err
		}
		for _, part := range append(emailParts, "highlight") {
			if email.Lookup(part) == nil {
				if part == "highlight" {
					continue
				}
				return nil, fmt.Errorf("%s.email.tmpl and email.tmpl do not define %q", kind, part)
			}
			if err := email.ExecuteTemplate(new(bytes.Buffer), part, emailValues{values: sample, Org: "Org"}); err != nil {
				return nil, err
			}
		}
		lt.email[kind] = email
	}
	return lt, nil
}

func sampleValues() values {
	t := time.Date(2025, 3, 14, 15, 42, 0, 0, hongKong())
	return values{Code: "000000", ExpiresAt: t, StaffNumber: "1", Name: "N", ClientAddr: "192.0.2.1", Reference: "R", ChangedAt: t}
}

// templatesIn returns the templates of the language tag.
func templatesIn(tag string) (*langTemplates, error) {
	all, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	lt, ok := all[tag]
	if !ok {
		return nil, fmt.Errorf("%w: no messages in %q", errUnrenderable, tag)
	}
	return lt, nil
}

// smsValues are what an SMS template is given: the message's values,
// the organisation's name (empty when there is no room for it), whether
// there is room for the optional part (a notice's client address), and
// how to reach IT Help (the phone, else the e-mail address).
type smsValues struct {
	values
	Org   string
	Extra bool
	Help  string
}

// emailValues are what an e-mail template is given: the message's
// values, the organisation's name in the part's language, and IT Help's
// contacts, each and together ("a | b | c").
type emailValues struct {
	values
	Org                                      string
	HelpEmail, HelpPhone, HelpHours, HelpAll string
}

// execute runs the template name of t with v, as one trimmed line or
// paragraph.
func execute(t *template.Template, name string, v any) (string, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
