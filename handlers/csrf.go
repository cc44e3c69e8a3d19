package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// CSRF protection is a signed double-submit cookie: the browser holds a random value in
// an HttpOnly cookie, and every form carries an HMAC of it under the server secret. A
// forged cross-site request cannot read the cookie, so it cannot produce the HMAC. It
// needs no server-side state (every app instance agrees) and, unlike a Referer check,
// works on pages served with Referrer-Policy: no-referrer.
const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// csrf issues the cookie and checks the token on every state-changing request. The JSON
// APIs are exempt: they only take application/json, which a cross-site form cannot send.
func (h *handler) csrf(c *fiber.Ctx) error {
	seed := c.Cookies(csrfCookie)
	if !validSeed(seed) {
		seed = h.setCSRFSeed(c)
	}
	token := h.csrfSign(seed)
	c.Locals(localCSRF, maskToken(token))
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if strings.HasPrefix(c.Path(), domain.APIPrefix) {
		return c.Next()
	}
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = c.FormValue(csrfField)
	}
	if !hmac.Equal([]byte(unmaskToken(sent)), []byte(token)) {
		l := i18n.FromContext(c.UserContext())
		return h.errorPage(c, fiber.StatusForbidden, withMessage(l.T("errors.csrf.title"), l.T("errors.csrf.message")))
	}
	return c.Next()
}

// setCSRFSeed gives the browser a new seed, and the forms of this response tokens of it.
func (h *handler) setCSRFSeed(c *fiber.Ctx) string {
	seed := newSeed()
	h.setCookie(c, csrfCookie, seed, "/", time.Now().Add(yearLong))
	c.Locals(localCSRF, maskToken(h.csrfSign(seed)))
	return seed
}

// rotateCSRF replaces the seed when a session starts: a seed someone planted or learned
// before the sign-in (the token is bound to it, not to the session) forges nothing after.
func (h *handler) rotateCSRF(c *fiber.Ctx) { h.setCSRFSeed(c) }

func (h *handler) csrfSign(seed string) string {
	m := hmac.New(sha256.New, h.cfg.CSRFSecret)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// maskToken hides the token under a fresh random pad on every page: compressed pages
// that also echo typed input would otherwise let an observer guess a fixed secret from
// the response sizes (BREACH).
func maskToken(token string) string {
	pad := make([]byte, len(token))
	_, _ = rand.Read(pad)
	out := make([]byte, 2*len(token))
	copy(out, pad)
	for i := range token {
		out[len(token)+i] = pad[i] ^ token[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmaskToken undoes maskToken; anything malformed gives "".
func unmaskToken(sent string) string {
	b, err := base64.RawURLEncoding.DecodeString(sent)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return ""
	}
	n := len(b) / 2
	out := make([]byte, n)
	for i := range n {
		out[i] = b[i] ^ b[n+i]
	}
	return string(out)
}

func newSeed() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func validSeed(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// csrfToken is the token forms on this response must carry.
func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(localCSRF).(string)
	return t
}
