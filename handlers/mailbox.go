package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// mailbox shows the development mailbox, with one message open when its id is given.
func (h *handler) mailbox(c *fiber.Ctx) error {
	msgs, err := h.svc.Mailbox.Messages(c.UserContext(), 100)
	if err != nil {
		return err
	}
	vm := pages.MailboxVM{Messages: msgs}
	if id, err := c.ParamsInt("id"); err == nil && id > 0 {
		m, err := h.svc.Mailbox.Message(c.UserContext(), int64(id))
		if err != nil {
			return err
		}
		vm.Open = m
	} else if len(msgs) > 0 {
		vm.Open = &msgs[0]
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "common.footer.dev_mailbox"}, pages.Mailbox(vm))
}
