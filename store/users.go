package store

import (
	"context"

	"github.com/watchpost/watchpost/domain"
)

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, u *domain.User) error {
	_, err := s.idb.NewInsert().Model(u).Exec(ctx)
	return mapErr(err)
}

// UserByID loads a user of the portal with its role.
func (s *Store) UserByID(ctx context.Context, portalID, id int64) (*domain.User, error) {
	u := new(domain.User)
	err := s.idb.NewSelect().Model(u).Relation("Role").
		Where("?TableAlias.portal_id = ? AND ?TableAlias.id = ?", portalID, id).Scan(ctx)
	return one(u, err)
}

// UserByIdentifier finds a user of the portal by username or e-mail (both stored folded).
func (s *Store) UserByIdentifier(ctx context.Context, portalID int64, ident string) (*domain.User, error) {
	u := new(domain.User)
	err := s.idb.NewSelect().Model(u).Relation("Role").
		Where("?TableAlias.portal_id = ? AND (?TableAlias.username = ? OR ?TableAlias.email = ?)", portalID, ident, ident).
		OrderExpr("?TableAlias.username = ? DESC", ident). // a username beats another account's e-mail
		Limit(1).Scan(ctx)
	return one(u, err)
}

// UpdatePassword writes the password fields of the user.
func (s *Store) UpdatePassword(ctx context.Context, u *domain.User) error {
	n, err := affected(s.idb.NewUpdate().Model(u).
		Column("password_hash", "must_change_password", "temp_password_expires_at", "password_changed_at").
		Where("portal_id = ? AND id = ?", u.PortalID, u.ID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// AddPasswordHistory keeps an earlier hash.
func (s *Store) AddPasswordHistory(ctx context.Context, h *domain.PasswordHistory) error {
	_, err := s.idb.NewInsert().Model(h).Exec(ctx)
	return mapErr(err)
}

// RecentPasswordHashes returns the user's n newest earlier hashes.
func (s *Store) RecentPasswordHashes(ctx context.Context, portalID, userID int64, n int) ([]string, error) {
	var hashes []string
	err := s.idb.NewSelect().Model((*domain.PasswordHistory)(nil)).Column("hash").
		Where("portal_id = ? AND user_id = ?", portalID, userID).
		OrderExpr("created_at DESC, id DESC").Limit(int64(n)).Scan(ctx, &hashes)
	return hashes, mapErr(err)
}
