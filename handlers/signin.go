package handlers

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// signInPage shows a portal's sign-in form.
func (h *handler) signInPage(c *fiber.Ctx) error {
	f := h.form(c)
	f.Values[domain.ReturnParam] = returnTo(c, c.Query(domain.ReturnParam))
	f.Values["identifier"] = domain.Truncate(c.Query(domain.IdentifierParam), 254) // after a reset
	vm := pages.SignInVM{Portal: portalOf(c), Form: f, Notice: notice(c), SawLock: h.sawLock(c)}
	return h.renderSignIn(c, fiber.StatusOK, vm)
}

// lockSeenCookie remembers, until a lock shown in this browser ends, that it was shown:
// a reload of the sign-in page keeps the help link for a locked account. It holds only
// the end of the lock this browser already saw, so it tells nobody anything new.

func (h *handler) rememberLock(c *fiber.Ctx, p *domain.Portal, until time.Time) {
	h.setCookie(c, lockSeenCookie, strconv.FormatInt(until.Unix(), 10), domain.PortalPath(p.Code), until)
}

func (h *handler) sawLock(c *fiber.Ctx) bool {
	until, err := strconv.ParseInt(c.Cookies(lockSeenCookie), 10, 64)
	return err == nil && h.svc.Clock().Now().Before(time.Unix(until, 0))
}

// lockedVM is what the lockout notice shows.
func (h *handler) lockedVM(p *domain.Portal, locked *domain.LockedError) *pages.LockedVM {
	return &pages.LockedVM{Minutes: locked.MinutesLeft(), Until: locked.Until, Repeat: locked.Repeat, AdminContact: p.Policy.AdminContact}
}

// signIn checks the credentials and starts a session.
func (h *handler) signIn(c *fiber.Ctx) error {
	p := portalOf(c)
	f := h.form(c, "identifier")
	f.Values[domain.ReturnParam] = returnTo(c, c.FormValue(domain.ReturnParam))
	res, err := h.svc.Auth.SignIn(c.UserContext(), domain.SignInRequest{
		Portal: p, Identifier: f.Value("identifier"), Password: c.FormValue("password"),
		IP: c.IP(), Device: c.Get(fiber.HeaderUserAgent), DeviceToken: c.Cookies(deviceCookie), Kind: domain.SessionWeb,
	})
	vm := pages.SignInVM{Portal: p, Form: f}
	var locked *domain.LockedError
	var invalid *domain.ValidationError
	var wrong *domain.InvalidCredentialsError
	var need *domain.TwoStepRequiredError
	switch {
	case errors.As(err, &need):
		h.keepReturnPath(c, p, f.Value(domain.ReturnParam))
		return h.startTwoStep(c, p, need)
	case err == nil:
		return h.startWebSession(c, p, res, f.Value(domain.ReturnParam))
	case errors.Is(err, domain.ErrInvalidCredentials):
		vm.Failed = true
		if errors.As(err, &wrong) && wrong.LastTry() {
			vm.LastTryMinutes = wrong.LockMinutes
		}
		return h.renderSignIn(c, fiber.StatusUnauthorized, vm)
	case errors.As(err, &locked):
		vm.Locked = h.lockedVM(p, locked)
		h.rememberLock(c, p, locked.Until)
		return h.renderSignIn(c, fiber.StatusLocked, vm)
	case errors.Is(err, domain.ErrTempPasswordExpired):
		vm.Expired = true
		return h.renderSignIn(c, fiber.StatusUnauthorized, vm)
	case errors.As(err, &invalid):
		vm.Form.Errors = fieldErrors(c, err)
		return h.renderSignIn(c, fiber.StatusUnprocessableEntity, vm)
	}
	return err
}

// startWebSession gives the browser the session a finished sign-in (password or passkey)
// started, ending any earlier one, and sends it on: to a forced password change, to the
// page it asked for (next), or home.
func (h *handler) startWebSession(c *fiber.Ctx, p *domain.Portal, res *domain.SignInResult, next string) error {
	if err := h.finishSignIn(c, p, res); err != nil {
		return err
	}
	if res.User.MustChangePassword {
		return redirect(c, domain.WithReturn(domain.ChangePasswordPath(p.Code), p.Code, next))
	}
	if next != "" {
		return redirect(c, next)
	}
	return redirect(c, domain.HomePath(p.Code))
}

func (h *handler) renderSignIn(c *fiber.Ctx, status int, vm pages.SignInVM) error {
	vm.Passkeys = h.svc.Passkeys.Available(vm.Portal)
	topic := ""
	if vm.Locked != nil || vm.SawLock {
		topic = "lockout"
	}
	return h.render(c, status, layouts.Meta{Title: "pages.signin.page_title", TitleArgs: []any{"Portal", vm.Portal.Name}, Narrow: true, HelpTopic: topic}, pages.SignIn(vm))
}

// signOut ends this browser's session.
func (h *handler) signOut(c *fiber.Ctx) error {
	p := portalOf(c)
	if err := h.svc.Auth.SignOut(c.UserContext(), sessionOf(c), c.IP()); err != nil {
		return err
	}
	h.clearSessionCookie(c, p.Code)
	return redirect(c, domain.WithNotice(domain.SignInPath(p.Code), "signed-out"))
}

// setSessionCookie gives the browser its session, scoped to the portal's paths so that
// sessions in two portals never mix.
func (h *handler) setSessionCookie(c *fiber.Ctx, portalCode, token string, expires time.Time) {
	h.rotateCSRF(c)
	h.setCookie(c, sessionCookie, token, domain.PortalPath(portalCode), expires)
}

func (h *handler) clearSessionCookie(c *fiber.Ctx, portalCode string) {
	h.clearCookie(c, sessionCookie, domain.PortalPath(portalCode))
}
