package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// CreatePasskey stores a new passkey.
func (s *Store) CreatePasskey(ctx context.Context, p *domain.Passkey) error {
	_, err := s.idb.NewInsert().Model(p).Returning("id").Exec(ctx)
	return mapErr(err)
}

// Passkeys lists a person's passkeys, oldest first.
func (s *Store) Passkeys(ctx context.Context, portalID, userID int64) ([]domain.Passkey, error) {
	var out []domain.Passkey
	err := s.idb.NewSelect().Model(&out).Where("portal_id = ? AND user_id = ?", portalID, userID).Order("created_at", "id").Scan(ctx)
	return out, mapErr(err)
}

// PasskeyByCredential finds the portal's passkey with this credential id.
func (s *Store) PasskeyByCredential(ctx context.Context, portalID int64, credentialID string) (*domain.Passkey, error) {
	p := new(domain.Passkey)
	err := s.idb.NewSelect().Model(p).Where("portal_id = ? AND credential_id = ?", portalID, credentialID).Scan(ctx)
	return one(p, err)
}

// UsePasskey moves the counter and the last use in one conditional update.
func (s *Store) UsePasskey(ctx context.Context, portalID, id, old, count int64, now time.Time) (bool, error) {
	n, err := affected(s.idb.NewUpdate().Model((*domain.Passkey)(nil)).Set("sign_count = ?", count).Set("last_used_at = ?", now).
		Where("portal_id = ? AND id = ? AND sign_count = ? AND NOT clone_warning", portalID, id, old).Exec(ctx))
	return n == 1, err
}

// MarkPasskeyCloned sets the clone warning.
func (s *Store) MarkPasskeyCloned(ctx context.Context, portalID, id int64) error {
	_, err := s.idb.NewUpdate().Model((*domain.Passkey)(nil)).Set("clone_warning = ?", true).
		Where("portal_id = ? AND id = ?", portalID, id).Exec(ctx)
	return mapErr(err)
}

// DeletePasskey removes one of a person's passkeys.
func (s *Store) DeletePasskey(ctx context.Context, portalID, userID, id int64) (bool, error) {
	n, err := affected(s.idb.NewDelete().Model((*domain.Passkey)(nil)).
		Where("portal_id = ? AND user_id = ? AND id = ?", portalID, userID, id).Exec(ctx))
	return n == 1, err
}

// DeleteUserPasskeys removes all of a person's passkeys.
func (s *Store) DeleteUserPasskeys(ctx context.Context, portalID, userID int64) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.Passkey)(nil)).
		Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx))
}

// CreatePasskeyCeremony stores a ceremony's server half.
func (s *Store) CreatePasskeyCeremony(ctx context.Context, c *domain.PasskeyCeremony) error {
	_, err := s.idb.NewInsert().Model(c).Exec(ctx)
	return mapErr(err)
}

// UsePasskeyCeremony deletes the unexpired ceremony and returns it, in one statement.
func (s *Store) UsePasskeyCeremony(ctx context.Context, id string, now time.Time) (*domain.PasskeyCeremony, error) {
	c := new(domain.PasskeyCeremony)
	err := s.idb.NewRaw(`DELETE FROM passkey_ceremonies WHERE id = ? AND expires_at > ? RETURNING *`, id, now).Scan(ctx, c)
	return one(c, err)
}

// PurgePasskeyCeremonies deletes the ceremonies that expired before before.
func (s *Store) PurgePasskeyCeremonies(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.PasskeyCeremony)(nil)).Where("expires_at < ?", before).Exec(ctx))
}
