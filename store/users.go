package store

import (
	"context"
	"strings"

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

// RehashPassword swaps the hash only if the password was not changed meanwhile.
func (s *Store) RehashPassword(ctx context.Context, portalID, userID int64, oldHash, newHash string) error {
	_, err := s.idb.NewUpdate().Model((*domain.User)(nil)).Set("password_hash = ?", newHash).
		Where("portal_id = ? AND id = ? AND password_hash = ?", portalID, userID, oldHash).Exec(ctx)
	return mapErr(err)
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

// UpdateEmail changes a user's e-mail address.
func (s *Store) UpdateEmail(ctx context.Context, portalID, userID int64, email string) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.User)(nil)).Set("email = ?", email).
		Where("portal_id = ? AND id = ?", portalID, userID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// UpdateUserRole moves a user to another role of the same portal.
func (s *Store) UpdateUserRole(ctx context.Context, portalID, userID, roleID int64) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.User)(nil)).Set("role_id = ?", roleID).
		Where("portal_id = ? AND id = ?", portalID, userID).
		Where("EXISTS (SELECT 1 FROM roles WHERE roles.id = ? AND roles.portal_id = ?)", roleID, portalID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// UpdateUserLanguage saves a user's language ("" = follow the browser).
func (s *Store) UpdateUserLanguage(ctx context.Context, portalID, userID int64, lang string) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.User)(nil)).Set("language = ?", lang).
		Where("portal_id = ? AND id = ?", portalID, userID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// UpdateUserLastLanguage records the language a person last used here.
func (s *Store) UpdateUserLastLanguage(ctx context.Context, portalID, userID int64, lang string) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.User)(nil)).Set("last_language = ?", lang).
		Where("portal_id = ? AND id = ?", portalID, userID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// SetDisabled disables or enables a user.
func (s *Store) SetDisabled(ctx context.Context, portalID, userID int64, disabled bool) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.User)(nil)).Set("disabled = ?", disabled).
		Where("portal_id = ? AND id = ?", portalID, userID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// ListUsers pages through the portal's users matching the filter, ordered by name.
func (s *Store) ListUsers(ctx context.Context, portalID int64, f domain.UserFilter, offset, limit int) ([]domain.User, int, error) {
	var out []domain.User
	q := s.idb.NewSelect().Model(&out).Relation("Role").Where("?TableAlias.portal_id = ?", portalID)
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		// One LIKE over the three fields: a search scans the portal's rows once.
		q = q.Where("(LOWER(?TableAlias.display_name) || ' ' || ?TableAlias.username || ' ' || ?TableAlias.email) LIKE ? ESCAPE '\\'", like)
	}
	if f.RoleID != 0 {
		q = q.Where("?TableAlias.role_id = ?", f.RoleID)
	}
	// Each status is the badge of the same name (see pages.StatusBadges).
	switch f.Status {
	case domain.StatusLocked:
		// The keys domain.Lockout locks for an account: username, e-mail (a leading "#"
		// doubled) and the account's own key.
		account := strings.TrimSuffix(domain.AccountKey(0), "0")
		q = q.Where("EXISTS (SELECT 1 FROM login_attempts AS la WHERE la.portal_id = ?TableAlias.portal_id"+
			" AND la.ident IN (?TableAlias.username, CASE WHEN ?TableAlias.email LIKE '#%' THEN '#' || ?TableAlias.email ELSE ?TableAlias.email END,"+
			" ? || CAST(?TableAlias.id AS TEXT)) AND la.locked_until > ?)", account, f.Now)
	case domain.StatusMustChange:
		q = q.Where("?TableAlias.must_change_password AND (?TableAlias.temp_password_expires_at IS NULL OR ?TableAlias.temp_password_expires_at > ?)", f.Now)
	case domain.StatusTempExpired:
		q = q.Where("?TableAlias.must_change_password AND ?TableAlias.temp_password_expires_at <= ?", f.Now)
	case domain.StatusDisabled:
		q = q.Where("?TableAlias.disabled")
	case domain.StatusInvited:
		q = q.Where("?TableAlias.password_hash = ''")
	}
	n, err := q.OrderExpr("?TableAlias.display_name, ?TableAlias.id").Offset(int64(offset)).Limit(int64(limit)).ScanAndCount(ctx)
	return out, int(n), mapErr(err)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UsersWithRole lists the portal's enabled users of the named role.
func (s *Store) UsersWithRole(ctx context.Context, portalID int64, role string) ([]domain.User, error) {
	var out []domain.User
	err := s.idb.NewSelect().Model(&out).Relation("Role").
		Where("?TableAlias.portal_id = ? AND NOT ?TableAlias.disabled AND role.name = ?", portalID, role).
		OrderExpr("?TableAlias.display_name").Limit(50).Scan(ctx)
	return out, mapErr(err)
}
