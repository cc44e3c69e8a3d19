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

// root asks for the portal code.
func (h *handler) root(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "Choose your portal", Narrow: true}, pages.Root(pages.RootVM{}))
}

// goToPortal sends the browser to the sign-in page of the portal code typed in.
func (h *handler) goToPortal(c *fiber.Ctx) error {
	code := strings.TrimSpace(c.Query("code"))
	p, err := h.svc.Portals.ByCode(c.UserContext(), code)
	if errors.Is(err, domain.ErrNotFound) {
		return h.render(c, fiber.StatusUnprocessableEntity, layouts.Meta{Title: "Portal not found", Narrow: true},
			pages.Root(pages.RootVM{Code: domain.Truncate(code, 64), Unknown: true}))
	}
	if err != nil {
		return err
	}
	return c.Redirect(domain.SignInPath(p.Code), fiber.StatusSeeOther)
}

// home greets the signed-in user.
func (h *handler) home(c *fiber.Ctx) error {
	s := sessionOf(c)
	vm := pages.HomeVM{Portal: portalOf(c), User: s.User, Notice: notice(c)}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "Home"}, pages.Home(vm))
}

// notices are the fixed messages a redirect can ask a page to show; nothing from the
// query string is echoed.
var notices = map[string]string{
	"signed-out":            "You are signed out.",
	"password-reset":        "Your password was changed. Sign in with your new password — in the mobile app too.",
	"password-changed":      "Your password was changed. Your other sessions and the mobile app were signed out.",
	"others-signed-out":     "Your other sessions were signed out.",
	"session-ended":         "Your session ended — you were signed out, for example because your password was changed. Please sign in again.",
	"link-sent":             "Profile created. We e-mailed a link to set a password; it works once.",
	"reset-sent":            "A password reset link was e-mailed to the address on this profile.",
	"unlocked":              "Sign-in is unlocked.",
	"signed-out-everywhere": "Signed out of every browser and the mobile app.",
	"email-changed":         "The e-mail address was changed. Both the old and the new address were told, and pending reset links no longer work.",
	"disabled":              "The account is disabled and signed out everywhere.",
	"enabled":               "The account is enabled again.",
	"role-saved":            "Permissions saved.",
	"role-changed":          "Role changed. It applies from the person's next page.",
	"policy-saved":          "Policy saved. It applies from the next sign-in or password change.",
}

func notice(c *fiber.Ctx) string {
	if key, ok := twoStepNotices[c.Query("notice")]; ok {
		return i18n.T(c.UserContext(), key)
	}
	return notices[c.Query("notice")]
}
