package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// Employee administration: list, create, and the Security/Account actions on a profile.
// Every action is checked in domain.AdminService; the pages only hide what a role lacks.

// employees lists the portal's people with search, filters and paging.
func (h *handler) employees(c *fiber.Ctx) error {
	p, s := portalOf(c), sessionOf(c)
	f := domain.EmployeeFilter{
		Query:  domain.Truncate(strings.ToValidUTF8(c.Query("q"), ""), 100),
		Status: domain.ParseEmployeeStatus(c.Query("status")),
		RoleID: int64(max(c.QueryInt("role"), 0)),
	}
	list, err := h.svc.Admin.Employees(c.UserContext(), s.User, f, c.QueryInt("page", 1))
	if err != nil {
		return err
	}
	roles, err := h.svc.Settings.Roles(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	vm := pages.EmployeesVM{Portal: p, Actor: s.User, Filter: f, Roles: roles, Page: list, Now: h.svc.Clock().Now(), Notice: notice(c)}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "admin.nav.employees"}, pages.Employees(vm))
}

// newEmployee shows the create-profile form.
func (h *handler) newEmployee(c *fiber.Ctx) error {
	f := h.form(c)
	f.Values["mode"], f.Values["force"], f.Values["role"] = "temporary", "on", domain.RoleEmployee
	return h.renderNewEmployee(c, fiber.StatusOK, f)
}

func (h *handler) renderNewEmployee(c *fiber.Ctx, status int, f pages.Form) error {
	p, s := portalOf(c), sessionOf(c)
	roles, err := h.svc.Admin.ProfileRoles(c.UserContext(), s.User)
	if err != nil {
		return err
	}
	vm := pages.NewEmployeeVM{Portal: p, Actor: s.User, Form: f, Roles: roles, MinLength: p.Policy.MinLength, TempHours: p.Policy.TempPasswordHours}
	return h.render(c, status, layouts.Meta{Title: "admin.employees.new_profile"}, pages.NewEmployee(vm))
}

// createEmployee creates a profile with a temporary password or a set-password link.
func (h *handler) createEmployee(c *fiber.Ctx) error {
	p, s := portalOf(c), sessionOf(c)
	f := h.form(c, "display_name", "username", "email", "role", "mode", "force")
	in := domain.ProfileInput{
		DisplayName: f.Value("display_name"), Username: f.Value("username"), Email: f.Value("email"), Role: f.Value("role"),
		Temporary: c.FormValue("temporary"), Generate: c.FormValue("generate") != "",
		SendLink: f.Value("mode") == "link", ForceChange: f.Value("force") != "",
	}
	u, temp, err := h.svc.Admin.CreateProfile(c.UserContext(), p, s.User, in, c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderNewEmployee(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	if temp == "" {
		return redirect(c, domain.WithNotice(domain.EmployeePath(p.Code, u.ID), "link-sent"))
	}
	return h.showTemporary(c, u, temp, in.ForceChange)
}

// showTemporary shows a temporary password once; it is never stored in clear or e-mailed.
func (h *handler) showTemporary(c *fiber.Ctx, u *domain.User, temp string, forced bool) error {
	p := portalOf(c)
	c.Set("Referrer-Policy", "no-referrer")
	vm := pages.TemporaryVM{Portal: p, User: u, Password: temp, Forced: forced, Hours: p.Policy.TempPasswordHours}
	// The address bar shows the profile, not the notice of an earlier action; a reload
	// opens the profile and never shows the password again.
	c.Set("HX-Replace-Url", domain.EmployeePath(p.Code, u.ID))
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: vm.Title()}, pages.Temporary(vm))
}

// target loads the employee named in the URL, within the actor's portal only.
func (h *handler) target(c *fiber.Ctx) (*domain.EmployeeRow, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return h.svc.Admin.Employee(c.UserContext(), sessionOf(c).User, int64(id))
}

// employee shows a profile with its Security/Account section.
func (h *handler) employee(c *fiber.Ctx) error {
	return h.renderEmployee(c, fiber.StatusOK, h.form(c))
}

