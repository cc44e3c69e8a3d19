package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
)

// returnCookie carries the page to return to across a sign-in's second step.

// returnTo keeps next only when it is a page of this portal (see domain.SafeReturnPath).
func returnTo(c *fiber.Ctx, next string) string {
	safe, _ := domain.SafeReturnPath(portalOf(c).Code, next)
	return safe
}

// keepReturnPath remembers the sign-in form's page to return to while the second step
// is asked, on the sign-in paths only.
func (h *handler) keepReturnPath(c *fiber.Ctx, p *domain.Portal, next string) {
	if next == "" {
		return
	}
	h.setCookie(c, returnCookie, next, domain.SignInPath(p.Code), time.Now().Add(15*time.Minute))
}

// takeReturnPath returns the remembered page (checked again) and forgets it.
func (h *handler) takeReturnPath(c *fiber.Ctx, p *domain.Portal) string {
	v := c.Cookies(returnCookie)
	if v == "" {
		return ""
	}
	h.clearCookie(c, returnCookie, domain.SignInPath(p.Code))
	return returnTo(c, v)
}
