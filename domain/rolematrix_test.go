package domain_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// Issue 14: the whole matrix saves at once, all or nothing; the built-in Administrator
// stays fixed.
func TestSetMatrix(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada, max := e.user(t, "ada.admin"), e.user(t, "max.manager")
		byName := map[string]domain.Role{}
		roles, err := e.svc.Settings.Roles(ctx, e.acme.ID)
		require.NoError(t, err)
		for _, r := range roles {
			byName[r.Name] = r
		}
		am, emp, admin := byName[domain.RoleAccountManager], byName[domain.RoleEmployee], byName[domain.RoleAdministrator]
		require.NoError(t, e.svc.Settings.SetMatrix(ctx, ada, map[int64][]domain.Permission{
			am.ID:  {domain.PermViewEmployees, domain.PermResetPassword},
			emp.ID: {domain.PermViewEmployees},
		}, ""))
		assert.True(t, e.user(t, "amy.accounts").Role.Has(domain.PermResetPassword), "both rows saved")
		assert.True(t, e.user(t, "eve.employee").Role.Has(domain.PermViewEmployees))

		var fe *domain.ForbiddenError
		err = e.svc.Settings.SetMatrix(ctx, ada, map[int64][]domain.Permission{
			emp.ID:   {},
			admin.ID: {domain.PermViewEmployees},
		}, "")
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, domain.ForbidBuiltInRole, fe.Rule)
		assert.True(t, e.user(t, "eve.employee").Role.Has(domain.PermViewEmployees), "all or nothing: the Employee row did not change")
		assert.True(t, e.user(t, "ada.admin").Role.Has(domain.PermManageRoles))

		// Unchanged rows (the Administrator among them) are no error and no audit event.
		require.NoError(t, e.svc.Settings.SetMatrix(ctx, ada, map[int64][]domain.Permission{admin.ID: domain.AllPermissions}, ""))
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{Type: domain.EventRoleChanged}, 10)
		require.NoError(t, err)
		assert.Len(t, events, 2)

		globexRoles, err := e.svc.Settings.Roles(ctx, e.globex.ID)
		require.NoError(t, err)
		assert.ErrorIs(t, e.svc.Settings.SetMatrix(ctx, ada, map[int64][]domain.Permission{globexRoles[1].ID: {}}, ""), domain.ErrNotFound, "another portal's role")
		assert.ErrorAs(t, e.svc.Settings.SetMatrix(ctx, max, map[int64][]domain.Permission{emp.ID: {}}, ""), &fe, "a manager cannot manage roles")
	})
}
