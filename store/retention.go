package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// AcquireLease takes the named lease in one statement: it succeeds when no one holds it
// or when the last holder's time ran out. Two instances asking at once cannot both get
// it, on SQLite or PostgreSQL.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	var got []string
	err := s.idb.NewRaw(`INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_leases.expires_at <= ?
		RETURNING holder`, name, holder, until, now).Scan(ctx, &got)
	if err != nil {
		return false, mapErr(err)
	}
	return len(got) == 1, nil
}

// PurgeSessions deletes browser, app and support sessions that expired before before,
// and portal sessions that went unused for longer than their own idle limit before it.
// The limits are few (one per policy setting), so each gets its own condition.
func (s *Store) PurgeSessions(ctx context.Context, before time.Time) (int, error) {
	var idles []int64
	if err := s.idb.NewSelect().Model((*domain.Session)(nil)).ColumnExpr("DISTINCT idle_seconds").Scan(ctx, &idles); err != nil {
		return 0, mapErr(err)
	}
	q := s.idb.NewDelete().Model((*domain.Session)(nil)).Where("expires_at < ?", before)
	for _, idle := range idles {
		q = q.WhereOr("idle_seconds = ? AND last_seen_at < ?", idle, before.Add(-time.Duration(idle)*time.Second))
	}
	n, err := affected(q.Exec(ctx))
	if err != nil {
		return 0, err
	}
	m, err := affected(s.idb.NewDelete().Model((*domain.SupportSession)(nil)).Where("expires_at < ?", before).Exec(ctx))
	return n + m, err
}

// PurgeResetTokens deletes links used or expired before before.
func (s *Store) PurgeResetTokens(ctx context.Context, before time.Time) (int, error) {
	n, err := affected(s.idb.NewDelete().Model((*domain.ResetToken)(nil)).
		Where("expires_at < ? OR (used_at IS NOT NULL AND used_at < ?)", before, before).Exec(ctx))
	if err != nil {
		return n, err
	}
	m, err := affected(s.idb.NewDelete().Model((*domain.NoticeLink)(nil)).
		Where("expires_at < ? OR (used_at IS NOT NULL AND used_at < ?)", before, before).Exec(ctx))
	return n + m, err
}

// PurgeCounters deletes rate counters whose window started before before, and failed
// sign-in counters whose window started and whose lock (if any) ended before it.
func (s *Store) PurgeCounters(ctx context.Context, before time.Time) (int, error) {
	n, err := affected(s.idb.NewDelete().Model((*domain.RateCounter)(nil)).Where("window_start < ?", before).Exec(ctx))
	if err != nil {
		return 0, err
	}
	m, err := affected(s.idb.NewDelete().Model((*domain.LoginAttempt)(nil)).
		Where("window_start < ? AND (locked_until IS NULL OR locked_until < ?)", before, before).Exec(ctx))
	return n + m, err
}

// PurgeHelpConversations deletes help conversations last updated before before.
func (s *Store) PurgeHelpConversations(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.HelpConversation)(nil)).Where("updated_at < ?", before).Exec(ctx))
}

// PurgeSentMail deletes e-mails delivered before before (bodies and all).
func (s *Store) PurgeSentMail(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.OutboxMessage)(nil)).
		Where("status = ? AND sent_at < ?", domain.OutboxSent, before).Exec(ctx))
}

// PurgeAudit deletes a portal's audit events older than before.
func (s *Store) PurgeAudit(ctx context.Context, portalID int64, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.AuditEvent)(nil)).
		Where("portal_id = ? AND created_at < ?", portalID, before).Exec(ctx))
}
