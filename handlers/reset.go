package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// forgotPage asks which account to reset.
func (h *handler) forgotPage(c *fiber.Ctx) error {
	f := h.form(c)
	f.Values["identifier"] = domain.Truncate(c.Query(domain.IdentifierParam), 254) // from the app
	vm := pages.ForgotVM{Portal: portalOf(c), Form: f, Expired: c.Query("expired") == "1"}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "pages.forgot.title", Narrow: true, HelpTopic: "forgot_password"}, pages.Forgot(vm))
}

// forgot e-mails a reset link when an account matches, and answers the same either way.
func (h *handler) forgot(c *fiber.Ctx) error {
	p := portalOf(c)
	f := h.form(c, "identifier")
	vm := pages.ForgotVM{Portal: p, Form: f, Minutes: p.Policy.ResetLinkMinutes, ResendAfter: h.svc.Reset.ResendAfter()}
	err := h.svc.Reset.Request(c.UserContext(), p, f.Value("identifier"), c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		vm.Form.Errors = fe
		return h.render(c, fiber.StatusUnprocessableEntity, layouts.Meta{Title: "pages.forgot.title", Narrow: true}, pages.Forgot(vm))
	}
	if err != nil {
		return err
	}
	vm.Sent = true
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "pages.forgot.sent_title", Narrow: true, HelpTopic: "reset_email"}, pages.Forgot(vm))
}

// resetPage opens an e-mailed link. The page carries the token, so it is never sent on
// as a Referer.
func (h *handler) resetPage(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	p := portalOf(c)
	user, err := h.svc.Reset.Check(c.UserContext(), p, c.Params("token"))
	if err != nil {
		return h.linkError(c, err)
	}
	return h.renderReset(c, fiber.StatusOK, user, h.form(c))
}

// reset sets the new password through the link.
func (h *handler) reset(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	p := portalOf(c)
	token := c.Params("token")
	user, err := h.svc.Reset.Complete(c.UserContext(), p, token, newPassword(c), c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		user, cerr := h.svc.Reset.Check(c.UserContext(), p, token)
		if cerr != nil {
			return h.linkError(c, cerr)
		}
		f := h.form(c)
		f.Errors = fe
		return h.renderReset(c, fiber.StatusUnprocessableEntity, user, f)
	}
	if err != nil {
		return h.linkError(c, err)
	}
	return redirect(c, domain.WithIdentifier(domain.WithNotice(domain.SignInPath(p.Code), "password-reset"), user.Username))
}

func (h *handler) renderReset(c *fiber.Ctx, status int, user *domain.User, f pages.Form) error {
	p := portalOf(c)
	vm := pages.ResetVM{Portal: p, User: user, Token: c.Params("token"), Form: f, MinLength: p.Policy.MinLength}
	return h.render(c, status, layouts.Meta{Title: "pages.reset.title", Narrow: true, HelpTopic: "password_reuse"}, pages.Reset(vm))
}

// linkError explains an unusable link (410 Gone) and offers a new one.
func (h *handler) linkError(c *fiber.Ctx, err error) error {
	if !errors.Is(err, domain.ErrInvalidToken) {
		return err
	}
	p := portalOf(c)
	return h.render(c, fiber.StatusGone, layouts.Meta{Title: "pages.link_invalid.page_title", Narrow: true, HelpTopic: "reset_email"}, pages.LinkInvalid(p))
}

// passwordFeedback is the live hint while a new password is typed (htmx).
func (h *handler) passwordFeedback(c *fiber.Ctx) error {
	p := portalOf(c)
	pc := domain.PasswordContext{}
	pw := c.FormValue("password")
	if s, err := h.svc.Auth.Session(c.UserContext(), c.Cookies(sessionCookie), domain.SessionWeb); err == nil && s.PortalID == p.ID {
		// The account form's current password, as typed there: the hint warns of a
		// near-miss of it as the save will (it is compared with the typed new one only,
		// never checked against the stored hash here).
		pc.Username, pc.Email, pc.Current = s.User.Username, s.User.Email, c.FormValue("current")
	} else if u, err := h.svc.Reset.Check(c.UserContext(), p, c.FormValue("token")); err == nil {
		pc.Username, pc.Email = u.Username, u.Email
	}
	// The history (current and earlier passwords) is checked on save only, through the
	// lockout: a live check against the stored hashes was an uncounted oracle for them.
	fb := domain.CheckPasswordFeedback(pw, p.Policy.MinLength, pc)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return pages.PasswordFeedback(fb, pages.HistoryRule{Depth: p.Policy.HistoryDepth}).Render(c.UserContext(), c.Response().BodyWriter())
}
