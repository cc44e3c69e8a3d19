package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// changePage is the forced password change after signing in with a temporary password.
func (h *handler) changePage(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	if !s.User.MustChangePassword {
		return redirect(c, domain.WithSection(domain.AccountPath(p.Code), "change-password"))
	}
	f := h.form(c)
	f.Values[domain.ReturnParam] = returnTo(c, c.Query(domain.ReturnParam))
	return h.renderChange(c, fiber.StatusOK, f)
}

func (h *handler) renderChange(c *fiber.Ctx, status int, f pages.Form) error {
	s, p := sessionOf(c), portalOf(c)
	vm := pages.ChangeVM{Portal: p, User: s.User, Form: f, MinLength: p.Policy.MinLength}
	return h.render(c, status, layouts.Meta{Title: "pages.change.title", Narrow: true, HelpTopic: "force_change"}, pages.Change(vm))
}

// change sets the user's own password in place of the temporary one.
func (h *handler) change(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	err := h.svc.Passwords.Change(c.UserContext(), p, s, c.FormValue("current"), newPassword(c), c.IP())
	f := h.form(c)
	f.Values[domain.ReturnParam] = returnTo(c, c.FormValue(domain.ReturnParam))
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderChange(c, fiber.StatusUnprocessableEntity, f)
	}
	if errors.As(err, new(*domain.LockedError)) {
		f.Errors["current"] = i18n.T(c.UserContext(), "security.current.locked")
		return h.renderChange(c, fiber.StatusLocked, f)
	}
	if err != nil {
		return err
	}
	if next := f.Value(domain.ReturnParam); next != "" {
		return redirect(c, next) // the page the sign-in was for
	}
	return redirect(c, domain.WithNotice(domain.HomePath(p.Code), "password-changed"))
}
