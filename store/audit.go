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

// AuditEvents lists a portal's newest events, for one user when userID is not zero.
func (s *Store) AuditEvents(ctx context.Context, portalID, userID int64, limit int) ([]domain.AuditEvent, error) {
	var out []domain.AuditEvent
	q := s.idb.NewSelect().Model(&out).Where("portal_id = ?", portalID)
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	err := q.OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, mapErr(err)
}
