package domain

import "context"

// MailboxService reads the outbox for the development mailbox page, which exists only
// while no SMTP server is configured (the handlers hide it otherwise).
type MailboxService struct{ *env }

// Messages lists the newest e-mails first.
func (m *MailboxService) Messages(ctx context.Context, limit int) ([]OutboxMessage, error) {
	return m.store.Outbox(ctx, limit)
}

// Message loads one e-mail.
func (m *MailboxService) Message(ctx context.Context, id int64) (*OutboxMessage, error) {
	return m.store.OutboxMessage(ctx, id)
}
