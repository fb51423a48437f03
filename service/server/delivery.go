package server

import (
	"fmt"
	"log/slog"

	"casreset/api"
	"casreset/service/delivery"
)

// senders builds the transport of each channel: SMTP for e-mail and the
// webhook for SMS when configured, and the outbox for any channel left.
func senders(cfg Config, log *slog.Logger) (map[api.Channel]delivery.Sender, error) {
	out := map[api.Channel]delivery.Sender{}
	if cfg.SMTP.Addr != "" {
		s, err := delivery.NewSMTP(cfg.SMTP)
		if err != nil {
			return nil, err
		}
		out[api.ChannelEmail] = s
		log.Info("e-mail by SMTP", "server", cfg.SMTP.Addr, "tls", cfg.SMTP.TLS)
	}
	if cfg.SMS.URL != "" {
		s, err := delivery.NewSMSWebhook(cfg.SMS)
		if err != nil {
			return nil, err
		}
		out[api.ChannelSMS] = s
		log.Info("SMS by webhook")
	}
	if cfg.Outbox != "" {
		ob, err := delivery.NewOutbox(cfg.Outbox)
		if err != nil {
			return nil, err
		}
		for _, ch := range api.Channels() {
			if out[ch] == nil {
				out[ch] = ob
				log.Warn("messages written to the outbox, not sent", "channel", ch, "dir", cfg.Outbox)
			}
		}
	}
	for _, ch := range api.Channels() {
		if out[ch] == nil {
			log.Warn("no transport: codes for this channel will fail", "channel", ch)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no way to deliver codes")
	}
	return out, nil
}
