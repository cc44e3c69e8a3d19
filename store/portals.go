package store

import (
	"context"

	"github.com/watchpost/watchpost/domain"
)

// CreatePortal inserts a portal.
func (s *Store) CreatePortal(ctx context.Context, p *domain.Portal) error {
	_, err := s.idb.NewInsert().Model(p).Exec(ctx)
	return mapErr(err)
}

// PortalByCode finds a portal by its code.
func (s *Store) PortalByCode(ctx context.Context, code string) (*domain.Portal, error) {
	p := new(domain.Portal)
	err := s.idb.NewSelect().Model(p).Where("code = ?", code).Scan(ctx)
	return one(p, err)
}

// PortalByID finds a portal by id.
func (s *Store) PortalByID(ctx context.Context, id int64) (*domain.Portal, error) {
	p := new(domain.Portal)
	err := s.idb.NewSelect().Model(p).Where("id = ?", id).Scan(ctx)
	return one(p, err)
}

// CreateRole inserts a role.
func (s *Store) CreateRole(ctx context.Context, r *domain.Role) error {
	_, err := s.idb.NewInsert().Model(r).Exec(ctx)
	return mapErr(err)
}

// RoleByName finds a portal's role by name.
func (s *Store) RoleByName(ctx context.Context, portalID int64, name string) (*domain.Role, error) {
	r := new(domain.Role)
	err := s.idb.NewSelect().Model(r).Where("portal_id = ? AND name = ?", portalID, name).Scan(ctx)
	return one(r, err)
}

// CreateSupportUser inserts a vendor support account.
func (s *Store) CreateSupportUser(ctx context.Context, u *domain.SupportUser) error {
	_, err := s.idb.NewInsert().Model(u).Exec(ctx)
	return mapErr(err)
}

// Roles lists the portal's roles in a stable order.
func (s *Store) Roles(ctx context.Context, portalID int64) ([]domain.Role, error) {
	var out []domain.Role
	err := s.idb.NewSelect().Model(&out).Where("portal_id = ?", portalID).OrderExpr("id").Scan(ctx)
	return out, mapErr(err)
}

// UpdateRolePermissions replaces a role's permissions.
func (s *Store) UpdateRolePermissions(ctx context.Context, portalID, roleID int64, permissions string) error {
	n, err := affected(s.idb.NewUpdate().Model((*domain.Role)(nil)).Set("permissions = ?", permissions).
		Where("portal_id = ? AND id = ?", portalID, roleID).Exec(ctx))
	if err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return err
}

// LockPortal takes the portal row's lock for the rest of the transaction on PostgreSQL.
// SQLite needs nothing: its transactions begin IMMEDIATE, holding the database's write
// lock, so they are already one at a time.
func (s *Store) LockPortal(ctx context.Context, portalID int64) error {
	if s.db.Dialect().Name().String() != "pg" {
		return nil
	}
	var id int64
	err := s.idb.NewRaw("SELECT id FROM portals WHERE id = ? FOR UPDATE", portalID).Scan(ctx, &id)
	return mapErr(err)
}

// CountUsersWithPermission counts enabled users holding p through a role other than exceptRole.
func (s *Store) CountUsersWithPermission(ctx context.Context, portalID int64, p domain.Permission, exceptRole int64) (int, error) {
	n, err := s.idb.NewSelect().Model((*domain.User)(nil)).
		Join("JOIN roles AS r ON r.id = ?TableAlias.role_id").
		Where("?TableAlias.portal_id = ? AND NOT ?TableAlias.disabled AND r.id <> ?", portalID, exceptRole).
		Where("(' ' || r.permissions || ' ') LIKE ?", "% "+string(p)+" %").Count(ctx)
	return int(n), mapErr(err)
}

// UpdatePolicy saves a portal's policy.
func (s *Store) UpdatePolicy(ctx context.Context, portalID int64, p domain.Policy) error {
	_, err := s.idb.NewUpdate().Model(&domain.Portal{ID: portalID, Policy: p}).
		Column("policy_max_failed_attempts", "policy_failure_window_minutes", "policy_lockout_minutes",
			"policy_history_depth", "policy_min_length", "policy_reset_link_minutes",
			"policy_temp_password_hours", "policy_admin_contact", "policy_audit_retention_days", "policy_two_step_roles",
			"policy_language", "policy_time_zone", "policy_session_idle_minutes", "policy_session_hours",
			"policy_app_idle_days", "policy_app_days", "policy_peer_credentials", "policy_passkeys_off", "policy_passkey_roles",
			"policy_help_request_hours", "policy_recovery_pass_minutes", "policy_help_in_person_for_admins").
		WherePK().Exec(ctx)
	return mapErr(err)
}
