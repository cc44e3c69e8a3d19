package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// TwoStep loads a person's enrolment.
func (s *Store) TwoStep(ctx context.Context, portalID, userID int64) (*domain.TwoStep, error) {
	t := new(domain.TwoStep)
	err := s.idb.NewSelect().Model(t).Where("portal_id = ? AND user_id = ?", portalID, userID).Scan(ctx)
	return one(t, err)
}

// EnableTwoStep stores the confirmed secret in one upsert.
func (s *Store) EnableTwoStep(ctx context.Context, portalID, userID int64, sealed string, step int64, now time.Time) error {
	_, err := s.idb.NewRaw(`INSERT INTO two_steps (portal_id, user_id, secret, confirmed_at, last_step)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (portal_id, user_id) DO UPDATE SET secret = EXCLUDED.secret, confirmed_at = EXCLUDED.confirmed_at, last_step = EXCLUDED.last_step`,
		portalID, userID, sealed, now, step).Exec(ctx)
	return mapErr(err)
}

// UseTwoStepStep moves the last used step forward in one conditional update.
func (s *Store) UseTwoStepStep(ctx context.Context, portalID, userID, step int64) (bool, error) {
	n, err := affected(s.idb.NewRaw(`UPDATE two_steps SET last_step = ?
		WHERE portal_id = ? AND user_id = ? AND secret <> '' AND last_step < ?`, step, portalID, userID, step).Exec(ctx))
	return n == 1, err
}

// DeleteTwoStep removes the enrolment and its recovery codes.
func (s *Store) DeleteTwoStep(ctx context.Context, portalID, userID int64) (bool, error) {
	if _, err := s.idb.NewDelete().Model((*domain.RecoveryCode)(nil)).
		Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx); err != nil {
		return false, mapErr(err)
	}
	n, err := affected(s.idb.NewDelete().Model((*domain.TwoStep)(nil)).
		Where("portal_id = ? AND user_id = ? AND secret <> ''", portalID, userID).Exec(ctx))
	return n > 0, err
}

// ReplaceRecoveryCodes drops the person's codes and stores the new hashes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, portalID, userID int64, hashes []string, now time.Time) error {
	if _, err := s.idb.NewDelete().Model((*domain.RecoveryCode)(nil)).
		Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx); err != nil {
		return mapErr(err)
	}
	rows := make([]domain.RecoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = domain.RecoveryCode{PortalID: portalID, UserID: userID, Hash: h, CreatedAt: now}
	}
	_, err := s.idb.NewInsert().Model(&rows).Exec(ctx)
	return mapErr(err)
}

// UseRecoveryCode marks an unused code used in one conditional update.
func (s *Store) UseRecoveryCode(ctx context.Context, portalID, userID int64, hash string, now time.Time) (bool, error) {
	n, err := affected(s.idb.NewUpdate().Model((*domain.RecoveryCode)(nil)).Set("used_at = ?", now).
		Where("portal_id = ? AND user_id = ? AND hash = ? AND used_at IS NULL", portalID, userID, hash).Exec(ctx))
	return n == 1, err
}

// RecoveryCodesLeft counts the unused codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, portalID, userID int64) (int, error) {
	n, err := s.idb.NewSelect().Model((*domain.RecoveryCode)(nil)).
		Where("portal_id = ? AND user_id = ? AND used_at IS NULL", portalID, userID).Count(ctx)
	return int(n), mapErr(err)
}

// CreateChallenge stores a pending second step.
func (s *Store) CreateChallenge(ctx context.Context, c *domain.TwoStepChallenge) error {
	_, err := s.idb.NewInsert().Model(c).Exec(ctx)
	return mapErr(err)
}

// Challenge returns an unexpired challenge.
func (s *Store) Challenge(ctx context.Context, id string, now time.Time) (*domain.TwoStepChallenge, error) {
	c := new(domain.TwoStepChallenge)
	err := s.idb.NewSelect().Model(c).Where("id = ? AND expires_at > ?", id, now).Scan(ctx)
	return one(c, err)
}

// UseChallenge deletes the unexpired challenge and returns it, in one statement.
func (s *Store) UseChallenge(ctx context.Context, id string, now time.Time) (*domain.TwoStepChallenge, error) {
	c := new(domain.TwoStepChallenge)
	err := s.idb.NewRaw(`DELETE FROM two_step_challenges WHERE id = ? AND expires_at > ? RETURNING *`, id, now).Scan(ctx, c)
	return one(c, err)
}

// DeleteUserChallenges voids the person's pending challenges.
func (s *Store) DeleteUserChallenges(ctx context.Context, portalID, userID int64) error {
	_, err := s.idb.NewDelete().Model((*domain.TwoStepChallenge)(nil)).
		Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx)
	return mapErr(err)
}

// PurgeChallenges deletes the challenges that expired before before.
func (s *Store) PurgeChallenges(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.TwoStepChallenge)(nil)).Where("expires_at < ?", before).Exec(ctx))
}

// DeleteSessionChallenges voids the enrolment flows a session opened.
func (s *Store) DeleteSessionChallenges(ctx context.Context, portalID int64, sessionID string) error {
	_, err := s.idb.NewDelete().Model((*domain.TwoStepChallenge)(nil)).
		Where("portal_id = ? AND session_id = ?", portalID, sessionID).Exec(ctx)
	return mapErr(err)
}

// MarkSessionTwoStep records that the session passed a second step.
func (s *Store) MarkSessionTwoStep(ctx context.Context, portalID int64, sessionID string) error {
	_, err := s.idb.NewUpdate().Model((*domain.Session)(nil)).Set("two_step = ?", true).
		Where("portal_id = ? AND id = ?", portalID, sessionID).Exec(ctx)
	return mapErr(err)
}

// OpenChallenges counts the person's unexpired second steps after a password.
func (s *Store) OpenChallenges(ctx context.Context, portalID, userID int64, now time.Time) (int, error) {
	n, err := s.idb.NewSelect().Model((*domain.TwoStepChallenge)(nil)).
		Where("portal_id = ? AND user_id = ? AND purpose IN (?, ?) AND expires_at > ?", portalID, userID, domain.ChallengeCode, domain.ChallengeEnrol, now).
		Count(ctx)
	return int(n), mapErr(err)
}
