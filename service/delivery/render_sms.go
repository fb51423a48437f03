package delivery

import "fmt"

// smsDraft writes one SMS with or without its optional parts: org is the
// organisation's name (possibly empty) and extra says whether to include
// the part that goes first when room runs out (the client address of a
// notice).
type smsDraft func(org string, extra bool) (string, error)

// renderSMS writes the message in the language tag from its template and
// fits it into one segment.
func renderSMS(kind string, v values, org Org, tag string) (string, error) {
	lt, err := templatesIn(tag)
	if err != nil {
		return "", err
	}
	t, ok := lt.sms[kind]
	if !ok {
		return "", fmt.Errorf("%w: unknown kind %q", errUnrenderable, kind)
	}
	help := org.HelpPhone
	if help == "" {
		help = org.HelpEmail
	}
	draft := func(name string, extra bool) (string, error) {
		return execute(t, t.Name(), smsValues{values: v, Org: name, Extra: extra, Help: help})
	}
	return fitSMS(draft, org.smsNameIn(tag))
}

// fitSMS returns the fullest draft that fits one segment: the
// organisation's name and the extra part when there is room, the extra part
// before the name when there is room for one of them. A name is never
// shortened, since a prefix can be another organisation's name ("HKU" of
// "HKU SPACE"). The code, staff number and reference are never cut: when
// even the shortest draft is longer than a segment it goes out as it is, in
// several.
func fitSMS(draft smsDraft, orgName string) (string, error) {
	var last string
	for _, c := range []struct {
		org   string
		extra bool
	}{{orgName, true}, {"", true}, {orgName, false}, {"", false}} {
		s, err := draft(c.org, c.extra)
		if err != nil {
			return "", err
		}
		if SMSSegments(s) == 1 {
			return s, nil
		}
		last = s
	}
	return last, nil
}
