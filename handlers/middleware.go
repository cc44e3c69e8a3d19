package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// recoverPanics turns a panic into the generic error page and a log line with the stack.
func (h *handler) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			h.cfg.RequestLog.Error("panic", "id", requestID(c), "route", routeOf(c), "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

// rejectNUL refuses a request with a NUL character in its query or body, raw or
// percent-encoded (or escaped in JSON), with a clear 400: no field accepts one, and
// PostgreSQL cannot store one, which used to end in a 500.
func (h *handler) rejectNUL(c *fiber.Ctx) error {
	if !hasNUL(c.Request().URI().QueryString(), false) && !hasNUL(c.Body(), strings.Contains(c.Get(fiber.HeaderContentType), "json")) &&
		!hasNUL([]byte(c.Path()), false) {
		return c.Next()
	}
	msg := i18n.T(c.UserContext(), "security.input.nul")
	if strings.HasPrefix(c.Path(), domain.APIPrefix) {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "bad_input", "message": msg})
	}
	return h.errorPage(c, fiber.StatusBadRequest, withMessage(i18n.T(c.UserContext(), "security.input.title"), msg))
}

// rejectTwoLengths refuses a request that carries Content-Length more than once: the web
// server takes the last one, and a proxy in front that takes the first would read
// another request into the body (request smuggling). A plain 400, nothing else read.
func rejectTwoLengths(c *fiber.Ctx) error {
	n := 0
	for line := range bytes.SplitSeq(c.Request().Header.RawHeaders(), []byte("\n")) {
		if name, _, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderContentLength)) {
			n++
		}
	}
	if n > 1 {
		c.Set(fiber.HeaderConnection, "close")
		return c.Status(fiber.StatusBadRequest).SendString("400 Bad Request: Content-Length sent more than once")
	}
	return c.Next()
}

// hasNUL looks for a NUL byte, "%00", or (in JSON) an unescaped "\u0000".
func hasNUL(b []byte, json bool) bool {
	if bytes.IndexByte(b, 0) >= 0 || bytes.Contains(b, []byte("%00")) {
		return true
	}
	if !json {
		return false
	}
	for i := bytes.Index(b, []byte(`\u0000`)); i >= 0; {
		slashes := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 0 { // the backslash before u0000 is itself not escaped
			return true
		}
		next := bytes.Index(b[i+1:], []byte(`\u0000`))
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// securityHeaders sets the headers every response carries.
func securityHeaders(secure bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Referrer-Policy", "same-origin")
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if secure {
			c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return c.Next()
	}
}

// loadPortal resolves the portal named by the first path segment.
func (h *handler) loadPortal(c *fiber.Ctx) error {
	p, err := h.svc.Portals.ByCode(c.UserContext(), c.Params("portal"))
	if errors.Is(err, domain.ErrNotFound) {
		return h.unknownPortal(c)
	}
	if err != nil {
		return err
	}
	c.Locals(localPortal, p)
	h.setLanguage(c)
	return c.Next()
}

// requireUser lets only signed-in users of this portal through. Unless allowPending,
// a user who must change their password is sent to do that first.
func (h *handler) requireUser(allowPending bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := portalOf(c)
		s, err := h.svc.Auth.Session(c.UserContext(), c.Cookies(sessionCookie), domain.SessionWeb)
		if err == nil && s.PortalID != p.ID {
			err = domain.ErrSessionEnded
		}
		if errors.Is(err, domain.ErrSessionEnded) {
			ended := c.Cookies(sessionCookie) != "" // signed out elsewhere or timed out: say so
			if ended {
				h.clearSessionCookie(c, p.Code)
			}
			if c.Method() != fiber.MethodGet {
				return h.errorPage(c, fiber.StatusUnauthorized)
			}
			// Sign-in then goes on to the page asked for.
			to := domain.SignInReturnPath(p.Code, c.OriginalURL())
			if ended {
				to = domain.WithNotice(to, "session-ended")
			}
			return redirect(c, to)
		}
		if err != nil {
			return err
		}
		if p.Policy.SecondStepDue(s) { // the role requires two-step since: sign in, then enrol
			if err := h.svc.Auth.Discard(c.UserContext(), p.ID, c.Cookies(sessionCookie)); err != nil {
				return err
			}
			h.clearSessionCookie(c, p.Code)
			return redirect(c, domain.WithNotice(domain.SignInPath(p.Code), "two-step-due"))
		}
		c.Locals(localSession, s)
		h.setLanguage(c)
		// E-mail follows the language a person last used (domain.LanguageOf).
		if err := h.svc.Auth.NoteLanguage(c.UserContext(), s); err != nil {
			return err
		}
		if s.User.MustChangePassword && !allowPending {
			return redirect(c, domain.ChangePasswordPath(p.Code))
		}
		return c.Next()
	}
}

// devOnly hides the development pages whenever real e-mail is configured.
func (h *handler) devOnly(c *fiber.Ctx) error {
	if !h.cfg.DevMailbox {
		return fiber.ErrNotFound
	}
	return c.Next()
}

type localKey int

const (
	localPortal localKey = iota
	localSession
	localCSRF
	localSupport
	localTwoStepProblem
)

func portalOf(c *fiber.Ctx) *domain.Portal {
	p, _ := c.Locals(localPortal).(*domain.Portal)
	return p
}

func sessionOf(c *fiber.Ctx) *domain.Session {
	s, _ := c.Locals(localSession).(*domain.Session)
	return s
}
