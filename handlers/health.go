package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// healthz says the process is alive.
func (h *handler) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

// readyz says whether the database answers, for load balancers (an instance that is
// shutting down says no, so the balancer stops sending it requests first), with details
// an operator needs: e-mail held back for want of SMTP, and refused password checks.
func (h *handler) readyz(c *fiber.Ctx) error {
	if h.cfg.Draining != nil && h.cfg.Draining() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("shutting down")
	}
	if err := h.svc.Ready(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	body := "ready\n"
	if h.cfg.MailHeld {
		n, err := h.svc.MailBacklog(c.UserContext())
		if err != nil {
			return err
		}
		body += fmt.Sprintf("mail: NOT SENT, no SMTP server is configured; %d e-mail(s) held in the outbox until one is (--smtp)\n", n)
	}
	if h.hasher != nil {
		st := h.hasher.Stats()
		body += fmt.Sprintf("password hashing: %d waiting, %d refused as busy, %d refused over a client's share\n", st.Waiting, st.Busy, h.svc.Admission().Refused())
	}
	return c.SendString(body)
}
