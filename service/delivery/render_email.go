package delivery

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"

	"casreset/assets"
)

//go:embed templates/email.txt.tmpl templates/email.html.tmpl
var emailTemplates embed.FS

// The e-mail's layout, the same in every language: the organisation's
// name, each language's part, their footers and the copyright lines.
var (
	emailText = texttemplate.Must(texttemplate.ParseFS(emailTemplates, "templates/email.txt.tmpl"))
	emailHTML = htmltemplate.Must(htmltemplate.ParseFS(emailTemplates, "templates/email.html.tmpl"))
)

// emailData feeds both layouts; the HTML one escapes every value.
type emailData struct {
	Orgs       []string // the organisation's names in the parts' languages, each once
	Subject    string
	Sections   []section
	Copyrights []copyrightLine // the copyright lines of the parts' languages, each once
}

// copyrightLine is a copyright line and the language of the first part
// that has it.
type copyrightLine struct {
	Lang, Text string
}

// section is one language's part of an e-mail.
type section struct {
	Lang      string
	Font      htmltemplate.CSS // font-family of the language's fonts; empty for the default
	Greeting  string
	Intro     string
	Highlight string // the code or the staff number, set apart; may be empty
	Paras     []string
	HelpLine  string
	Footer    string
	subject   string
}

// renderEmail writes the e-mail in the language tag first, then in each
// other language of the table whose base is not there yet.
func renderEmail(kind string, v values, org Org, tag string) (subject, text, html string, err error) {
	var d emailData
	var subjects []string
	for _, lang := range emailLanguages(tag) {
		s, err := emailSection(kind, v, org, lang)
		if err != nil {
			return "", "", "", err
		}
		d.Sections = append(d.Sections, s)
		subjects = append(subjects, s.subject)
		if name := org.nameIn(lang); name != "" && !slices.Contains(d.Orgs, name) {
			d.Orgs = append(d.Orgs, name)
		}
		if text := org.copyrightIn(lang); text != "" && !slices.ContainsFunc(d.Copyrights, func(c copyrightLine) bool { return c.Text == text }) {
			d.Copyrights = append(d.Copyrights, copyrightLine{Lang: lang, Text: text})
		}
	}
	d.Subject = strings.Join(subjects, " / ")
	if name := org.nameIn(tag); name != "" {
		d.Subject = name + assets.Match(tag).Formats.Colon + d.Subject
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

// emailLanguages are the tags of an e-mail's parts: tag, then the first
// language of each other base in the table's order.
func emailLanguages(tag string) []string {
	first := assets.Match(tag)
	tags, bases := []string{first.Tag}, []string{first.Base()}
	for _, l := range assets.Languages() {
		if !slices.Contains(bases, l.Base()) {
			tags, bases = append(tags, l.Tag), append(bases, l.Base())
		}
	}
	return tags
}

// emailSection writes the part of the e-mail in the language tag.
func emailSection(kind string, v values, org Org, tag string) (section, error) {
	lt, err := templatesIn(tag)
	if err != nil {
		return section{}, err
	}
	t, ok := lt.email[kind]
	if !ok {
		return section{}, fmt.Errorf("%w: unknown kind %q", errUnrenderable, kind)
	}
	ev := emailValues{
		values: v, Org: org.nameIn(tag),
		HelpEmail: org.HelpEmail, HelpPhone: org.HelpPhone, HelpHours: org.HelpHours,
		HelpAll: helpContacts(org),
	}
	s := section{Lang: tag, Font: fontFamily(lt.lang.Fonts)}
	parts := map[string]*string{
		"subject": &s.subject, "greeting": &s.Greeting, "intro": &s.Intro,
		"help": &s.HelpLine, "footer": &s.Footer,
	}
	if t.Lookup("highlight") != nil {
		parts["highlight"] = &s.Highlight
	}
	for name, dst := range parts {
		if *dst, err = execute(t, name, ev); err != nil {
			return section{}, err
		}
	}
	body, err := execute(t, "body", ev)
	if err != nil {
		return section{}, err
	}
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			s.Paras = append(s.Paras, line)
		}
	}
	return s, nil
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

// fontFamily is a CSS font-family of families, then sans-serif; empty
// for none. Names with anything but letters, digits and spaces are left
// out, so that the value is safe to mark as CSS.
func fontFamily(families []string) htmltemplate.CSS {
	var quoted []string
	for _, f := range families {
		if strings.Trim(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") == "" {
			quoted = append(quoted, "'"+f+"'")
		}
	}
	if len(quoted) == 0 {
		return ""
	}
	return htmltemplate.CSS(strings.Join(append(quoted, "sans-serif"), ","))
}
