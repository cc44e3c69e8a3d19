package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// errorKey is the catalogue key (errors.STATUS.title and .message) of the wording for
// each status a user may see.
func errorKey(status int) string {
	switch status {
	case fiber.StatusNotFound, fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusRequestEntityTooLarge,
		fiber.StatusTooManyRequests, fiber.StatusServiceUnavailable:
		return "errors." + strconv.Itoa(status)
	}
	if status < 500 {
		return "errors.400"
	}
	return "errors.500"
}

// errorOption changes an error page; topic is the help topic its help link opens on.
type errorOption func(vm *pages.ErrorVM, topic *string)

// withMessage replaces the title and message with texts already in the reader's language.
func withMessage(title, message string) errorOption {
	return func(vm *pages.ErrorVM, _ *string) { vm.Title, vm.Message = title, message }
}

func withHelp(topic string) errorOption {
	return func(_ *pages.ErrorVM, t *string) { *t = topic }
}

// errorPage renders an error page with a way forward.
func (h *handler) errorPage(c *fiber.Ctx, status int, opts ...errorOption) error {
	l := i18n.FromContext(c.UserContext())
	key := errorKey(status)
	vm := pages.ErrorVM{Status: status, Title: l.T(key + ".title"), Message: l.T(key + ".message"),
		Action: l.T("errors.page.start_again"), ActionURL: domain.RootPath}
	code, topic := "", ""
	if p := portalOf(c); p != nil {
		code, vm.Action, vm.ActionURL = p.Code, l.T("errors.page.go_sign_in"), domain.SignInPath(p.Code)
		if sessionOf(c) != nil { // signed in already: the way forward is home
			vm.Action, vm.ActionURL = l.T("screens.forbidden.home"), domain.HomePath(p.Code)
		}
	}
	for _, o := range opts {
		o(&vm, &topic)
	}
	vm.HelpURL = domain.HelpPath(code, topic)
	return h.render(c, status, layouts.Meta{Title: "errors.page.title", TitleArgs: []any{"Title", vm.Title}, Narrow: true}, pages.Error(vm))
}

// unknownPortal explains that no portal has that code.
func (h *handler) unknownPortal(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusNotFound, layouts.Meta{Title: "errors.portal_not_found", Narrow: true},
		pages.Root(pages.RootVM{Code: c.Params("portal"), Unknown: true, Simulator: h.cfg.Simulator}))
}
