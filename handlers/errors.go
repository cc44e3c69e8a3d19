package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

type errorCopy struct{ title, message string }

// errorText is the wording for each status a user may see.
func errorText(status int) errorCopy {
	switch status {
	case fiber.StatusNotFound:
		return errorCopy{"Page not found", "There is nothing at this address. Check the link, or start again from the sign-in page."}
	case fiber.StatusUnauthorized:
		return errorCopy{"Please sign in", "Your session has ended. Sign in again to continue."}
	case fiber.StatusForbidden:
		return errorCopy{"Not allowed", "You don't have permission to do that."}
	case fiber.StatusRequestEntityTooLarge:
		return errorCopy{"Too much data", "What you sent is larger than this form accepts. Shorten it and try again."}
	case fiber.StatusTooManyRequests:
		return errorCopy{"Too many requests", "Please wait a minute before trying again."}
	case fiber.StatusServiceUnavailable:
		return errorCopy{"Busy right now", "Many people are signing in at the moment. Please try again in a few seconds."}
	}
	if status < 500 {
		return errorCopy{"Something is wrong with that request", "We could not understand what was sent. Go back, reload the page and try again."}
	}
	return errorCopy{"Something went wrong", "We could not finish that. Nothing was changed; please try again in a moment."}
}

// errorOption changes an error page; topic is the help topic its help link opens on.
type errorOption func(vm *pages.ErrorVM, topic *string)

func withMessage(title, message string) errorOption {
	return func(vm *pages.ErrorVM, _ *string) { vm.Title, vm.Message = title, message }
}

func withHelp(topic string) errorOption {
	return func(_ *pages.ErrorVM, t *string) { *t = topic }
}

// errorPage renders an error page with a way forward.
func (h *handler) errorPage(c *fiber.Ctx, status int, opts ...errorOption) error {
	t := errorText(status)
	vm := pages.ErrorVM{Status: status, Title: t.title, Message: t.message, Action: "Start again", ActionURL: domain.RootPath}
	code, topic := "", ""
	if p := portalOf(c); p != nil {
		code, vm.Action, vm.ActionURL = p.Code, "Go to sign in", domain.SignInPath(p.Code)
	}
	for _, o := range opts {
		o(&vm, &topic)
	}
	vm.HelpURL = domain.HelpPath(code, topic)
	return h.render(c, status, layouts.Meta{Title: vm.Title, Narrow: true}, pages.Error(vm))
}

// unknownPortal explains that no portal has that code.
func (h *handler) unknownPortal(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusNotFound, layouts.Meta{Title: "Portal not found", Narrow: true},
		pages.Root(pages.RootVM{Code: c.Params("portal"), Unknown: true}))
}
