package handlers

import "github.com/gofiber/fiber/v2"

// healthz says the process is alive.
func (h *handler) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

// readyz says whether the database answers, for load balancers; an instance that is
// shutting down says no, so the balancer stops sending it requests first.
func (h *handler) readyz(c *fiber.Ctx) error {
	if h.cfg.Draining != nil && h.cfg.Draining() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("shutting down")
	}
	if err := h.svc.Ready(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	return c.SendString("ready")
}
