package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"strconv"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// helpCookie binds a help request's waiting page to the browser that asked: only that
// browser is shown the recovery pass.
const helpCookie = "wp_help"

var recoverySheets = []string{"css/recovery.css"}

// askHelpPage is the "Ask my administrator for help" form.
func (h *handler) askHelpPage(c *fiber.Ctx) error {
	f := h.form(c)
	f.Values["identifier"] = domain.Truncate(c.Query(domain.IdentifierParam), 254)
	f.Values["problem"] = domain.Truncate(c.Query("problem"), 20)
	return h.renderAsk(c, fiber.StatusOK, f)
}

func (h *handler) renderAsk(c *fiber.Ctx, status int, f pages.Form) error {
	vm := pages.AskHelpVM{Portal: portalOf(c), Form: f}
	return h.render(c, status, layouts.Meta{Title: "recovery.ask.title", Narrow: true, HelpTopic: "contact_admin", Sheets: recoverySheets}, pages.AskHelp(vm))
}

// askHelp records the request and answers the same way for every identifier: the
// reference and the request code, with the waiting page bound to this browser.
func (h *handler) askHelp(c *fiber.Ctx) error {
	p := portalOf(c)
	f := h.form(c, "identifier", "problem", "phone")
	f.Values["message"] = domain.Truncate(strings.ToValidUTF8(c.FormValue("message"), ""), 2000)
	t, err := h.svc.Recovery.Ask(c.UserContext(), p, domain.HelpAsk{Identifier: f.Value("identifier"), Problem: f.Value("problem"),
		Message: f.Value("message"), Phone: f.Value("phone"), IP: c.IP()})
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderAsk(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: helpCookie, Value: t.BrowserKey, Path: domain.AskHelpPath(p.Code), Expires: t.ExpiresAt,
		HTTPOnly: true, Secure: h.secure, SameSite: fiber.CookieSameSiteStrictMode})
	c.Set("Referrer-Policy", "no-referrer")
	vm := pages.HelpTicketVM{Portal: p, Code: t.Code, Reference: t.Reference, WaitURL: domain.HelpWaitPath(p.Code, t.WaitToken), StatusURL: domain.HelpWaitStatusPath(p.Code, t.WaitToken), ExpiresAt: t.ExpiresAt}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "recovery.ticket.title", Narrow: true, HelpTopic: "contact_admin", Sheets: recoverySheets}, pages.HelpTicket(vm))
}

// helpWait is the requester's waiting page; helpWaitStatus its part that htmx asks for
// every few seconds.
func (h *handler) helpWait(c *fiber.Ctx) error { return h.waiting(c, false) }

func (h *handler) helpWaitStatus(c *fiber.Ctx) error { return h.waiting(c, true) }

func (h *handler) waiting(c *fiber.Ctx, fragment bool) error {
	c.Set("Referrer-Policy", "no-referrer")
	p, token := portalOf(c), c.Params("token")
	w, err := h.svc.Recovery.Wait(c.UserContext(), p, token, c.Cookies(helpCookie))
	if errors.Is(err, domain.ErrHelpRequestClosed) {
		l := i18n.FromContext(c.UserContext())
		return h.errorPage(c, fiber.StatusGone, withMessage(l.T("recovery.wait.closed_title"), l.T("recovery.errors.closed")), withHelp("contact_admin"))
	}
	if err != nil {
		return err
	}
	vm := pages.HelpTicketVM{Portal: p, Reference: w.Reference, WaitURL: domain.HelpWaitPath(p.Code, token), StatusURL: domain.HelpWaitStatusPath(p.Code, token), Waiting: w, ExpiresAt: w.ExpiresAt}
	if fragment {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Type("html", "utf-8")
		return pages.HelpWaitStatus(vm).Render(c.UserContext(), c.Response().BodyWriter())
	}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "recovery.ticket.title", Narrow: true, HelpTopic: "contact_admin", Sheets: recoverySheets}, pages.HelpTicket(vm))
}

// helpInbox lists the requests the signed-in helper may handle.
func (h *handler) helpInbox(c *fiber.Ctx) error {
	p, actor := portalOf(c), sessionOf(c).User
	cases, err := h.svc.Recovery.Inbox(c.UserContext(), p, actor)
	if err != nil {
		return err
	}
	vm := pages.HelpInboxVM{Portal: p, Actor: actor, Cases: cases, Now: h.svc.Clock().Now()}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "recovery.inbox.title", Sheets: recoverySheets}, pages.HelpInbox(vm))
}

// helpCase shows one request to a helper.
func (h *handler) helpCase(c *fiber.Ctx) error {
	return h.renderCase(c, fiber.StatusOK, h.form(c), helpNotices[c.Query("notice")], nil)
}

var helpNotices = map[string]string{"code-sent": "recovery.notice.code_sent", "checked": "recovery.notice.checked"}

