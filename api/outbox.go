package api

// OutboxMessage is one message that the service, run with an outbox
// directory (resetd serve --outbox), wrote there as one JSON file instead
// of sending it: for demonstrations (the desktop app's Demo inbox) and
// tests. Code, the validation code apart from the text, is written only
// there.
type OutboxMessage struct {
	Channel Channel `json:"channel"`
	To      string  `json:"to"`
	Subject string  `json:"subject"`
	Body    string  `json:"body"`
	Code    string  `json:"code,omitempty"`
}
