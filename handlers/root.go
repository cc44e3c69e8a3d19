package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// root asks for the portal code.
func (h *handler) root(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "pages.root.page_title", Narrow: true}, pages.Root(pages.RootVM{Simulator: h.cfg.Simulator}))
}

// goToPortal sends the browser to the sign-in page of the portal code typed in.
func (h *handler) goToPortal(c *fiber.Ctx) error {
	code := strings.TrimSpace(c.Query("code"))
	p, err := h.svc.Portals.ByCode(c.UserContext(), code)
	if errors.Is(err, domain.ErrNotFound) {
		return h.render(c, fiber.StatusUnprocessableEntity, layouts.Meta{Title: "errors.portal_not_found", Narrow: true},
			pages.Root(pages.RootVM{Code: domain.Truncate(code, 64), Unknown: true, Simulator: h.cfg.Simulator}))
	}
	if err != nil {
		return err
	}
	return c.Redirect(domain.SignInPath(p.Code), fiber.StatusSeeOther)
}

// home greets the signed-in user.
func (h *handler) home(c *fiber.Ctx) error {
	s := sessionOf(c)
	vm := pages.HomeVM{Portal: portalOf(c), User: s.User, Notice: notice(c), Simulator: h.cfg.Simulator}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "pages.home.page_title"}, pages.Home(vm))
}

// notices are the fixed messages a redirect can ask a page to show, as catalogue ids
// (pages.notice.*); nothing from the query string is echoed.
var notices = map[string]bool{
	"signed-out": true, "password-reset": true, "password-changed": true, "others-signed-out": true,
	"session-ended": true, "link-sent": true, "reset-sent": true, "unlocked": true, "signed-out-everywhere": true,
	"email-changed": true, "disabled": true, "enabled": true, "role-saved": true, "role-changed": true,
	"policy-saved": true, "language-saved": true, "device-forgotten": true, "session-signed-out": true,
}

// notice is the catalogue id of the message the redirect asked for, or "".
func notice(c *fiber.Ctx) string {
	if key, ok := twoStepNotices[c.Query("notice")]; ok {
		return key
	}
	if key, ok := passkeyNotices[c.Query("notice")]; ok {
		return key
	}
	if n := c.Query("notice"); notices[n] {
		return "pages.notice." + n
	}
	return ""
}
