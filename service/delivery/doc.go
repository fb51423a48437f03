// Package delivery renders the service's outgoing messages and sends them:
// validation codes, staff-number reminders and password-change notices, by
// e-mail over SMTP and by SMS through an HTTP gateway, or into an outbox
// directory for demos and tests.
//
// The service queues a message in the same transaction as the state it
// belongs to; a Worker in every instance claims due messages under a lease,
// renders them, hands them to a Sender and records the outcome. A message
// whose code has expired is never sent, a permanent refusal is not retried,
// and every other failure is retried with exponential backoff and full
// jitter while the code is still valid.
package delivery
