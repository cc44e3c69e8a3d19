package handlers

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
)

// helpInboxMeta links the help-request inbox, with its count, for people whose role
// handles help requests. A failure to count leaves the link without a number rather
// than failing the page.
func (h *handler) helpInboxMeta(c *fiber.Ctx, s *domain.Session, m *layouts.Meta) {
	p := portalOf(c)
	if p == nil || !s.User.Role.Has(domain.PermHandleHelp) {
		return
	}
	n, err := h.svc.Recovery.InboxCount(c.UserContext(), p, s.User)
	if err != nil {
		slog.WarnContext(c.UserContext(), "help inbox count", "err", err)
	}
	m.HelpInbox, m.HelpWaiting = domain.HelpRequestsPath(p.Code), n
}
