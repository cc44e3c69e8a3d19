package domain_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// TestSettingsScreensCheckPermissions: the services behind the roles, policy, new
// profile and audit screens refuse a role without the permission, with the rule named,
// so the handlers check nothing themselves.
func TestSettingsScreensCheckPermissions(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		eve, ada := e.user(t, "eve.employee"), e.user(t, "ada.admin")
		missing := func(err error, p domain.Permission) {
			t.Helper()
			var fe *domain.ForbiddenError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, domain.ForbidMissingPermission, fe.Rule)
			assert.Equal(t, p, fe.Permission)
		}
		_, err := e.svc.Settings.RoleMatrix(ctx, eve)
		missing(err, domain.PermManageRoles)
		_, err = e.svc.Settings.Policy(eve, e.acme)
		missing(err, domain.PermEditPolicy)
		_, err = e.svc.Admin.ProfileRoles(ctx, eve)
		missing(err, domain.PermCreateProfile)
		_, err = e.svc.Settings.Audit(ctx, eve, domain.AuditFilter{}, "", 0, 10)
		missing(err, domain.PermViewAudit)

		roles, err := e.svc.Settings.RoleMatrix(ctx, ada)
		require.NoError(t, err)
		assert.Len(t, roles, 4)
		pol, err := e.svc.Settings.Policy(ada, e.acme)
		require.NoError(t, err)
		assert.Equal(t, e.acme.Policy, pol)
		names, err := e.svc.Admin.AdministratorNames(ctx, e.acme.ID)
		require.NoError(t, err)
		assert.Equal(t, []string{ada.DisplayName}, names)
	})
}

// TestAuditByUsername narrows the log to one person by username, names the people in
// it, and matches nothing for an unknown name.
func TestAuditByUsername(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada, eve := e.user(t, "ada.admin"), e.user(t, "eve.employee")
		require.NoError(t, e.svc.Admin.Unlock(ctx, ada, eve, "192.0.2.9"))
		_, err := e.signIn("max.manager", "wrong-password-1")
		require.ErrorIs(t, err, domain.ErrInvalidCredentials)

		log, err := e.svc.Settings.Audit(ctx, ada, domain.AuditFilter{}, "Eve.Employee", 0, 50)
		require.NoError(t, err)
		require.NotEmpty(t, log.Events)
		for _, ev := range log.Events {
			assert.Equal(t, eve.ID, ev.UserID)
		}
		assert.Equal(t, "eve.employee", log.Names[eve.ID])
		assert.Equal(t, "ada.admin", log.Names[ada.ID], "the actor is named too")

		none, err := e.svc.Settings.Audit(ctx, ada, domain.AuditFilter{}, "nobody", 0, 50)
		require.NoError(t, err)
		assert.Empty(t, none.Events)
	})
}

// TestAuditExportStreamsEveryEvent reads more events than one batch of the store holds,
// in order and each once, narrowed by part of a person's name and kept in its portal;
// the page of the log counts them all (issue 23, item 2).
func TestAuditExportStreamsEveryEvent(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada, eve := e.user(t, "ada.admin"), e.user(t, "eve.employee")
		at := e.clock.Now()
		for i := range 1203 {
			// Pairs share a timestamp, so the batches must break ties by id.
			ev := &domain.AuditEvent{PortalID: e.acme.ID, UserID: eve.ID, Type: domain.EventSignInFailed, CreatedAt: at.Add(time.Duration(i/2) * time.Second)}
			require.NoError(t, e.store.Audit(ctx, ev))
		}
		other := &domain.AuditEvent{PortalID: e.globex.ID, UserID: eve.ID, Type: domain.EventSignInFailed, CreatedAt: at}
		require.NoError(t, e.store.Audit(ctx, other))

		var ids []int64
		err := e.svc.Settings.ExportAudit(ctx, ada, domain.AuditFilter{Type: domain.EventSignInFailed}, "eve empl", func(ev domain.AuditEvent, user, by string) error {
			assert.Equal(t, "eve.employee", user)
			assert.Empty(t, by)
			ids = append(ids, ev.ID)
			return nil
		})
		require.NoError(t, err)
		require.Len(t, ids, 1203)
		assert.True(t, slices.IsSortedFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) }), "newest first, each once")

		log, err := e.svc.Settings.Audit(ctx, ada, domain.AuditFilter{}, "EVE", 1200, domain.AuditPageSize)
		require.NoError(t, err)
		assert.Equal(t, 1203, log.Total)
		assert.Len(t, log.Events, 3, "the last page")

		err = e.svc.Settings.ExportAudit(ctx, eve, domain.AuditFilter{}, "", func(domain.AuditEvent, string, string) error { return nil })
		var fe *domain.ForbiddenError
		require.ErrorAs(t, err, &fe)
	})
}
