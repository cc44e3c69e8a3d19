package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
)

// The device cookie holds the browser's device token (see domain/devices.go): one per
// browser, for every portal and person, set only once a sign-in finished. It tells
// nothing about accounts: a browser that never signed in has none.

// finishSignIn ends a sign-in that passed every step (password, and second step where
// one is due): the browser's old session goes, and the new session and the device token
// are set. The caller picks the next page.
func (h *handler) finishSignIn(c *fiber.Ctx, p *domain.Portal, res *domain.SignInResult) error {
	if err := h.svc.Auth.Discard(c.UserContext(), p.ID, c.Cookies(sessionCookie)); err != nil {
		return err
	}
	h.setSessionCookie(c, p.Code, res.Token, res.Session.ExpiresAt)
	h.setCookie(c, deviceCookie, res.DeviceToken, "/", h.svc.Clock().Now().Add(domain.DeviceTokenLife))
	return nil
}
