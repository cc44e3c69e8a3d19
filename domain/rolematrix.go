package domain

import (
	"context"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/i18n"
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
	return s.keepRoleManager(ctx, actor.PortalID, func(tx Store) error {
		for _, id := range ids {
			if err := s.setRole(ctx, tx, actor, byID[id], perms[id], ip); err != nil {
				return err
			}
		}
		return nil
	})
}

// setRole checks and saves one role within SetMatrix's transaction; keepRoleManager
// then checks that someone can still manage roles.
func (s *SettingsService) setRole(ctx context.Context, tx Store, actor *User, role Role, perms []Permission, ip string) error {
	next := Role{ID: role.ID, PortalID: role.PortalID, Name: role.Name, Permissions: joinPermissions(perms)}
	if next.Permissions == role.Permissions {
		return nil
	}
	for _, p := range AllPermissions {
		if next.Has(p) == role.Has(p) {
			continue
		}
		switch {
		case !actor.Role.Has(p):
			return &ForbiddenError{Permission: p, Rule: ForbidGrantUnheld, Reason: "errors.forbidden.grant_own", Args: []any{"Permission", PermissionLabel(p)}}
		case RoleIsFixed(role):
			return &ForbiddenError{Permission: p, Rule: ForbidBuiltInRole, Reason: "security.forbidden.builtin_role"}
		case role.ID == actor.RoleID && !next.Has(p):
			return &ForbiddenError{Permission: p, Rule: ForbidOwnRole, Reason: "security.forbidden.own_role", Args: []any{"Permission", PermissionLabel(p)}}
		}
	}
	if err := tx.UpdateRolePermissions(ctx, actor.PortalID, role.ID, next.Permissions); err != nil {
		return err
	}
	detail := Notes{note("audit.role.changed", "Role", role.Name, "From", permissionNames(role), "To", permissionNames(next))}
	return audit(ctx, tx, AuditEvent{PortalID: actor.PortalID, ActorID: actor.ID, Type: EventRoleChanged, IP: ip, CreatedAt: s.clock.Now()}, detail)
}

// permissionNames is a role's permissions for an audit note, as message ids ("View
// employees"), or one id saying it has none.
func permissionNames(r Role) any {
	var ids []i18n.Key
	for _, f := range strings.Fields(r.Permissions) {
		if slices.Contains(AllPermissions, Permission(f)) {
			ids = append(ids, i18n.Key("screens.perm."+f))
		}
	}
	if len(ids) == 0 {
		return i18n.Key("screens.perm.none")
	}
	return ids
}
