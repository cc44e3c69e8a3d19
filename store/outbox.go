package store

import (
	"context"
	"errors"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// Enqueue adds an e-mail to the outbox, its bodies sealed (see SealOutbox).
func (s *Store) Enqueue(ctx context.Context, m *domain.OutboxMessage) error {
	row := *m
	if s.bodies != nil {
		row.TextBody, row.HTMLBody = s.bodies.Seal(m.TextBody), s.bodies.Seal(m.HTMLBody)
	}
	_, err := s.idb.NewInsert().Model(&row).Exec(ctx)
	m.ID = row.ID
	return mapErr(err)
}

// opened returns messages with their bodies opened. A body that does not open (the key
// changed) reads as empty, with the reason in LastError, rather than as ciphertext.
func (s *Store) opened(msgs []domain.OutboxMessage) []domain.OutboxMessage {
	if s.bodies == nil {
		return msgs
	}
	for i := range msgs {
		m := &msgs[i]
		var errT, errH error
		m.TextBody, errT = s.bodies.Open(m.TextBody)
		m.HTMLBody, errH = s.bodies.Open(m.HTMLBody)
		if err := errors.Join(errT, errH); err != nil {
			m.LastError = err.Error()
		}
	}
	return msgs
}

// ClaimOutbox leases due messages with one conditional update: a row another sender
// claimed first no longer matches the condition, so no message is sent twice.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.OutboxMessage, error) {
	var out []domain.OutboxMessage
	err := s.idb.NewRaw(`UPDATE outbox_messages SET status = ?, next_attempt = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox_messages WHERE status IN (?, ?) AND next_attempt <= ? ORDER BY id LIMIT ?)
		  AND status IN (?, ?) AND next_attempt <= ?
		RETURNING *`,
		domain.OutboxSending, now.Add(lease),
		domain.OutboxPending, domain.OutboxSending, now, limit,
		domain.OutboxPending, domain.OutboxSending, now).Scan(ctx, &out)
	return s.opened(out), mapErr(err)
}

// MarkSent records delivery and clears the bodies: links in them (reset, set-password)
// are live secrets, which the database otherwise keeps only as hashes.
func (s *Store) MarkSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.idb.NewUpdate().Model((*domain.OutboxMessage)(nil)).
		Set("status = ?", domain.OutboxSent).Set("sent_at = ?", now).Set("last_error = ''").
		Set("text_body = ''").Set("html_body = ''").
		Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

// MarkRetry records a failed attempt; a message given up on loses its bodies, as a sent one.
func (s *Store) MarkRetry(ctx context.Context, id int64, status domain.OutboxStatus, next time.Time, lastError string) error {
	q := s.idb.NewUpdate().Model((*domain.OutboxMessage)(nil)).
		Set("status = ?", status).Set("next_attempt = ?", next).Set("last_error = ?", lastError)
	if status == domain.OutboxFailed {
		q = q.Set("text_body = ''").Set("html_body = ''")
	}
	_, err := q.Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

// Outbox lists the newest messages first.
func (s *Store) Outbox(ctx context.Context, limit int) ([]domain.OutboxMessage, error) {
	var out []domain.OutboxMessage
	err := s.idb.NewSelect().Model(&out).OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	return s.opened(out), mapErr(err)
}

// OutboxMessage loads one message.
func (s *Store) OutboxMessage(ctx context.Context, id int64) (*domain.OutboxMessage, error) {
	m := new(domain.OutboxMessage)
	if err := s.idb.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return &s.opened([]domain.OutboxMessage{*m})[0], nil
}

// FailedOutbox lists a portal's undeliverable messages, newest first.
func (s *Store) FailedOutbox(ctx context.Context, portalID int64, limit int) ([]domain.OutboxMessage, error) {
	var out []domain.OutboxMessage
	err := s.idb.NewSelect().Model(&out).Where("portal_id = ? AND status = ?", portalID, domain.OutboxFailed).
		OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	return s.opened(out), mapErr(err)
}

// OutboxCounts counts messages by status.
func (s *Store) OutboxCounts(ctx context.Context) (map[domain.OutboxStatus]int, error) {
	var rows []struct {
		Status domain.OutboxStatus
		N      int
	}
	err := s.idb.NewSelect().Model((*domain.OutboxMessage)(nil)).Column("status").ColumnExpr("COUNT(*) AS n").
		Group("status").Scan(ctx, &rows)
	out := make(map[domain.OutboxStatus]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, mapErr(err)
}
