package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// Audit appends an event.
func (s *Store) Audit(ctx context.Context, e *domain.AuditEvent) error {
	_, err := s.idb.NewInsert().Model(e).Exec(ctx)
	return mapErr(err)
}

// AuditEvents lists a portal's newest events matching the filter.
func (s *Store) AuditEvents(ctx context.Context, portalID int64, f domain.AuditFilter, limit int) ([]domain.AuditEvent, error) {
	out, _, err := s.AuditPage(ctx, portalID, f, 0, limit)
	return out, err
}

// AuditPage lists a page of a portal's events matching the filter, newest first, with
// how many match in all.
func (s *Store) AuditPage(ctx context.Context, portalID int64, f domain.AuditFilter, offset, limit int) ([]domain.AuditEvent, int, error) {
	var out []domain.AuditEvent
	q := auditWhere(s.idb.NewSelect().Model(&out), portalID, f)
	n, err := q.OrderExpr("created_at DESC, id DESC").Offset(int64(offset)).Limit(int64(limit)).ScanAndCount(ctx)
	return out, int(n), mapErr(err)
}

// auditBatch is how many events EachAuditEvent reads at a time: an export of a year of
// events never holds more than this in memory, nor a read open between batches.
const auditBatch = 500

// EachAuditEvent calls fn with every event of the portal matching the filter, newest
// first, reading them in batches (keyset pagination on created_at, id), so an export
// of any size streams.
func (s *Store) EachAuditEvent(ctx context.Context, portalID int64, f domain.AuditFilter, fn func(domain.AuditEvent) error) error {
	var last *domain.AuditEvent
	for {
		var batch []domain.AuditEvent
		q := auditWhere(s.idb.NewSelect().Model(&batch), portalID, f)
		if last != nil {
			q = q.Where("(created_at < ? OR (created_at = ? AND id < ?))", last.CreatedAt, last.CreatedAt, last.ID)
		}
		if err := q.OrderExpr("created_at DESC, id DESC").Limit(auditBatch).Scan(ctx); err != nil {
			return mapErr(err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < auditBatch {
			return nil
		}
		last = &batch[len(batch)-1]
	}
}

// auditWhere narrows a query on audit_events to the portal and the filter. A person's
// part of a name matches the events about anyone whose name, username or e-mail
// contains it, as the employee search does.
func auditWhere(q *bun.SelectQuery, portalID int64, f domain.AuditFilter) *bun.SelectQuery {
	q = q.Where("portal_id = ?", portalID)
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.UserQuery != "" {
		like := "%" + escapeLike(f.UserQuery) + "%"
		q = q.Where("user_id IN (SELECT u.id FROM users AS u WHERE u.portal_id = ?"+
			" AND (LOWER(u.display_name) || ' ' || u.username || ' ' || u.email) LIKE ? ESCAPE '\\')", portalID, like)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if len(f.Types) > 0 {
		q = q.Where("type IN (?)", bun.List(f.Types))
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	return q
}

// LastSignIns gives the time of each listed user's newest successful sign-in that the
// audit log still holds.
func (s *Store) LastSignIns(ctx context.Context, portalID int64, userIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64     `bun:"user_id"`
		At     time.Time `bun:"at"`
	}
	err := s.idb.NewSelect().Table("audit_events").ColumnExpr("user_id").ColumnExpr("MAX(created_at) AS at").
		Where("portal_id = ? AND type = ? AND user_id IN (?)", portalID, domain.EventSignIn, bun.List(userIDs)).
		Group("user_id").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.UserID] = r.At
	}
	return out, mapErr(err)
}