func (h *handler) renderEmployee(c *fiber.Ctx, status int, f pages.Form) error {
	p, s := portalOf(c), sessionOf(c)
	row, err := h.target(c)
	if err != nil {
		return err
	}
	events, err := h.svc.Admin.Events(c.UserContext(), s.User, &row.User, 15)
	if _, forbidden := isForbidden(err); err != nil && !forbidden { // without the audit permission: no events shown
		return err
	}
	roles, err := h.svc.Settings.Roles(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	twoStep, err := h.svc.TwoStep.Status(c.UserContext(), p, &row.User)
	if err != nil {
		return err
	}
	passkeys, err := h.svc.Passkeys.List(c.UserContext(), p, &row.User)
	if err != nil {
		return err
	}
	vm := pages.EmployeeVM{Portal: p, Actor: s.User, Row: row, Events: events, Roles: roles, Form: f, Notice: notice(c), Now: h.svc.Clock().Now(), TwoStep: twoStep, Passkeys: len(passkeys)}
	if vm.Recovery, err = h.recoveryOffer(c, p, s.User, &row.User); err != nil {
		return err
	}
	return h.render(c, status, layouts.Meta{Title: "admin.profile.page_title", TitleArgs: []any{"Name", row.User.DisplayName}}, pages.Employee(vm))
}

// employeeAction runs one Security/Account action and returns to the profile.
func (h *handler) employeeAction(do func(c *fiber.Ctx, actor *domain.User, target *domain.User) (string, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		row, err := h.target(c)
		if err != nil {
			return err
		}
		note, err := do(c, sessionOf(c).User, &row.User)
		if errors.Is(err, errConfirmFirst) {
			return redirect(c, domain.EmployeeActionPath(portalOf(c).Code, row.User.ID, domain.EmployeeDisable))
		}
		if fe := fieldErrors(c, err); fe != nil {
			f := h.form(c, "email")
			f.Errors = fe
			return h.renderEmployee(c, fiber.StatusUnprocessableEntity, f)
		}
		if err != nil {
			return err
		}
		return redirect(c, domain.WithNotice(domain.EmployeePath(portalOf(c).Code, row.User.ID), note))
	}
}

func (h *handler) setEmployeePassword(c *fiber.Ctx) error {
	row, err := h.target(c)
	if err != nil {
		return err
	}
	force := c.FormValue("force") != ""
	pw, err := h.svc.Admin.SetPassword(c.UserContext(), portalOf(c), sessionOf(c).User, &row.User,
		c.FormValue("password"), c.FormValue("generate") != "", force, c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		// The form comes back as the administrator left it: the password they typed (as
		// typed, spaces included) and Force Password Change ticked or not.
		f := h.form(c)
		f.Values["password"] = domain.Truncate(c.FormValue("password"), domain.MaxPasswordLength)
		f.Values["force"] = "off"
		if force {
			f.Values["force"] = "on"
		}
		f.Errors = fe
		return h.renderEmployee(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return h.showTemporary(c, &row.User, pw, force)
}

func (h *handler) sendEmployeeReset(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	return "reset-sent", h.svc.Admin.SendReset(c.UserContext(), portalOf(c), actor, target, c.IP())
}

func (h *handler) unlockEmployee(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	return "unlocked", h.svc.Admin.Unlock(c.UserContext(), actor, target, c.IP())
}

func (h *handler) signOutEmployee(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	_, err := h.svc.Admin.SignOutEverywhere(c.UserContext(), actor, target, c.IP())
	return "signed-out-everywhere", err
}

func (h *handler) changeEmployeeEmail(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	err := h.svc.Admin.ChangeEmail(c.UserContext(), portalOf(c), sessionOf(c), target, c.FormValue("email"), reauth(c, "reauth"), c.IP())
	return "email-changed", reauthField(err, "reauth")
}

// reauthField turns a refused proof of identity into a message on its form's field.
func reauthField(err error, prefix string) error {
	switch {
	case errors.As(err, new(*domain.LockedError)):
		return domain.Invalid(prefix+"-password", "twostep.error.locked")
	case errors.Is(err, domain.ErrInvalidCredentials):
		return domain.Invalid(prefix+"-password", "twostep.error.password")
	case errors.Is(err, domain.ErrWrongCode):
		return domain.Invalid(prefix+"-code", "twostep.error.wrong")
	case errors.Is(err, domain.ErrCodeFormat):
		return domain.Invalid(prefix+"-code", "twostep.error.format")
	}
	return err
}

func (h *handler) changeEmployeeRole(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	return "role-changed", h.svc.Admin.ChangeRole(c.UserContext(), actor, target, c.FormValue("role"), c.IP())
}

func (h *handler) disableEmployee(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	disable := c.FormValue("disabled") == "1"
	if disable && c.FormValue("confirm") != "yes" {
		return "", errConfirmFirst // disabling signs the person out everywhere: ask first
	}
	note := "enabled"
	if disable {
		note = "disabled"
	}
	return note, h.svc.Admin.SetDisabled(c.UserContext(), actor, target, disable, c.IP())
}

// errConfirmFirst sends an unconfirmed disable to its confirmation page.
var errConfirmFirst = errors.New("confirm first")

// confirmDisable asks before disabling an account, saying what it does; a page of its
// own, so it works without JavaScript.
func (h *handler) confirmDisable(c *fiber.Ctx) error {
	p, s := portalOf(c), sessionOf(c)
	row, err := h.target(c)
	if err != nil {
		return err
	}
	if err := domain.Authorize(s.User, domain.PermCreateProfile); err != nil {
		return err
	}
	if row.User.Disabled {
		return redirect(c, domain.EmployeePath(p.Code, row.User.ID))
	}
	vm := pages.EmployeeVM{Portal: p, Actor: s.User, Row: row, Form: h.form(c), Now: h.svc.Clock().Now()}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "admin.profile.page_title", TitleArgs: []any{"Name", row.User.DisplayName}, Narrow: true}, pages.ConfirmDisable(vm))
}

// forbidden explains a refused action, naming who can help.
func (h *handler) forbidden(c *fiber.Ctx, fe *domain.ForbiddenError) error {
	l := i18n.FromContext(c.UserContext())
	msg := l.T("errors.forbidden.ask_admin")
	if p := portalOf(c); p != nil {
		names, err := h.svc.Admin.AdministratorNames(c.UserContext(), p.ID)
		if err == nil && len(names) > 0 {
			msg = l.T("errors.forbidden.ask_named", "Names", strings.Join(names, ", "))
		}
	}
	if fe.Rule != domain.ForbidMissingPermission {
		msg = l.T("errors.forbidden.not_allowed", "Reason", l.T(fe.Reason, fe.Args...), "Advice", msg)
	}
	return h.errorPage(c, fiber.StatusForbidden, withMessage(l.T("errors.forbidden.title"), msg), withHelp("no_permission"))
}

func isForbidden(err error) (*domain.ForbiddenError, bool) {
	var fe *domain.ForbiddenError
	return fe, errors.As(err, &fe)
}
