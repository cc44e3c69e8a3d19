package domain_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// TestPermissionMatrix tries every administrative action as every demo role against an
// employee: the defaults from the specification decide, on the server.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		actions := map[string]func(actor, target *domain.User) error{
			"set password": func(a, tg *domain.User) error {
				_, err := e.svc.Admin.SetPassword(ctx, e.acme, a, tg, "", true, true, "")
				return err
			},
			"send reset": func(a, tg *domain.User) error { return e.svc.Admin.SendReset(ctx, e.acme, a, tg, "") },
			"unlock":     func(a, tg *domain.User) error { return e.svc.Admin.Unlock(ctx, a, tg, "") },
			"change email": func(a, tg *domain.User) error {
				return e.svc.Admin.ChangeEmail(ctx, e.acme, e.as(a), tg, "by."+a.Username+"@acme.test", domain.Reauth{Password: demoPW}, "")
			},
			"sign out": func(a, tg *domain.User) error { _, err := e.svc.Admin.SignOutEverywhere(ctx, a, tg, ""); return err },
			"list": func(a, _ *domain.User) error {
				_, err := e.svc.Admin.Employees(ctx, a, domain.EmployeeFilter{}, 1)
				return err
			},
			"create": func(a, _ *domain.User) error {
				_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, a, domain.ProfileInput{DisplayName: "New Person", Username: "new.person." + a.Username, Email: "new." + a.Username + "@acme.test", Role: domain.RoleEmployee, Generate: true, ForceChange: true}, "")
				return err
			},
		}
		allowed := map[string][]string{
			"ada.admin":    {"set password", "send reset", "unlock", "change email", "sign out", "list", "create"},
			"max.manager":  {"set password", "send reset", "unlock", "change email", "sign out", "list", "create"},
			"amy.accounts": {"list"},
			"eve.employee": {},
		}
		for actorName, ok := range allowed {
			for action, do := range actions {
				actor, target := e.user(t, actorName), e.user(t, "ed.mobile")
				err := do(actor, target)
				if contains(ok, action) {
					assert.NoError(t, err, "%s may %s", actorName, action)
				} else {
					var fe *domain.ForbiddenError
					assert.ErrorAs(t, err, &fe, "%s may not %s", actorName, action)
				}
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNoEscalation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		max, ada := e.user(t, "max.manager"), e.user(t, "ada.admin")
		_, err := e.svc.Admin.SetPassword(ctx, e.acme, max, ada, "", true, true, "")
		var fe *domain.ForbiddenError
		assert.ErrorAs(t, err, &fe, "a manager cannot set an administrator's password")
		assert.ErrorAs(t, e.svc.Admin.ChangeEmail(ctx, e.acme, e.as(max), ada, "evil@acme.test", domain.Reauth{}, ""), &fe)

		_, _, err = e.svc.Admin.CreateProfile(ctx, e.acme, max, domain.ProfileInput{DisplayName: "Boss", Username: "boss", Email: "boss@acme.test", Role: domain.RoleAdministrator, Generate: true}, "")
		assert.Contains(t, fieldErr(t, err, "role"), "more permissions than your own role")

		u, temp, err := e.svc.Admin.CreateProfile(ctx, e.acme, max, domain.ProfileInput{DisplayName: "Mia Manager", Username: "mia.manager", Email: "mia@acme.test", Role: domain.RoleManager, Generate: true, ForceChange: true}, "")
		require.NoError(t, err, "a manager can create a manager")
		assert.True(t, u.MustChangePassword)
		assert.Len(t, temp, 23)

		// Roles: nobody grants what they lack; the last role manager keeps the power.
		roles, err := e.svc.Settings.Roles(ctx, e.acme.ID)
		require.NoError(t, err)
		admin, manager := roles[0], roles[1]
		assert.ErrorAs(t, e.svc.Settings.SetRolePermissions(ctx, max, manager.ID, []domain.Permission{domain.PermManageRoles}, ""), &fe)
		assert.ErrorAs(t, e.svc.Settings.SetRolePermissions(ctx, ada, admin.ID, []domain.Permission{domain.PermViewAudit}, ""), &fe,
			"the last role able to manage roles cannot drop it")
	})
}

