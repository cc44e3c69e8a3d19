package handlers

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

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

// deviceName summarises a web session's User-Agent as "Browser on System" in the
// reader's language, for the sessions list. A stored name that is no User-Agent (one
// written before sessions kept it) is shown as it is.
func deviceName(ctx context.Context, ua string) string {
	if !utf8.ValidString(ua) || ua == "" {
		return i18n.T(ctx, "account.device.unknown")
	}
	if !strings.Contains(ua, "/") {
		return ua
	}
	browser := firstMatch(ua, []string{"Edg/", "Edge"}, "Edge", []string{"Firefox/"}, "Firefox",
		[]string{"Chrome/", "Chromium/"}, "Chrome", []string{"Safari/"}, "Safari", []string{"curl/"}, "curl")
	system := firstMatch(ua, []string{"Android"}, "Android", []string{"iPhone", "iPad"}, "iOS",
		[]string{"Windows"}, "Windows", []string{"Mac OS X", "Macintosh"}, "macOS", []string{"Linux"}, "Linux")
	switch {
	case browser != "" && system != "":
		return i18n.T(ctx, "account.device.browser_on", "Browser", browser, "System", system)
	case browser != "":
		return browser
	case system != "":
		return i18n.T(ctx, "account.device.on", "System", system)
	}
	return domain.Truncate(ua, 60)
}

// firstMatch takes pairs of (substrings, name) and returns the first name whose
// substrings appear in s.
func firstMatch(s string, pairs ...any) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, sub := range pairs[i].([]string) {
			if strings.Contains(s, sub) {
				return pairs[i+1].(string)
			}
		}
	}
	return ""
}
