// Package handlers is Watchpost's web layer: the Fiber app, its middleware and one file
// per feature. routes.go lists every route.
package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Config holds the web layer's settings.
type Config struct {
	BaseURL    string // public address; Secure cookies and HSTS when it is https
	DevMailbox bool   // development mode without SMTP: show e-mail at /dev/mailbox
	// Simulator serves the phone simulator (development and demo only: it keeps app
	// tokens in the portal's own localStorage).
	Simulator  bool
	MailHeld   bool // no SMTP: e-mail waits in the outbox (readiness says so)
	CSRFSecret []byte
	// Observer sees every request (metrics); nil sees nothing.
	Observer RequestObserver
	// Metrics answers GET /metrics on the public port to callers that send
	// MetricsToken as a bearer token; without a token /metrics is not served here.
	Metrics      http.Handler
	MetricsToken string
	// ProxyHeader names the header a trusted reverse proxy sets to the client's address
	// (e.g. X-Real-IP), believed only from TrustedProxies (addresses or CIDR ranges).
	// Every per-address rule (sign-in throttle, fair admission, reset limits) keys on it.
	ProxyHeader    string
	TrustedProxies []string
	// RequestLog gets one line per request, and the warnings and errors of requests
	// (busy, database down, failures, panics); nil: slog's default logger.
	RequestLog *slog.Logger
	// Draining tells that the instance is about to shut down (readiness fails).
	Draining func() bool
}

// Deps are the pieces the handlers call: the services only, never the store.
type Deps struct {
	Services *domain.Services
	Hasher   *domain.Argon2Hasher // for its counters (busy answers), when known
	Config   Config
}

// handler holds the dependencies every route uses.
type handler struct {
	svc     *domain.Services
	hasher  *domain.Argon2Hasher
	cfg     Config
	secure  bool
	trusted trustedSet // the trusted proxies (see forwardedFor)
}

// New builds the Fiber app with every route and middleware.
func New(d Deps) *fiber.App {
	if d.Config.RequestLog == nil {
		d.Config.RequestLog = slog.Default()
	}
	h := &handler{svc: d.Services, hasher: d.Hasher, cfg: d.Config, secure: strings.HasPrefix(d.Config.BaseURL, "https://"),
		trusted: newTrustedSet(d.Config.TrustedProxies)}
	app := fiber.New(fiber.Config{
		AppName:                 "Watchpost",
		ErrorHandler:            h.errorHandler,
		BodyLimit:               64 * 1024,
		ReadBufferSize:          16 * 1024,
		ReadTimeout:             15 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             60 * time.Second,
		DisableStartupMessage:   true,
		ProxyHeader:             d.Config.ProxyHeader,
		EnableTrustedProxyCheck: true, // with no trusted proxy, the header is never believed
		TrustedProxies:          d.Config.TrustedProxies,
		EnableIPValidation:      true,
	})
	h.routes(app)
	go assistant() // trained while the first requests are served
	return app
}

// errorHandler turns every error that reaches Fiber into a friendly page (or JSON for
// the APIs), logging the unexpected ones. Internals never reach the user.
func (h *handler) errorHandler(c *fiber.Ctx, err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return c.Status(ae.status).JSON(ae.body())
	}
	if fe, ok := isForbidden(err); ok {
		return h.forbidden(c, fe)
	}
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		return h.throttled(c, throttled)
	}
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	case errors.Is(err, domain.ErrNotFound):
		status = fiber.StatusNotFound
	case errors.Is(err, domain.ErrBusy), errors.Is(err, domain.ErrUnavailable):
		status = fiber.StatusServiceUnavailable
		c.Set(fiber.HeaderRetryAfter, "2")
	}
	switch {
	case errors.Is(err, domain.ErrUnavailable):
		h.cfg.RequestLog.Warn("database unavailable", "id", requestID(c), "route", routeOf(c), "err", err)
	case errors.Is(err, domain.ErrBusy):
		h.cfg.RequestLog.Warn("busy: password hashing refused", "id", requestID(c), "method", c.Method(), "route", routeOf(c), "ip", c.IP())
	case status >= 500:
		h.cfg.RequestLog.Error("request failed", "id", requestID(c), "method", c.Method(), "route", routeOf(c), "err", err)
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Status(status).JSON(fiber.Map{"error": apiErrorCode(status), "message": i18n.T(c.UserContext(), errorKey(status)+".message")})
	}
	return h.errorPage(c, status)
}

func apiErrorCode(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusServiceUnavailable:
		return "busy"
	case fiber.StatusRequestEntityTooLarge:
		return "too_large"
	case fiber.StatusForbidden:
		return "forbidden"
	case fiber.StatusTooManyRequests:
		return "too_many_attempts"
	}
	if status < 500 {
		return "bad_request"
	}
	return "server_error"
}

// throttled answers a client address refused for failing too many sign-ins (password
// spraying): the same answer whatever account was named.
func (h *handler) throttled(c *fiber.Ctx, e *domain.ThrottledError) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.SecondsLeft()))
	ctx := c.UserContext()
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Status(fiber.StatusTooManyRequests).JSON(fiber.Map{
			"error": "too_many_attempts", "message": i18n.T(ctx, "security.throttled.message", "Count", e.MinutesLeft()), "retry_after_seconds": e.SecondsLeft(),
		})
	}
	return h.errorPage(c, fiber.StatusTooManyRequests,
		withMessage(i18n.T(ctx, "security.throttled.title"), i18n.T(ctx, "security.throttled.message", "Count", e.MinutesLeft())), withHelp("lockout"))
}
