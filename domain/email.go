package domain

// Email is one message on its way to a person. It is written to the outbox in the same
// transaction as whatever caused it (a reset token, a lockout) and sent later by the mail
// worker, so a crash between the two never loses or invents a message.
type Email struct {
	To       string
	Subject  string
	Text     string // plain-text body; always present
	HTML     string // optional HTML alternative
	Category string // e.g. "reset", "lockout", "password_changed": for the dev mailbox and tests
}
