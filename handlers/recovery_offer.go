package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/pages"
)

// recoveryOffer is the profile's "Issue a recovery pass" offer for a helper who may
// handle target's requests (nil otherwise), with target's open request if any.
func (h *handler) recoveryOffer(c *fiber.Ctx, p *domain.Portal, actor, target *domain.User) (*pages.RecoveryOfferVM, error) {
	open, ok, err := h.svc.Recovery.OpenCaseOf(c.UserContext(), p, actor, target)
	if err != nil || !ok {
		return nil, err
	}
	return &pages.RecoveryOfferVM{AskURL: domain.AbsoluteURL(h.cfg.BaseURL, domain.AskHelpPath(p.Code)), Open: open}, nil
}
