package domain_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// Issue 14: the employee list narrows by status and role, within the actor's portal.
func TestEmployeeFilters(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada := e.user(t, "ada.admin")
		create := func(username string, in domain.ProfileInput) {
			t.Helper()
			in.DisplayName, in.Username, in.Email, in.Role = "Person "+username, username, username+"@acme.test", domain.RoleEmployee
			_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, ada, in, "")
			require.NoError(t, err)
		}
		create("old.temp", domain.ProfileInput{Generate: true, ForceChange: true})
		e.clock.Advance(time.Duration(e.acme.Policy.TempPasswordHours+1) * time.Hour)
		create("new.temp", domain.ProfileInput{Generate: true, ForceChange: true})
		create("invited.one", domain.ProfileInput{SendLink: true})
		require.NoError(t, e.svc.Admin.SetDisabled(ctx, ada, e.user(t, "amy.accounts"), true, ""))
		for range e.acme.Policy.MaxFailedAttempts {
			_, _ = e.signIn("eve.employee", "not-her-password")
			_, _ = e.signIn("ed@acme.test", "not-his-password") // locked through the e-mail address
		}
		_, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.globex, Identifier: "gail.guard", Password: "x", Kind: domain.SessionWeb})
		require.Error(t, err)
		for range e.globex.Policy.MaxFailedAttempts {
			_, _ = e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.globex, Identifier: "gail.guard", Password: "x", Kind: domain.SessionWeb})
		}
		list := func(f domain.EmployeeFilter) []string {
			t.Helper()
			page, err := e.svc.Admin.Employees(ctx, ada, f, 1)
			require.NoError(t, err)
			var names []string
			for _, r := range page.Rows {
				names = append(names, r.User.Username)
			}
			slices.Sort(names)
			assert.Equal(t, len(names), page.Total)
			return names
		}
		assert.Equal(t, []string{"ed.mobile", "eve.employee"}, list(domain.EmployeeFilter{Status: domain.StatusLocked}), "not gail: another portal")
		assert.Equal(t, []string{"new.temp"}, list(domain.EmployeeFilter{Status: domain.StatusMustChange}))
		assert.Equal(t, []string{"old.temp"}, list(domain.EmployeeFilter{Status: domain.StatusTempExpired}))
		assert.Equal(t, []string{"amy.accounts"}, list(domain.EmployeeFilter{Status: domain.StatusDisabled}))
		assert.Equal(t, []string{"invited.one"}, list(domain.EmployeeFilter{Status: domain.StatusInvited}))

		manager, err := e.store.RoleByName(ctx, e.acme.ID, domain.RoleManager)
		require.NoError(t, err)
		assert.Equal(t, []string{"max.manager"}, list(domain.EmployeeFilter{RoleID: manager.ID}))
		assert.Empty(t, list(domain.EmployeeFilter{RoleID: manager.ID, Status: domain.StatusLocked}), "filters combine")
		assert.Equal(t, []string{"eve.employee"}, list(domain.EmployeeFilter{Query: "EVE", Status: domain.StatusLocked}))
		globexAdmin, err := e.store.RoleByName(ctx, e.globex.ID, domain.RoleAdministrator)
		require.NoError(t, err)
		assert.Empty(t, list(domain.EmployeeFilter{RoleID: globexAdmin.ID}), "another portal's role matches nobody here")

		e.clock.Advance(e.acme.Policy.LockoutDuration())
		assert.Empty(t, list(domain.EmployeeFilter{Status: domain.StatusLocked}), "an ended lock no longer counts")
		assert.Equal(t, domain.StatusAny, domain.ParseEmployeeStatus("'; DROP TABLE users"))
	})
}
