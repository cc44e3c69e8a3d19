package domain

import (
	"context"
	"fmt"
	"slices"
)

// RoleIsFixed reports whether a role's permissions cannot be edited: the built-in
// Administrator always holds every permission, so a portal is never left without one.
func RoleIsFixed(r Role) bool { return r.Name == RoleAdministrator }

// SetMatrix replaces the permissions of every role in perms (by role id) at once: every
// check passes or nothing changes. Nobody grants or removes what their own role lacks,
// the built-in Administrator stays fixed, and the last people able to manage roles keep
// that power. Each role that changed gets one audit event.
func (s *SettingsService) SetMatrix(ctx context.Context, actor *User, perms map[int64][]Permission, ip string) error {
	if err := Authorize(actor, PermManageRoles); err != nil {
		return err
	}
	roles, err := s.store.Roles(ctx, actor.PortalID)
	if err != nil {
		return err
	}
	byID := map[int64]Role{}
	for _, r := range roles {
		byID[r.ID] = r
	}
	ids := make([]int64, 0, len(perms))
	for id := range perms {
		if _, ok := byID[id]; !ok {
			return ErrNotFound
		}
		ids = append(ids, id)
	}
	slices.Sort(ids) // a stable order for the checks and the audit log
	return s.store.InTx(ctx, func(tx Store) error {
		for _, id := range ids {
			if err := s.setRole(ctx, tx, actor, byID[id], perms[id], ip); err != nil {
				return err
			}
		}
		return nil
	})
}

// setRole checks and saves one role within SetMatrix's transaction, so the last-manager
// check sees the roles saved before it.
func (s *SettingsService) setRole(ctx context.Context, tx Store, actor *User, role Role, perms []Permission, ip string) error {
	next := Role{ID: role.ID, PortalID: role.PortalID, Name: role.Name, Permissions: joinPermissions(perms)}
	if next.Permissions == role.Permissions {
		return nil
	}
	if RoleIsFixed(role) {
		return &ForbiddenError{Permission: PermManageRoles, Rule: ForbidBuiltInRole, Reason: "screens.roles.fixed_forbidden"}
	}
	for _, p := range AllPermissions {
		if next.Has(p) != role.Has(p) && !actor.Role.Has(p) {
			return &ForbiddenError{Permission: p, Rule: ForbidGrantUnheld, Reason: "errors.forbidden.grant_own", Args: []any{"Permission", PermissionLabel(p)}}
		}
	}
	if role.Has(PermManageRoles) && !next.Has(PermManageRoles) {
		n, err := tx.CountUsersWithPermission(ctx, actor.PortalID, PermManageRoles, role.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return &ForbiddenError{Permission: PermManageRoles, Rule: ForbidLastRoleManager, Reason: "errors.forbidden.last_role_manager"}
		}
	}
	if err := tx.UpdateRolePermissions(ctx, actor.PortalID, role.ID, next.Permissions); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s: %s → %s", role.Name, orNone(role.Permissions), orNone(next.Permissions))
	return audit(ctx, tx, s.clock.Now(), actor.PortalID, 0, actor.ID, EventRoleChanged, detail, ip)
}
