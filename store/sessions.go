package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// CreateSession inserts a session.
func (s *Store) CreateSession(ctx context.Context, sess *domain.Session) error {
	_, err := s.idb.NewInsert().Model(sess).Exec(ctx)
	return mapErr(err)
}

// SessionByID loads a session with its user and role.
func (s *Store) SessionByID(ctx context.Context, id string) (*domain.Session, error) {
	sess := new(domain.Session)
	err := s.idb.NewSelect().Model(sess).Relation("User").Relation("User.Role").
		Where("?TableAlias.id = ?", id).Scan(ctx)
	return one(sess, err)
}

// TouchSession records that the session was used.
func (s *Store) TouchSession(ctx context.Context, id string, now time.Time) error {
	_, err := s.idb.NewUpdate().Model((*domain.Session)(nil)).Set("last_seen_at = ?", now).Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

// DeleteSession ends one session of the portal.
func (s *Store) DeleteSession(ctx context.Context, portalID int64, id string) error {
	_, err := s.idb.NewDelete().Model((*domain.Session)(nil)).Where("portal_id = ? AND id = ?", portalID, id).Exec(ctx)
	return mapErr(err)
}

// DeleteUserSessions ends every session of the user but except.
func (s *Store) DeleteUserSessions(ctx context.Context, portalID, userID int64, except string) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.Session)(nil)).
		Where("portal_id = ? AND user_id = ? AND id <> ?", portalID, userID, except).Exec(ctx))
}

// UserSessions lists the user's unexpired sessions, most recently seen first.
func (s *Store) UserSessions(ctx context.Context, portalID, userID int64, now time.Time) ([]domain.Session, error) {
	var out []domain.Session
	err := s.idb.NewSelect().Model(&out).
		Where("portal_id = ? AND user_id = ? AND expires_at > ?", portalID, userID, now).
		OrderExpr("last_seen_at DESC").Limit(100).Scan(ctx)
	return out, mapErr(err)
}
