package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// mobileHelpAsk is the app's "Ask my administrator for help".
type mobileHelpAsk struct {
	Portal   string `json:"portal"`
	Username string `json:"username"`
	Problem  string `json:"problem"`
	Message  string `json:"message"`
	Phone    string `json:"phone"`
}

// mobileAskHelp is POST /api/mobile/v1/help-requests. Like the web form it answers the
// same way (202, a reference and a request code) whether or not the username names an
// account. The app has no waiting page: the person redeems the pass their helper reads
// out on the web page at redeem_url.
func (h *handler) mobileAskHelp(c *fiber.Ctx) error {
	var in mobileHelpAsk
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.mobilePortal(c, in.Portal)
	if err != nil {
		return err
	}
	t, err := h.svc.Recovery.Ask(c.UserContext(), p, domain.HelpAsk{Identifier: strings.ToValidUTF8(in.Username, ""), Problem: in.Problem,
		Message: strings.ToValidUTF8(in.Message, ""), Phone: in.Phone, IP: c.IP()})
	if ve := fieldErrors(c, err); ve != nil {
		return apiFail(fiber.StatusBadRequest, "invalid_fields", i18n.T(c.UserContext(), "mobile.api.missing_fields"), fiber.Map{"fields": ve})
	}
	if err != nil {
		return err
	}
	l := i18n.FromContext(c.UserContext())
	c.Set(fiber.HeaderCacheControl, "no-store") // the body carries the request code
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{
		"reference": t.Reference, "request_code": t.Code, "expires_at": t.ExpiresAt,
		"message":    l.T("recovery.api.asked"),
		"redeem_url": domain.AbsoluteURL(h.cfg.BaseURL, domain.RecoverPath(p.Code, "")),
	})
}
