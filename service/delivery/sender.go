package delivery

import (
	"context"
	"errors"

	"casreset/api"
)

// Rendered is a message ready to send. Body is plain text (the whole SMS,
// or the text part of an e-mail); HTML is the e-mail's alternative part
// and empty for SMS. Code is the validation code the message carries, kept
// apart only so that the outbox can write it for demos and tests; senders
// that talk to the outside world ignore it.
type Rendered struct {
	Channel api.Channel
	To      string
	Subject string
	Body    string
	HTML    string
	Code    string
}

// Sender hands one rendered message to a transport. An error wrapped with
// Permanent means the transport refused the message for good; any other
// error is worth retrying. A Worker calls Send from several goroutines at once
// (Worker.Concurrency).
type Sender interface {
	Send(ctx context.Context, r Rendered) error
}

// permanentError marks a refusal that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as a permanent refusal (an SMTP 5xx reply, an HTTP
// 4xx answer, an address the transport cannot use). Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked with
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
