// Package handlers is Watchpost's web layer: the Fiber app, its middleware and one file
// per feature. routes.go lists every route.
package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/bot"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/views/pages"
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
	Hasher   *passwordhash.Pool // for its counters (busy answers), when known
	// Bot is the help assistant's conversation use-case; nil builds it over
	// Services.Help with the embedded models.
	Bot    *bot.Service
	Config Config
}

// handler holds the dependencies every route uses.
type handler struct {
	svc     *domain.Services
	bot     *bot.Service
	hasher  *passwordhash.Pool
	cfg     Config
	secure  bool
	trusted trustedSet // the trusted proxies (see forwardedFor)
}

// New builds the Fiber app with every route and middleware.
func New(d Deps) *fiber.App {
	if d.Config.RequestLog == nil {
		d.Config.RequestLog = slog.Default()
	}
	if d.Bot == nil {
		d.Bot = bot.NewService(sharedAssistant(), d.Services.Help, pages.HelpArticlePath)
	}
	h := &handler{svc: d.Services, bot: d.Bot, hasher: d.Hasher, cfg: d.Config, secure: strings.HasPrefix(d.Config.BaseURL, "https://"),
		trusted: newTrustedSet(d.Config.TrustedProxies)}
	app := fiber.New(fiber.Config{
		AppName: "Watchpost",
		// Strings from the request (params, form values, headers) are copies, so the
		// domain may keep them (caches, admission keys) past the request.
		Immutable:               true,
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
	return app
}

// errorHandler turns every error that reaches Fiber into a friendly page (or JSON for
// the APIs), logging the unexpected ones. Internals never reach the user.
func (h *handler) errorHandler(c *fiber.Ctx, err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return c.Status(ae.status).JSON(ae.body())
	}
	if fe, ok := isForbidden(err); ok && !isAPI(c) {
		return h.forbidden(c, fe)
	}
	out, known := outcomeOf(err)
	var fe *fiber.Error
	switch {
	case known:
	case errors.As(err, &fe):
		out = outcome{Status: fe.Code, APIStatus: fe.Code, Code: apiErrorCode(fe.Code)}
	default:
		out = outcome{Status: fiber.StatusInternalServerError, APIStatus: fiber.StatusInternalServerError, Code: apiErrorCode(fiber.StatusInternalServerError)}
	}
	h.logError(c, err, out.Status)
	out.setRetryAfter(c)
	l := i18n.FromContext(c.UserContext())
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		out.Args = append(out.Args, "Time", i18n.Clock(c.UserContext(), throttled.Until))
	}
	message := l.T(errorKey(out.APIStatus) + ".message")
	if out.Message != "" {
		message = l.T(out.Message, out.Args...)
	}
	if isAPI(c) {
		body := fiber.Map{"error": out.Code, "message": message}
		if out.RetryAfter > 0 && out.Status == fiber.StatusTooManyRequests {
			body["retry_after_seconds"] = out.RetryAfter
		}
		return c.Status(out.APIStatus).JSON(body)
	}
	opts := []errorOption{withHelp(out.Topic)}
	if throttled != nil {
		opts = append(opts, withMessage(l.T("security.throttled.title"), message))
	}
	return h.errorPage(c, out.Status, opts...)
}

// logError logs what the operators must hear of: the database down, a busy hash pool,
// and every failure.
func (h *handler) logError(c *fiber.Ctx, err error, status int) {
	switch {
	case errors.Is(err, domain.ErrUnavailable):
		h.cfg.RequestLog.Warn("database unavailable", "id", requestID(c), "route", routeOf(c), "err", err)
	case errors.Is(err, domain.ErrBusy):
		h.cfg.RequestLog.Warn("busy: password hashing refused", "id", requestID(c), "method", c.Method(), "route", routeOf(c), "ip", c.IP())
	case status >= 500:
		h.cfg.RequestLog.Error("request failed", "id", requestID(c), "method", c.Method(), "route", routeOf(c), "err", err)
	}
}

// isAPI tells a request of the JSON APIs (mobile and help) from a page's.
func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), domain.APIPrefix) }

// apiErrorCode is the API's error code for a status no domain error gave (Fiber's own:
// no such route, a body too large).
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
