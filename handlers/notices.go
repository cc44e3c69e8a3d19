package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// The links in security notices: "unlock" (lockout e-mail) and "this wasn't me". Opening
// one shows what it will do; only the confirming post uses it.

func (h *handler) unlockPage(c *fiber.Ctx) error { return h.noticeLinkPage(c, domain.NoticeUnlock) }
func (h *handler) notMePage(c *fiber.Ctx) error  { return h.noticeLinkPage(c, domain.NoticeNotMe) }

func (h *handler) noticeLinkPage(c *fiber.Ctx, purpose domain.NoticePurpose) error {
	p := portalOf(c)
	vm := pages.NoticeLinkVM{Portal: p, CSRF: csrfToken(c), Kind: string(purpose), Action: c.Path()}
	holder, err := h.svc.Notices.Peek(c.UserContext(), p, c.Params("token"), purpose)
	if errors.Is(err, domain.ErrLinkEnded) {
		vm.Ended = true
		return h.renderNoticeLink(c, fiber.StatusGone, vm)
	}
	if err != nil {
		return err
	}
	vm.Name = holder.User.DisplayName
	return h.renderNoticeLink(c, fiber.StatusOK, vm)
}

// unlock ends a lock from the lockout e-mail's link.
func (h *handler) unlock(c *fiber.Ctx) error {
	p := portalOf(c)
	vm := pages.NoticeLinkVM{Portal: p, Kind: string(domain.NoticeUnlock)}
	_, err := h.svc.Notices.Unlock(c.UserContext(), p, c.Params("token"), c.IP())
	return h.noticeLinkDone(c, vm, err)
}

// notMe secures the account from a notice's "this wasn't me" link.
func (h *handler) notMe(c *fiber.Ctx) error {
	p := portalOf(c)
	vm := pages.NoticeLinkVM{Portal: p, Kind: string(domain.NoticeNotMe)}
	var err error
	vm.SentTo, err = h.svc.Notices.NotMe(c.UserContext(), p, c.Params("token"), c.IP())
	if err == nil {
		h.clearSessionCookie(c, p.Code)
	}
	return h.noticeLinkDone(c, vm, err)
}

func (h *handler) noticeLinkDone(c *fiber.Ctx, vm pages.NoticeLinkVM, err error) error {
	if errors.Is(err, domain.ErrLinkEnded) {
		vm.Ended = true
		return h.renderNoticeLink(c, fiber.StatusGone, vm)
	}
	if err != nil {
		return err
	}
	vm.Done = true
	return h.renderNoticeLink(c, fiber.StatusOK, vm)
}

func (h *handler) renderNoticeLink(c *fiber.Ctx, status int, vm pages.NoticeLinkVM) error {
	title := "devices.unlock.title"
	if vm.Kind == string(domain.NoticeNotMe) {
		title = "devices.not_me.title"
	}
	c.Set("Referrer-Policy", "no-referrer") // the address carries the link's secret
	return h.render(c, status, layouts.Meta{Title: title, Narrow: true}, pages.NoticeLink(vm))
}
