package store

import (
	"context"

	"github.com/watchpost/watchpost/domain"
)

// Audit appends an event.
func (s *Store) Audit(ctx context.Context, e *domain.AuditEvent) error {
	_, err := s.idb.NewInsert().Model(e).Exec(ctx)
	return mapErr(err)
}

// AuditEvents lists a portal's newest events matching the filter.
func (s *Store) AuditEvents(ctx context.Context, portalID int64, f domain.AuditFilter, limit int) ([]domain.AuditEvent, error) {
	var out []domain.AuditEvent
	q := s.idb.NewSelect().Model(&out).Where("portal_id = ?", portalID)
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	err := q.OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, mapErr(err)
}
