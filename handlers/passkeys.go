package handlers

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/pages"
)

// Passkeys on the web: the account page's section (add, remove) and the sign-in page's
// button and autofill. Each ceremony begins with a small JSON request (assets/js/
// passkeys.js asks for the options and calls navigator.credentials) and finishes with a
// plain form post carrying the browser's answer, so the answer ends like any other form:
// a redirect, or the page again with a message.

// passkeyProblemKey holds, for the account page rendered after a refused passkey change,
// what went wrong (a catalogue key).
type passkeyProblemKey struct{}

// passkeyNotices are the fixed messages of the passkey redirects (catalogue keys).
var passkeyNotices = map[string]string{
	"passkey-added":         "passkeys.notice.added",
	"passkey-removed":       "passkeys.notice.removed",
	"passkeys-removed":      "passkeys.notice.removed_admin",
	"passkeys-none":         "passkeys.notice.none",
	"passkey-sign-in-ended": "passkeys.error.ended",
}

// passkeyProblem is the message and status of an error of a passkey ceremony ("" for an
// unexpected error).
func passkeyProblem(err error) (string, int) {
	if errors.As(err, new(*domain.LockedError)) {
		return "twostep.error.locked", fiber.StatusLocked
	}
	return twoStepProblem(err)
}

// passkeyJSON answers a ceremony's beginning: its flow and options, or why not.
func (h *handler) passkeyJSON(c *fiber.Ctx, start *domain.PasskeyStart, err error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err == nil {
		return c.JSON(fiber.Map{"flow": start.Flow, "options": start.Options})
	}
	if fe := fieldErrors(c, err); fe != nil {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": firstOf(fe), "fields": fe})
	}
	key, status := passkeyProblem(err)
	var args []any
	if out, ok := outcomeOf(err); ok {
		out.setRetryAfter(c)
		if key == "" && out.Message != "" && out.Status < 500 {
			key, status, args = out.Message, out.Status, out.Args // a throttle
		}
	}
	if key == "" {
		return err
	}
	return c.Status(status).JSON(fiber.Map{"error": i18n.T(c.UserContext(), key, args...)})
}

func firstOf(m map[string]string) string {
	for _, k := range []string{"name", "passkey-password", "passkey-code"} {
		if m[k] != "" {
			return m[k]
		}
	}
	for _, v := range m {
		return v
	}
	return ""
}

// passkeysPanel is the account page's passkeys section.
func (h *handler) passkeysPanel(c *fiber.Ctx, enrolled bool) (pages.PasskeysPanelVM, error) {
	s, p := sessionOf(c), portalOf(c)
	problem, _ := c.Locals(passkeyProblemKey{}).(string)
	vm := pages.PasskeysPanelVM{PortalCode: p.Code, CSRF: csrfToken(c), Site: h.svc.Passkeys.SiteReady(), Available: h.svc.Passkeys.Available(p), Enrolled: enrolled, Problem: problem}
	var err error
	vm.Keys, err = h.svc.Passkeys.List(c.UserContext(), p, s.User)
	return vm, err
}

// beginPasskey checks the person (password, and a code where they use two-step) and
// answers the options to create a passkey with.
func (h *handler) beginPasskey(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	start, err := h.svc.Passkeys.BeginRegistration(c.UserContext(), p, s, c.FormValue("passkey-name"), reauth(c, "passkey"), c.IP())
	return h.passkeyJSON(c, start, err)
}

// addPasskey stores the passkey the browser created.
func (h *handler) addPasskey(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	response := c.FormValue("credential")
	if response == "" {
		return h.renderAccountPasskeys(c, fiber.StatusUnprocessableEntity, "passkeys.account.no_script")
	}
	_, err := h.svc.Passkeys.FinishRegistration(c.UserContext(), p, s, c.FormValue("flow"), []byte(response), c.IP())
	if err != nil {
		key, status := passkeyProblem(err)
		if errors.Is(err, domain.ErrPasskeyRefused) {
			key = "passkeys.error.not_created"
		}
		if key == "" {
			return err
		}
		return h.renderAccountPasskeys(c, status, key)
	}
	return redirect(c, domain.WithSection(domain.WithNotice(domain.AccountPath(p.Code), "passkey-added"), "passkeys"))
}

