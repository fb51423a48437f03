// Package delivery renders the service's outgoing messages and sends them:
// validation codes, staff-number reminders and password-change notices, by
// e-mail over SMTP and by SMS through an HTTP gateway, or into an outbox
// directory for demos and tests.
//
// The service queues a message in the same transaction as the state it
// belongs to; a Worker in every instance claims due messages under a lease,
// renders them, hands them to a Sender (a few at a time, one recipient's
// in order) and records the outcome. A message
// whose code has expired is never sent, a permanent refusal is not retried,
// and every other failure is retried with exponential backoff and full
// jitter while the code is still valid. Sending is at least once: only a
// send that outlasts its lease (the worker cuts sends off at half of it)
// could be repeated by another instance.
//
// Wiring, as a server does it:
//
//	if err := org.Validate(); err != nil { … }
//	senders := map[api.Channel]delivery.Sender{}
//	// --outbox DIR: delivery.NewOutbox(dir) for both channels; otherwise
//	// delivery.NewSMTP(…) for api.ChannelEmail and
//	// delivery.NewSMSWebhook(…) for api.ChannelSMS.
//	w := delivery.NewWorker(store, senders, org, clock, log)
//	registry.MustRegister(w.Collectors()...)
//	svc.SetEventHook(func(service.AuditEvent) { w.Poke() }) // send at once
//	go w.Run(ctx)
//
// Tests that need the codes "sent" through an outbox read it back with
// ReadOutbox.
package delivery
