package delivery

import (
	"errors"
	"fmt"
	"time"

	"casreset/api"
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
	paramChangedAt   = "changed_at" // RFC 3339
)

// errUnrenderable marks a message that can never be rendered (an unknown
// kind or channel, a missing code); it is failed without retrying.
var errUnrenderable = errors.New("message cannot be rendered")

// Render turns a queued message into what its channel sends: a bilingual
// e-mail with a text and an HTML part, or a one-segment SMS in
// org.SMSLang. Times are shown in org.Location.
func Render(m service.Message, org Org) (Rendered, error) {
	org = org.withDefaults()
	v, err := messageValues(m, org)
	if err != nil {
		return Rendered{}, err
	}
	r := Rendered{Channel: m.Channel, To: m.To, Code: v.code}
	switch m.Channel {
	case api.ChannelEmail:
		r.Subject, r.Body, r.HTML, err = renderEmail(m.Kind, v, org)
	case api.ChannelSMS:
		r.Body, err = renderSMS(m.Kind, v, org)
	default:
		err = fmt.Errorf("%w: unknown channel %q", errUnrenderable, m.Channel)
	}
	if err != nil {
		return Rendered{}, err
	}
	return r, nil
}

// values are a message's parameters, checked and with times in the
// organisation's zone.
type values struct {
	code        string
	expiresAt   time.Time
	staffNumber string
	name        string
	clientAddr  string
	reference   string
	changedAt   time.Time
}

func messageValues(m service.Message, org Org) (values, error) {
	p := m.Params
	v := values{
		code:        p[paramCode],
		staffNumber: p[paramStaffNumber],
		name:        p[paramName],
		clientAddr:  p[paramClientAddr],
		reference:   p[paramReference],
	}
	var err error
	if v.expiresAt, err = paramTime(p, paramExpiresAt, m.NotAfter); err != nil {
		return values{}, err
	}
	if v.changedAt, err = paramTime(p, paramChangedAt, m.CreatedAt); err != nil {
		return values{}, err
	}
	v.expiresAt = v.expiresAt.In(org.Location)
	v.changedAt = v.changedAt.In(org.Location)

	switch m.Kind {
	case service.MessageCode:
		if v.code == "" {
			return values{}, fmt.Errorf("%w: a code message without its code", errUnrenderable)
		}
		if v.expiresAt.IsZero() {
			return values{}, fmt.Errorf("%w: a code message without its expiry", errUnrenderable)
		}
	case service.MessageReminder:
		if v.staffNumber == "" {
			return values{}, fmt.Errorf("%w: a reminder without the staff number", errUnrenderable)
		}
	case service.MessageNotice:
		if v.changedAt.IsZero() {
			return values{}, fmt.Errorf("%w: a notice without the time of the change", errUnrenderable)
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
