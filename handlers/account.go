package handlers

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// account shows the user's sessions and the password change form.
func (h *handler) account(c *fiber.Ctx) error {
	return h.renderAccount(c, fiber.StatusOK, h.form(c))
}

func (h *handler) renderAccount(c *fiber.Ctx, status int, f pages.Form) error {
	s, p := sessionOf(c), portalOf(c)
	list, err := h.svc.Auth.Sessions(c.UserContext(), s)
	if err != nil {
		return err
	}
	rows := make([]pages.SessionRow, len(list))
	for i, x := range list {
		rows[i] = pages.SessionRow{Kind: kindLabel(string(x.Kind)), Device: sessionDevice(c.UserContext(), x), IP: x.IP, LastSeen: x.LastSeenAt, Created: x.CreatedAt, Current: x.ID == s.ID}
	}
	twoStep, err := h.twoStepPanel(c)
	if err != nil {
		return err
	}
	passkeys, err := h.passkeysPanel(c, twoStep.Status.Enrolled)
	if err != nil {
		return err
	}
	vm := pages.AccountVM{Portal: p, User: s.User, Sessions: rows, Notice: notice(c), Password: f, MinLength: p.Policy.MinLength, TwoStep: twoStep, Passkeys: passkeys}
	return h.render(c, status, layouts.Meta{Title: "account.title"}, pages.Account(vm))
}

func kindLabel(k string) string {
	if k == "mobile" {
		return "common.footer.mobile_app"
	}
	return "account.sessions.web"
}

// changeOwnPassword is the self-service change: current password, new one twice.
func (h *handler) changeOwnPassword(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	err := h.svc.Passwords.Change(c.UserContext(), p, s, c.FormValue("current"), newPassword(c), c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f := h.form(c)
		f.Errors = fe
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, f)
	}
	if errors.As(err, new(*domain.LockedError)) {
		f := h.form(c)
		f.Errors["current"] = i18n.T(c.UserContext(), "security.current.locked")
		return h.renderAccount(c, fiber.StatusLocked, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.AccountPath(p.Code), "password-changed"))
}

// signOutOthers ends every other session and app token of the user.
func (h *handler) signOutOthers(c *fiber.Ctx) error {
	if _, err := h.svc.Auth.SignOutOthers(c.UserContext(), sessionOf(c), c.IP()); err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.AccountActivityPath(portalOf(c).Code), "others-signed-out"))
}

// sessionDevice names where a session is: the app's own device name, or a summary of
// the browser's User-Agent.
func sessionDevice(ctx context.Context, s domain.Session) string {
	if s.Kind == domain.SessionWeb {
		return domain.DeviceName(i18n.FromContext(ctx), s.Device)
	}
	return s.Device
}
