package handlers

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// langCookie holds the language switcher's choice.

// language gives every request its language and time zone before anything renders; the
// portal and session middleware refine it once they know more (setLanguage).
func (h *handler) language(c *fiber.Ctx) error {
	h.setLanguage(c)
	return c.Next()
}

// setLanguage puts the request's language in its context, in PRODUCT.md's order: the
// person's saved preference, else the switcher's cookie, else Accept-Language, else the
// portal's default language; and the portal's time zone. The mobile API has no cookie
// of its own: it follows Accept-Language. Unknown values fall through quietly.
func (h *handler) setLanguage(c *fiber.Ctx) {
	saved, cookie, portalDefault := "", "", ""
	zone := time.UTC
	if s := sessionOf(c); s != nil && s.User != nil {
		saved = s.User.Language
	}
	if p := portalOf(c); p != nil {
		portalDefault, zone = p.Policy.Language, p.Zone()
	}
	if !strings.HasPrefix(c.Path(), domain.APIPrefix) {
		cookie = c.Cookies(langCookie)
	}
	l := i18n.Negotiate(saved, cookie, c.Get(fiber.HeaderAcceptLanguage), portalDefault)
	c.SetUserContext(i18n.WithZone(i18n.WithLang(c.UserContext(), l), zone))
	c.Set(fiber.HeaderContentLanguage, string(l))
}

// switchLanguage is the language switcher in the page frame (a plain form, no script):
// it keeps the choice in a cookie and, for a signed-in person, as their saved
// preference, then returns to the page it came from.
func (h *handler) switchLanguage(c *fiber.Ctx) error {
	l, ok := i18n.Parse(c.FormValue("lang"))
	if ok && l != i18n.Pseudo {
		h.setCookie(c, langCookie, string(l), "/", time.Now().Add(yearLong))
		if p := portalOf(c); p != nil {
			s, err := h.svc.Auth.Session(c.UserContext(), c.Cookies(sessionCookie), domain.SessionWeb)
			if err == nil && s.PortalID == p.ID {
				if err := h.svc.Auth.SetLanguage(c.UserContext(), s, string(l)); err != nil {
					return err
				}
			}
		}
	}
	return c.Redirect(localPath(c.FormValue("next")), fiber.StatusSeeOther)
}

// saveLanguage is the account page's language control ("" follows the browser).
func (h *handler) saveLanguage(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	err := h.svc.Auth.SetLanguage(c.UserContext(), s, c.FormValue("language"))
	if fe := fieldErrors(c, err); fe != nil {
		f := h.form(c)
		f.Errors = fe
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.AccountPath(p.Code), "language-saved"))
}

// localPath keeps a redirect target on this site: a path, never another host.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return u.RequestURI()
}

// returnPath is where the switcher comes back to: this page, or for an answer to a form
// post the page the form was on.
func returnPath(c *fiber.Ctx) string {
	if c.Method() == fiber.MethodGet {
		return c.OriginalURL()
	}
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && ref.Host == c.Hostname() {
		return ref.RequestURI()
	}
	return "/"
}