func (h *handler) renderCase(c *fiber.Ctx, status int, f pages.Form, notice string, pass *domain.RecoveryPass) error {
	p, actor := portalOf(c), sessionOf(c).User
	id, err := helpRequestID(c)
	if err != nil {
		return err
	}
	hc, err := h.svc.Recovery.Case(c.UserContext(), p, actor, id)
	if err != nil {
		return err
	}
	vm := pages.HelpCaseVM{Portal: p, Actor: actor, Case: hc, Form: f, Now: h.svc.Clock().Now(), Notice: notice, Pass: pass}
	if pass != nil {
		if vm.QR, err = qrPNG(pass.Link); err != nil {
			return err
		}
		c.Set("Referrer-Policy", "no-referrer")
	}
	return h.render(c, status, layouts.Meta{Title: "recovery.case.page_title", TitleArgs: []any{"Reference", hc.Request.Reference}, Sheets: recoverySheets}, pages.HelpCaseScreen(vm))
}

func helpRequestID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// helpEmailCode e-mails the person a code to read back.
func (h *handler) helpEmailCode(c *fiber.Ctx) error {
	id, err := helpRequestID(c)
	if err != nil {
		return err
	}
	p := portalOf(c)
	if err := h.svc.Recovery.SendEmailCode(c.UserContext(), p, sessionOf(c).User, id, c.IP()); err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.HelpRequestPath(p.Code, id), "code-sent"))
}

// helpCheck records how the helper checked who is asking.
func (h *handler) helpCheck(c *fiber.Ctx) error {
	id, err := helpRequestID(c)
	if err != nil {
		return err
	}
	p := portalOf(c)
	f := h.form(c, "method", "note")
	err = h.svc.Recovery.Verify(c.UserContext(), p, sessionOf(c).User, id, domain.HelpCheck{
		RequestCode: c.FormValue("request_code"), Method: f.Value("method"), Code: c.FormValue("code"), Note: f.Value("note")}, c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderCase(c, fiber.StatusUnprocessableEntity, f, "", nil)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithNotice(domain.HelpRequestPath(p.Code, id), "checked"))
}

// helpIssue issues the recovery pass and shows it this once.
func (h *handler) helpIssue(c *fiber.Ctx) error {
	id, err := helpRequestID(c)
	if err != nil {
		return err
	}
	p := portalOf(c)
	f := h.form(c, "new_email")
	pass, err := h.svc.Recovery.IssuePass(c.UserContext(), p, sessionOf(c).User, id,
		domain.PassOptions{ResetTwoStep: c.FormValue("reset_two_step") == "1", NewEmail: f.Value("new_email")}, c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderCase(c, fiber.StatusUnprocessableEntity, f, "", nil)
	}
	if err != nil {
		return err
	}
	return h.renderCase(c, fiber.StatusOK, h.form(c), "", pass)
}

// redeemPage asks for the pass code (or takes the link's) and the new password.
func (h *handler) redeemPage(c *fiber.Ctx) error {
	return h.renderRedeem(c, fiber.StatusOK, h.form(c))
}

func (h *handler) renderRedeem(c *fiber.Ctx, status int, f pages.Form) error {
	c.Set("Referrer-Policy", "no-referrer")
	p, token := portalOf(c), c.Params("token")
	vm := pages.RedeemVM{Portal: p, Token: token, Form: f}
	if token != "" {
		holder, err := h.svc.Recovery.CheckPass(c.UserContext(), p, token)
		if errors.Is(err, domain.ErrInvalidToken) {
			return h.passEnded(c)
		}
		if err != nil {
			return err
		}
		vm.Holder = holder.Username
	}
	return h.render(c, status, layouts.Meta{Title: "recovery.redeem.title", Narrow: true, HelpTopic: "contact_admin", Sheets: recoverySheets}, pages.Redeem(vm))
}

// passEnded explains that a pass link was used or expired.
func (h *handler) passEnded(c *fiber.Ctx) error {
	l := i18n.FromContext(c.UserContext())
	return h.errorPage(c, fiber.StatusGone, withMessage(l.T("recovery.redeem.ended_title"), l.T("recovery.redeem.ended")), withHelp("contact_admin"))
}

// redeem sets the person's own password with the pass, then sends them to sign in.
func (h *handler) redeem(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	p := portalOf(c)
	f := h.form(c, "code")
	user, err := h.svc.Recovery.Redeem(c.UserContext(), p, c.Params("token"), f.Value("code"), newPassword(c), c.IP())
	if fe := fieldErrors(c, err); fe != nil {
		f.Errors = fe
		return h.renderRedeem(c, fiber.StatusUnprocessableEntity, f)
	}
	if errors.Is(err, domain.ErrInvalidToken) {
		return h.passEnded(c)
	}
	if err != nil {
		return err
	}
	return redirect(c, domain.WithIdentifier(domain.WithNotice(domain.SignInPath(p.Code), "password-reset"), user.Username))
}

// qrPNG renders text as a PNG QR code, locally, as a data: URL for an <img>.
func qrPNG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	if code, err = barcode.Scale(code, 200, 200); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
