package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// The cookies the site sets, all through setCookie and clearCookie, so they share one set
// of attributes: HttpOnly (no script reads any of them), Secure behind TLS, SameSite=Lax.
//
//	name          path                     lifetime                 holds
//	wp_session    /<portal>                the portal's policy      a web session's token
//	wp_two_step   /<portal>/sign-in        the challenge's          a second step's challenge token
//	              /support/two-step
//	wp_next       /<portal>/sign-in        15 minutes               where to go after signing in
//	wp_lock_seen  /<portal>                until the lock ends      that this browser saw a lock
//	wp_device     /                        a year (DeviceTokenLife) the browser's device token
//	wp_csrf       /                        a year                   the CSRF seed
//	wp_lang       /                        a year                   the language chosen
//	wp_support    /support                 support sessions'        a support session's token
const (
	sessionCookie   = "wp_session"
	challengeCookie = "wp_two_step"
	returnCookie    = "wp_next"
	lockSeenCookie  = "wp_lock_seen"
	deviceCookie    = "wp_device"
	csrfCookie      = "wp_csrf"
	langCookie      = "wp_lang"
	supportCookie   = "wp_support"
)

// yearLong is how long the browser keeps the CSRF seed and the language choice.
const yearLong = 365 * 24 * time.Hour

// setCookie sets one of the site's cookies on path until expires.
func (h *handler) setCookie(c *fiber.Ctx, name, value, path string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: path, Expires: expires,
		HTTPOnly: true, Secure: h.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// clearCookie ends one of the site's cookies on path.
func (h *handler) clearCookie(c *fiber.Ctx, name, path string) {
	h.setCookie(c, name, "", path, time.Unix(0, 0))
}
