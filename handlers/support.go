package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// The vendor support console: read-only portal configuration. It offers, and the domain
// has, no way to touch a password.

// supportHome shows the sign-in form, or the portal list once signed in.
func (h *handler) supportHome(c *fiber.Ctx) error {
	sess, err := h.svc.Support.Session(c.UserContext(), c.Cookies(supportCookie))
	if errors.Is(err, domain.ErrSessionEnded) {
		return h.renderSupportSignIn(c, fiber.StatusOK, h.form(c), "")
	}
	if err != nil {
		return err
	}
	portals, err := h.svc.Support.Portals(c.UserContext())
	if err != nil {
		return err
	}
	vm := pages.SupportVM{Name: sess.SupportUser.DisplayName, Portals: portals, CSRF: csrfToken(c)}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "support.title"}, pages.SupportHome(vm))
}

func (h *handler) renderSupportSignIn(c *fiber.Ctx, status int, f pages.Form, problem string) error {
	return h.render(c, status, layouts.Meta{Title: "support.title", Narrow: true}, pages.SupportSignIn(f, problem))
}

// setSupportCookie starts a support session in this browser (with a new CSRF seed), for
// as long as support sessions last.
func (h *handler) setSupportCookie(c *fiber.Ctx, token string) {
	h.rotateCSRF(c)
	h.setCookie(c, supportCookie, token, domain.SupportPath, h.svc.Clock().Now().Add(h.svc.Support.SessionLife()))
}

// supportSignIn signs a support person in.
func (h *handler) supportSignIn(c *fiber.Ctx) error {
	f := h.form(c, "identifier")
	token, err := h.svc.Support.SignIn(c.UserContext(), domain.SupportSignInRequest{
		Identifier: f.Value("identifier"), Password: c.FormValue("password"), IP: c.IP(),
	})
	var locked *domain.LockedError
	var need *domain.TwoStepRequiredError
	switch {
	case errors.As(err, &need):
		return h.startSupportTwoStep(c, need)
	case err == nil:
		h.setSupportCookie(c, token)
		return redirect(c, domain.SupportPath)
	case errors.Is(err, domain.ErrInvalidCredentials):
		return h.renderSupportSignIn(c, fiber.StatusUnauthorized, f, "support.failed")
	case errors.As(err, &locked):
		return h.renderSupportSignIn(c, fiber.StatusLocked, f, "support.locked")
	case fieldErrors(c, err) != nil:
		return h.renderSupportSignIn(c, fiber.StatusUnprocessableEntity, f, "errors.support.missing")
	}
	return err
}

// requireSupport lets only signed-in support staff through.
func (h *handler) requireSupport(c *fiber.Ctx) error {
	sess, err := h.svc.Support.Session(c.UserContext(), c.Cookies(supportCookie))
	if errors.Is(err, domain.ErrSessionEnded) {
		return redirect(c, domain.SupportPath)
	}
	if err != nil {
		return err
	}
	c.Locals(localSupport, sess)
	return c.Next()
}

// supportSignOut ends the support session.
func (h *handler) supportSignOut(c *fiber.Ctx) error {
	sess, _ := c.Locals(localSupport).(*domain.SupportSession)
	if err := h.svc.Support.SignOut(c.UserContext(), sess); err != nil {
		return err
	}
	h.clearCookie(c, supportCookie, domain.SupportPath)
	return redirect(c, domain.SupportPath)
}

// supportPortal shows one portal's policy, roles and administrators.
func (h *handler) supportPortal(c *fiber.Ctx) error {
	return h.renderSupportPortal(c, fiber.StatusOK, pages.SupportLookupVM{Form: h.form(c)})
}

func (h *handler) renderSupportPortal(c *fiber.Ctx, status int, look pages.SupportLookupVM) error {
	o, err := h.svc.Support.Overview(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	look.PortalCode, look.Now = o.Portal.Code, h.svc.Clock().Now()
	return h.render(c, status, layouts.Meta{Title: "support.portal_title", TitleArgs: []any{"Portal", o.Portal.Name}}, pages.SupportPortal(*o, look))
}

// supportLookUp tells whether one person of the portal is locked or must change their
// password: read-only, and nothing about the password itself.
func (h *handler) supportLookUp(c *fiber.Ctx) error {
	sess, _ := c.Locals(localSupport).(*domain.SupportSession)
	f := h.form(c, "who")
	person, err := h.svc.Support.LookUp(c.UserContext(), sess, c.Params("code"), f.Value("who"), c.IP())
	look := pages.SupportLookupVM{Form: f, Person: person}
	switch {
	case err == nil:
		return h.renderSupportPortal(c, fiber.StatusOK, look)
	case errors.Is(err, domain.ErrNotFound) && person == nil:
		if _, perr := h.svc.Support.Overview(c.UserContext(), c.Params("code")); perr != nil {
			return perr // the portal itself is unknown
		}
		look.NotFound = true
		return h.renderSupportPortal(c, fiber.StatusOK, look)
	case fieldErrors(c, err) != nil:
		return h.renderSupportPortal(c, fiber.StatusUnprocessableEntity, look)
	}
	return err
}
