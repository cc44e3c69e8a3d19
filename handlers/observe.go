package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// RequestObserver sees every finished request (the server counts them in its metrics).
type RequestObserver interface {
	Request(method, route string, status int, d time.Duration)
}

// requestIDHeader carries the request id both ways: a load balancer's id is kept, and
// every answer names its id, so a user's report finds its log line.
const requestIDHeader = "X-Request-Id"

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

const localRequestID localKey = 100

// observe writes one log line per request and feeds the metrics. It names the route
// pattern, never the raw path or query: those can hold reset tokens.
func (h *handler) observe(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get(requestIDHeader)
	if !requestIDRe.MatchString(id) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(requestIDHeader, id)
	if err := c.Next(); err != nil {
		// Render the error here, so the status logged is the one sent.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	method := c.Method()
	status, d, route := c.Response().StatusCode(), time.Since(start), routeOf(c)
	if h.cfg.Observer != nil {
		h.cfg.Observer.Request(method, route, status, d)
	}
	h.cfg.RequestLog.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("id", id), slog.String("method", method), slog.String("route", route),
		slog.Int("status", status), slog.Duration("duration", d))
	return nil
}

// routeOf is the pattern of the route that answered, or "unmatched" when only
// middleware ran (a 404 outside every route).
func routeOf(c *fiber.Ctx) string {
	r := c.Route()
	if r == nil || r.Path == "/" && c.Path() != "/" {
		return "unmatched"
	}
	return r.Path
}

// requestID is the id of the request in hand, for log lines.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// metrics serves GET /metrics on the public port only to a caller holding the bearer
// token set in the configuration; without a token it is not served here at all (the
// server may serve it on a separate address).
func (h *handler) metrics(c *fiber.Ctx) error {
	if h.cfg.Metrics == nil || h.cfg.MetricsToken == "" {
		return fiber.ErrNotFound
	}
	got, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.cfg.MetricsToken)) != 1 {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return c.Status(fiber.StatusUnauthorized).SendString("metrics need the bearer token from the configuration\n")
	}
	return adaptor.HTTPHandler(h.cfg.Metrics)(c)
}