func TestTemporaryPasswordFlow(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada := e.user(t, "ada.admin")
		u, temp, err := e.svc.Admin.CreateProfile(ctx, e.acme, ada, domain.ProfileInput{DisplayName: "Tom Temp", Username: "tom.temp", Email: "tom@acme.test", Role: domain.RoleEmployee, Generate: true, ForceChange: true}, "")
		require.NoError(t, err)
		assert.Empty(t, e.mail(t, "reset"), "a temporary password is never e-mailed")

		res, err := e.signIn("tom.temp", temp)
		require.NoError(t, err)
		assert.True(t, res.User.MustChangePassword)
		near := temp[:22] + "x"
		if near == temp {
			near = temp[:22] + "y"
		}
		err = e.svc.Passwords.Change(ctx, e.acme, res.Session, temp, domain.NewPassword{Password: near, Confirm: near}, "")
		assert.Contains(t, fieldErr(t, err, "password"), "couple of characters", "near-miss of the temporary password")
		require.NoError(t, e.svc.Passwords.Change(ctx, e.acme, res.Session, temp, domain.NewPassword{Password: newPW, Confirm: newPW}, ""))
		assert.False(t, e.user(t, "tom.temp").MustChangePassword)

		// An expired temporary password is refused with its own error.
		temp, err = e.svc.Admin.SetPassword(ctx, e.acme, ada, u, "", true, true, "")
		require.NoError(t, err)
		e.clock.Advance(73 * 60 * 60e9)
		_, err = e.signIn("tom.temp", temp)
		assert.ErrorIs(t, err, domain.ErrTempPasswordExpired)
	})
}

func TestChangeEmailKillsLinks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		token := e.requestLink(t, "eve.employee")
		require.NoError(t, e.svc.Admin.ChangeEmail(context.Background(), e.acme, e.as(e.user(t, "max.manager")), e.user(t, "eve.employee"), "Eve.New@acme.test", domain.Reauth{}, ""))
		assert.ErrorIs(t, e.complete(token, newPW), domain.ErrInvalidToken)
		to := []string{}
		for _, m := range e.mail(t, "email_changed") {
			to = append(to, m.ToAddr)
		}
		assert.ElementsMatch(t, []string{"eve@acme.test", "eve.new@acme.test"}, to)
		assert.Equal(t, "eve.new@acme.test", e.user(t, "eve.employee").Email)
	})
}

func TestAdminTenantIsolation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		gail, err := e.store.UserByIdentifier(context.Background(), e.globex.ID, "gail.guard")
		require.NoError(t, err)
		_, err = e.svc.Admin.Employee(context.Background(), e.user(t, "ada.admin"), gail.ID)
		assert.ErrorIs(t, err, domain.ErrNotFound)
		_, err = e.svc.Admin.SetPassword(context.Background(), e.acme, e.user(t, "ada.admin"), gail, "", true, true, "")
		assert.ErrorIs(t, err, domain.ErrNotFound)
		page, err := e.svc.Admin.Employees(context.Background(), e.user(t, "ada.admin"), domain.EmployeeFilter{Query: "gail"}, 1)
		require.NoError(t, err)
		assert.Zero(t, page.Total)
	})
}

func TestChangeRole(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		max, ada := e.user(t, "max.manager"), e.user(t, "ada.admin")
		require.NoError(t, e.svc.Admin.ChangeRole(ctx, max, e.user(t, "eve.employee"), domain.RoleManager, ""))
		assert.Equal(t, domain.RoleManager, e.user(t, "eve.employee").Role.Name, "a manager can make a manager")

		var fe *domain.ForbiddenError
		assert.ErrorAs(t, e.svc.Admin.ChangeRole(ctx, max, e.user(t, "ed.mobile"), domain.RoleAdministrator, ""), &fe, "no escalation")
		assert.ErrorAs(t, e.svc.Admin.ChangeRole(ctx, max, ada, domain.RoleEmployee, ""), &fe, "nor demoting someone above you")
		assert.ErrorAs(t, e.svc.Admin.ChangeRole(ctx, ada, ada, domain.RoleEmployee, ""), &fe, "the last administrator keeps the role")
		assert.Contains(t, fieldErr(t, e.svc.Admin.ChangeRole(ctx, ada, e.user(t, "ed.mobile"), "Pilot", ""), "role"), "Choose a role")

		require.NoError(t, e.svc.Admin.ChangeRole(ctx, ada, e.user(t, "max.manager"), domain.RoleAdministrator, ""))
		assert.NoError(t, e.svc.Admin.ChangeRole(ctx, ada, e.user(t, "ada.admin"), domain.RoleEmployee, ""), "with another administrator, she may step down")
	})
}

// TestEmployeesShowLastSignIn: the employee list names each person's last successful
// sign-in (issue 23, item 20).
func TestEmployeesShowLastSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, err := e.signIn("eve.employee", domain.DemoPassword)
		require.NoError(t, err)
		first := e.clock.Now()
		e.clock.Advance(time.Hour)
		_, err = e.signIn("eve.employee", domain.DemoPassword)
		require.NoError(t, err)
		_, err = e.signIn("max.manager", "wrong-password-1")
		require.Error(t, err)

		page, err := e.svc.Admin.Employees(ctx, e.user(t, "ada.admin"), domain.EmployeeFilter{}, 1)
		require.NoError(t, err)
		seen := map[string]time.Time{}
		for _, r := range page.Rows {
			seen[r.User.Username] = r.LastSignIn
		}
		assert.WithinDuration(t, first.Add(time.Hour), seen["eve.employee"], time.Second, "the newest sign-in")
		assert.True(t, seen["max.manager"].IsZero(), "a failed sign-in is not a sign-in")
	})
}
