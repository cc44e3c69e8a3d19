package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/pages"
)

// form starts a view's form with the CSRF token and the named fields as typed, cleaned of
// invalid UTF-8 so that they can be shown again safely. Passwords are never echoed.
func (h *handler) form(c *fiber.Ctx, fields ...string) pages.Form {
	f := pages.Form{CSRF: csrfToken(c), Values: map[string]string{}, Errors: map[string]string{}}
	for _, name := range fields {
		f.Values[name] = domain.Truncate(strings.TrimSpace(strings.ToValidUTF8(c.FormValue(name), "")), 254)
	}
	return f
}

// newPassword reads a new password typed twice; invalid UTF-8 is left for the policy to
// refuse with its own message.
func newPassword(c *fiber.Ctx) domain.NewPassword {
	return domain.NewPassword{Password: c.FormValue("password"), Confirm: c.FormValue("confirm")}
}

// fieldErrors returns the per-field messages of a validation error in the request's
// language, or nil.
func fieldErrors(c *fiber.Ctx, err error) map[string]string {
	var v *domain.ValidationError
	if errors.As(err, &v) {
		return v.Text(i18n.FromContext(c.UserContext()))
	}
	return nil
}
