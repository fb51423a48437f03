package delivery

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"casreset/api"
	"casreset/assets"
	"casreset/service"
)

// Keys of service.Message.Params that the templates read.
const (
	paramCode        = "code"
	paramExpiresAt   = "expires_at"   // RFC 3339
	paramStaffNumber = "staff_number" // for reminders
	paramName        = "name"
	paramClientAddr  = "client_addr"
	paramReference   = "reference"
	paramChangedAt   = "changed_at" // RFC 3339: of the change, or of IT Help's unlock or pass
)

// errUnrenderable marks a message that can never be rendered (an unknown
// kind or channel, a missing code); it is failed without retrying.
var errUnrenderable = errors.New("message cannot be rendered")

// Render turns a queued message into what its channel sends, in its
// reader's language (m.Language), else in org.SMSLang, the language of
// messages to a person whose own is not known: a one-segment SMS in that
// language only, or an e-mail with a text and an HTML part in that
// language first and others below (see renderIn). Times are shown in
// org.Location.
func Render(m service.Message, org Org) (Rendered, error) {
	return renderIn(m, org, m.Language)
}

// renderIn is Render for a person who reads the language tag ("" for
// none known, and so is a tag that no language of the table fits): an SMS in it, and an e-mail in it first, then in each
// other language of the table that is not of the same base (English and
// Traditional Chinese for Simplified Chinese read as English and
// Simplified Chinese).
func renderIn(m service.Message, org Org, tag string) (Rendered, error) {
	org = org.withDefaults()
	if l, ok := assets.Fit(tag); ok {
		tag = l.Tag
	} else {
		tag = "" // none of the table's: the organisation's language
	}
	v, err := messageValues(m, org)
	if err != nil {
		return Rendered{}, err
	}
	r := Rendered{Channel: m.Channel, To: m.To, Code: v.Code}
	switch m.Channel {
	case api.ChannelEmail:
		r.Subject, r.Body, r.HTML, err = renderEmail(m.Kind, v, org, cmp.Or(tag, org.SMSLang))
	case api.ChannelSMS:
		r.Body, err = renderSMS(m.Kind, v, org, cmp.Or(tag, org.SMSLang))
	default:
		err = fmt.Errorf("%w: unknown channel %q", errUnrenderable, m.Channel)
	}
	if err != nil {
		return Rendered{}, err
	}
	return r, nil
}

// values are a message's parameters, checked and with times in the
// organisation's zone, as the templates see them.
type values struct {
	Code        string
	ExpiresAt   time.Time
	StaffNumber string
	Name        string
	ClientAddr  string
	Reference   string
	ChangedAt   time.Time
}

func messageValues(m service.Message, org Org) (values, error) {
	p := m.Params
	v := values{
		Code:        p[paramCode],
		StaffNumber: p[paramStaffNumber],
		Name:        p[paramName],
		ClientAddr:  p[paramClientAddr],
		Reference:   p[paramReference],
	}
	var err error
	if v.ExpiresAt, err = paramTime(p, paramExpiresAt, m.NotAfter); err != nil {
		return values{}, err
	}
	if v.ChangedAt, err = paramTime(p, paramChangedAt, m.CreatedAt); err != nil {
		return values{}, err
	}
	v.ExpiresAt = v.ExpiresAt.In(org.Location)
	v.ChangedAt = v.ChangedAt.In(org.Location)

	switch m.Kind {
	case service.MessageCode:
		if v.Code == "" {
			return values{}, fmt.Errorf("%w: a code message without its code", errUnrenderable)
		}
		if v.ExpiresAt.IsZero() {
			return values{}, fmt.Errorf("%w: a code message without its expiry", errUnrenderable)
		}
	case service.MessageReminder:
		if v.StaffNumber == "" {
			return values{}, fmt.Errorf("%w: a reminder without the staff number", errUnrenderable)
		}
	case service.MessageNotice:
		if v.ChangedAt.IsZero() {
			return values{}, fmt.Errorf("%w: a notice without the time of the change", errUnrenderable)
		}
	case service.MessageCallerCode:
		if v.Code == "" || v.ExpiresAt.IsZero() {
			return values{}, fmt.Errorf("%w: a caller-verification code without its code or expiry", errUnrenderable)
		}
	case service.MessageUnlockNotice:
		if v.ChangedAt.IsZero() {
			return values{}, fmt.Errorf("%w: an unlock notice without its time", errUnrenderable)
		}
	case service.MessagePassNotice:
		if v.ChangedAt.IsZero() || v.ExpiresAt.IsZero() {
			return values{}, fmt.Errorf("%w: a pass notice without its time or the pass's expiry", errUnrenderable)
		}
	default:
		return values{}, fmt.Errorf("%w: unknown kind %q", errUnrenderable, m.Kind)
	}
	return v, nil
}

// paramTime reads an RFC 3339 time, or returns fallback when the key is
// absent.
func paramTime(p map[string]string, key string, fallback time.Time) (time.Time, error) {
	s, ok := p[key]
	if !ok || s == "" {
		return fallback, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s is not an RFC 3339 time", errUnrenderable, key)
	}
	return t, nil
}
