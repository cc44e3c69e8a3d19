package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// CreateResetToken voids the user's unused links and stores the new one.
func (s *Store) CreateResetToken(ctx context.Context, t *domain.ResetToken) error {
	_, err := s.idb.NewUpdate().Model((*domain.ResetToken)(nil)).Set("used_at = ?", t.CreatedAt).
		Where("portal_id = ? AND user_id = ? AND used_at IS NULL", t.PortalID, t.UserID).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	_, err = s.idb.NewInsert().Model(t).Exec(ctx)
	return mapErr(err)
}

// ResetTokenByHash returns an unused, unexpired token.
func (s *Store) ResetTokenByHash(ctx context.Context, hash string, now time.Time) (*domain.ResetToken, error) {
	t := new(domain.ResetToken)
	err := s.idb.NewSelect().Model(t).Where("hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).Scan(ctx)
	return one(t, err)
}

// UseResetToken marks the token used in one conditional update.
func (s *Store) UseResetToken(ctx context.Context, hash string, now time.Time) (*domain.ResetToken, error) {
	t := new(domain.ResetToken)
	err := s.idb.NewRaw(`UPDATE reset_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
		now, hash, now).Scan(ctx, t)
	return one(t, err)
}

// DeleteUserTokens voids every link of the user.
func (s *Store) DeleteUserTokens(ctx context.Context, portalID, userID int64) error {
	_, err := s.idb.NewDelete().Model((*domain.ResetToken)(nil)).Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx)
	return mapErr(err)
}
