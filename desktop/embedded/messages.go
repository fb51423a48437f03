package embedded

import (
	"fmt"
	"time"

	"casreset/api"
	"casreset/assets"
	"casreset/service"
	"casreset/service/delivery"
)

// Organisation is the college as the wizard's settings describe it: its
// name (Names holds it by language tag), how to reach IT Help and its
// copyright line (Copyrights holds it by language tag).
type Organisation struct {
	Name       string
	Names      map[string]string
	HelpEmail  string
	HelpPhone  string
	HelpHours  string
	Copyright  string
	Copyrights map[string]string
}

// DemoOrg is the organisation as the demonstration's messages present it:
// o, with the SMS in language, the language the app starts in (the
// language table's nearest).
func DemoOrg(o Organisation, language string) delivery.Org {
	return delivery.Org{
		Name: o.Name, Names: o.Names,
		HelpEmail: o.HelpEmail, HelpPhone: o.HelpPhone, HelpHours: o.HelpHours,
		Copyright: o.Copyright, Copyrights: o.Copyrights, SMSLang: assets.Match(language).Tag,
	}
}

// Messages are the messages the service has "sent" so far, oldest first:
// what the Demo inbox shows.
func (d *Demo) Messages() ([]api.OutboxMessage, error) {
	return delivery.ReadOutbox(d.Outbox)
}

// Samples is an outbox of sample messages, for screenshots and
// documentation: nothing in it was sent.
type Samples []api.OutboxMessage

// Messages are the samples.
func (s Samples) Messages() ([]api.OutboxMessage, error) { return s, nil }

// SampleMessages are a code by SMS and one by e-mail, to the first
// demonstration account, rendered as the service renders them for o in
// language, as if sent at now.
func SampleMessages(o Organisation, language string, now time.Time) (Samples, error) {
	org := DemoOrg(o, language)
	org.Location = now.Location()
	a := Accounts[0]
	expires := now.Add(10 * time.Minute).Format(time.RFC3339)
	var out Samples
	for _, m := range []service.Message{
		{Kind: service.MessageCode, Channel: api.ChannelSMS, To: a.Mobile, Params: map[string]string{"code": "730514", "expires_at": expires}},
		{Kind: service.MessageCode, Channel: api.ChannelEmail, To: a.Email, Params: map[string]string{"code": "482913", "expires_at": expires, "name": a.Name}},
	} {
		r, err := delivery.Render(m, org)
		if err != nil {
			return nil, fmt.Errorf("sample message: %w", err)
		}
		out = append(out, api.OutboxMessage{Channel: r.Channel, To: r.To, Subject: r.Subject, Body: r.Body, Code: r.Code})
	}
	return out, nil
}
