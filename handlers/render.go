package handlers

import (
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
)

// isFragmentRequest tells whether htmx asked for a part of a page: an htmx request that
// is neither boosted navigation nor a history restore gets only the content.
func isFragmentRequest(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true" && c.Get("HX-History-Restore-Request") != "true"
}

// render is the one place that decides between a whole page and a fragment.
func (h *handler) render(c *fiber.Ctx, status int, m layouts.Meta, content templ.Component) error {
	c.Vary("HX-Request")
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Method() == fiber.MethodPost && len(c.Response().Header.Peek("HX-Replace-Url")) == 0 {
		// A page answering a form post keeps the address bar on the page the form was on,
		// so that a reload shows it again instead of re-posting (unless the handler named
		// the address to show: htmx reads HX-Push-Url before HX-Replace-Url).
		c.Set("HX-Push-Url", "false")
	}
	c.Type("html", "utf-8")
	c.Status(status)
	if isFragmentRequest(c) {
		return content.Render(c.UserContext(), c.Response().BodyWriter())
	}
	return layouts.Page(h.meta(c, m), content).Render(c.UserContext(), c.Response().BodyWriter())
}

// meta fills in what the frame needs from the request.
func (h *handler) meta(c *fiber.Ctx, m layouts.Meta) layouts.Meta {
	m.CSRF = csrfToken(c)
	m.DevMailbox = h.cfg.DevMailbox
	m.Simulator = h.cfg.Simulator
	m.Path = returnPath(c)
	if p := portalOf(c); p != nil {
		m.PortalCode, m.PortalName = p.Code, p.Name
	}
	if s := sessionOf(c); s != nil {
		m.UserName, m.RoleName = s.User.DisplayName, s.User.Role.Name
		h.helpInboxMeta(c, s, &m)
	}
	// Each page gets only the styles it uses: the sign-in, reset and help pages only
	// app.css; signed-in and support pages the administration and two-step styles; the
	// two-step steps of a sign-in the two-step styles.
	path := c.Path()
	staff := m.UserName != "" || strings.HasPrefix(path, domain.SupportPath)
	if staff {
		m.Sheets = append(m.Sheets, "css/admin.css")
	}
	if staff || strings.Contains(path, "/two-step") {
		m.Sheets = append(m.Sheets, "css/twostep.css")
	}
	return m
}

// redirect answers a successful POST: 303 for plain browsers, HX-Redirect for htmx.
func redirect(c *fiber.Ctx, to string) error {
	if c.Get("HX-Request") == "true" {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
