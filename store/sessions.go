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

// DeleteUserSessions bumps the user's credential version, moves the kept session to it
// and ends every other session of the user, in one transaction.
func (s *Store) DeleteUserSessions(ctx context.Context, portalID, userID int64, except string) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx domain.Store) error {
		t := tx.(*Store)
		var version int64
		err := t.idb.NewRaw(`UPDATE users SET credential_version = credential_version + 1
			WHERE portal_id = ? AND id = ? RETURNING credential_version`, portalID, userID).Scan(ctx, &version)
		if err != nil {
			return mapErr(err)
		}
		if except != "" {
			if _, err := t.idb.NewUpdate().Model((*domain.Session)(nil)).Set("credential_version = ?", version).
				Where("portal_id = ? AND user_id = ? AND id = ?", portalID, userID, except).Exec(ctx); err != nil {
				return mapErr(err)
			}
		}
		n, err = affected(t.idb.NewDelete().Model((*domain.Session)(nil)).
			Where("portal_id = ? AND user_id = ? AND id <> ?", portalID, userID, except).Exec(ctx))
		return err
	})
	return n, err
}

// UserSessions lists the user's unexpired sessions, most recently seen first.
func (s *Store) UserSessions(ctx context.Context, portalID, userID int64, now time.Time) ([]domain.Session, error) {
	var out []domain.Session
	err := s.idb.NewSelect().Model(&out).
		Where("portal_id = ? AND user_id = ? AND expires_at > ?", portalID, userID, now).
		OrderExpr("last_seen_at DESC").Limit(100).Scan(ctx)
	return out, mapErr(err)
}