// removePasskey removes one of the person's own passkeys, after the password (and a code
// where they use two-step).
func (h *handler) removePasskey(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	id, err := strconv.ParseInt(c.FormValue("passkey"), 10, 64)
	if err != nil {
		return h.renderAccountPasskeys(c, fiber.StatusUnprocessableEntity, "passkeys.error.choose")
	}
	if err := h.svc.Passkeys.Remove(c.UserContext(), p, s, id, reauth(c, "remove"), c.IP()); err != nil {
		if key, status := passkeyProblem(err); key != "" {
			return h.renderAccountPasskeys(c, status, key)
		}
		return err
	}
	return redirect(c, domain.WithSection(domain.WithNotice(domain.AccountPath(p.Code), "passkey-removed"), "passkeys"))
}

// renderAccountPasskeys shows the account page with a problem in its passkeys section.
func (h *handler) renderAccountPasskeys(c *fiber.Ctx, status int, problem string) error {
	c.Locals(passkeyProblemKey{}, problem)
	return h.renderAccount(c, status, h.form(c))
}

// beginPasskeySignIn answers the options of a passkey sign-in. Nothing in it depends on
// who signs in: no account is named, so it tells nothing about accounts.
func (h *handler) beginPasskeySignIn(c *fiber.Ctx) error {
	start, err := h.svc.Passkeys.BeginSignIn(c.UserContext(), portalOf(c), c.IP())
	return h.passkeyJSON(c, start, err)
}

// passkeySignIn checks the passkey's answer and starts the session as a password
// sign-in does.
func (h *handler) passkeySignIn(c *fiber.Ctx) error {
	p := portalOf(c)
	next := returnTo(c, c.FormValue(domain.ReturnParam))
	res, err := h.svc.Passkeys.SignIn(c.UserContext(), domain.PasskeySignInRequest{
		Portal: p, Flow: c.FormValue("flow"), Response: []byte(c.FormValue("credential")),
		IP: c.IP(), Device: c.Get(fiber.HeaderUserAgent), Kind: domain.SessionWeb, DeviceToken: c.Cookies(deviceCookie),
	})
	var need *domain.TwoStepRequiredError
	switch {
	case err == nil:
		return h.startWebSession(c, p, res, next)
	case errors.As(err, &need):
		h.keepReturnPath(c, p, next)
		return h.startTwoStep(c, p, need)
	}
	f := h.form(c)
	f.Values[domain.ReturnParam] = next
	vm := pages.SignInVM{Portal: p, Form: f}
	if errors.Is(err, domain.ErrTempPasswordExpired) {
		vm.Expired = true
		return h.renderSignIn(c, fiber.StatusUnauthorized, vm)
	}
	key, status := passkeyProblem(err)
	if key == "" {
		return err
	}
	vm.PasskeyProblem = key
	return h.renderSignIn(c, status, vm)
}

// removeEmployeePasskeys removes every passkey of a person (administrators and managers
// with "Reset two-step verification"; never vendor support, who has no portal session).
func (h *handler) removeEmployeePasskeys(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	_, err := h.svc.Passkeys.RemoveAllFor(c.UserContext(), actor, target.ID, c.IP())
	if errors.Is(err, domain.ErrNoPasskeys) {
		return "passkeys-none", nil
	}
	return "passkeys-removed", err
}

// passkeyPolicy reads the policy form's passkey settings; a form from before they
// existed (no passkeys_form field) leaves them as they are.
func passkeyPolicy(c *fiber.Ctx, old domain.Policy) (off bool, roles string) {
	if c.FormValue("passkeys_form") == "" {
		return old.PasskeysOff, old.PasskeyRoles
	}
	var names []string
	for _, v := range c.Request().PostArgs().PeekMulti("passkey_role") {
		names = append(names, strings.ReplaceAll(string(v), ",", ""))
	}
	return c.FormValue("passkeys_allowed") == "", strings.Join(names, ",")
}
