package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// Two-step verification on the web: the code step after the password, enrolment when a
// role requires it, the account page's section and the recovery-code download. The
// challenge token rides in its own short-lived cookie; the session cookie is set only
// once the second step passed.

// startTwoStep answers a correct password that needs a second step.
func (h *handler) startTwoStep(c *fiber.Ctx, p *domain.Portal, need *domain.TwoStepRequiredError) error {
	h.setCookie(c, challengeCookie, need.Token, domain.SignInPath(p.Code), need.ExpiresAt)
	if need.Enrol {
		return redirect(c, domain.TwoStepEnrolPath(p.Code))
	}
	return redirect(c, domain.TwoStepPath(p.Code))
}

func (h *handler) clearChallenge(c *fiber.Ctx, p *domain.Portal) {
	h.clearCookie(c, challengeCookie, domain.SignInPath(p.Code))
}

// twoStepPage asks for the code.
func (h *handler) twoStepPage(c *fiber.Ctx) error {
	if c.Cookies(challengeCookie) == "" {
		return redirect(c, domain.SignInPath(portalOf(c).Code))
	}
	return h.renderTwoStep(c, fiber.StatusOK, "", false)
}

func (h *handler) renderTwoStep(c *fiber.Ctx, status int, problem string, recovery bool) error {
	p := portalOf(c)
	vm := pages.TwoStepCodeVM{
		Eyebrow: p.Name, Action: domain.TwoStepPath(p.Code), CSRF: csrfToken(c), Problem: problem, Recovery: recovery,
		Restart: domain.SignInPath(p.Code), HelpURL: domain.HelpPath(p.Code, "two_step"),
	}
	return h.render(c, status, layouts.Meta{Title: "twostep.code.title", Narrow: true, HelpTopic: "two_step"}, pages.TwoStepCode(vm))
}

// twoStep checks the code (or recovery code) and starts the session.
func (h *handler) twoStep(c *fiber.Ctx) error {
	p := portalOf(c)
	in := domain.TwoStepInput{Portal: p, Token: c.Cookies(challengeCookie), Code: c.FormValue("code"),
		Recovery: c.FormValue("recovery"), IP: c.IP(), Kind: domain.SessionWeb, DeviceToken: c.Cookies(deviceCookie)}
	res, err := h.svc.TwoStep.Complete(c.UserContext(), in)
	if err != nil {
		return h.twoStepFailed(c, err, in.Recovery != "")
	}
	h.clearChallenge(c, p)
	if err := h.finishSignIn(c, p, res.SignInResult); err != nil {
		return err
	}
	next := h.takeReturnPath(c, p)
	switch {
	case res.User.MustChangePassword: // the code first, then the forced change
		return redirect(c, domain.WithReturn(domain.ChangePasswordPath(p.Code), p.Code, next))
	case res.UsedRecovery:
		return redirect(c, domain.WithNotice(domain.AccountTwoStepPath(p.Code), "recovery-used"))
	}
	if next != "" {
		return redirect(c, next)
	}
	return redirect(c, domain.HomePath(p.Code))
}

// twoStepFailed shows why the second step did not pass, or the sign-in page's own
// answer (lockout, expired temporary password).
func (h *handler) twoStepFailed(c *fiber.Ctx, err error, recovery bool) error {
	p := portalOf(c)
	var locked *domain.LockedError
	switch {
	case errors.As(err, &locked):
		h.clearChallenge(c, p)
		vm := pages.SignInVM{Portal: p, Form: h.form(c), Locked: h.lockedVM(p, locked)}
		return h.renderSignIn(c, fiber.StatusLocked, vm)
	case errors.Is(err, domain.ErrTempPasswordExpired):
		h.clearChallenge(c, p)
		return h.renderSignIn(c, fiber.StatusUnauthorized, pages.SignInVM{Portal: p, Form: h.form(c), Expired: true})
	}
	if key, status := twoStepProblem(err); key != "" {
		if errors.Is(err, domain.ErrChallengeEnded) {
			h.clearChallenge(c, p)
		}
		if recovery && errors.Is(err, domain.ErrWrongCode) {
			// Someone typing a recovery code usually has no authenticator app at hand.
			key = "twostep.error.wrong_recovery"
		}
		return h.renderTwoStep(c, status, key, recovery)
	}
	return err
}

// twoStepProblem is the message and status of a second-step error ("" for others).
func twoStepProblem(err error) (string, int) {
	out, ok := outcomeOf(err)
	switch {
	case errors.Is(err, domain.ErrInvalidCredentials):
		return "twostep.error.password", out.Status // the password asked again beside the code
	case ok && out.Topic == "two_step":
		return out.Message, out.Status
	}
	return "", 0
}

// enrolAtSignInPage shows the enrolment a role requiring two-step is taken to.
func (h *handler) enrolAtSignInPage(c *fiber.Ctx) error {
	return h.renderEnrolAtSignIn(c, fiber.StatusOK, "")
}

func (h *handler) renderEnrolAtSignIn(c *fiber.Ctx, status int, problem string) error {
	p := portalOf(c)
	en, _, err := h.svc.TwoStep.EnrolmentFor(c.UserContext(), p, c.Cookies(challengeCookie))
	if errors.Is(err, domain.ErrChallengeEnded) {
		h.clearChallenge(c, p)
		return redirect(c, domain.WithNotice(domain.SignInPath(p.Code), "two-step-ended"))
	}
	if err != nil {
		return err
	}
	vm := pages.TwoStepEnrolVM{Eyebrow: p.Name, Title: "twostep.enrol.title_required", Intro: "twostep.enrol.intro_required",
		Secret: en.Secret, Action: domain.TwoStepEnrolPath(p.Code), CSRF: csrfToken(c), Problem: problem, Required: true}
	return h.renderEnrol(c, status, vm, en)
}

func (h *handler) renderEnrol(c *fiber.Ctx, status int, vm pages.TwoStepEnrolVM, en *domain.Enrolment) error {
	qr, err := qrDataURL(en.URI)
	if err != nil {
		return err
	}
	vm.QR, vm.URI = qr, en.URI
	return h.render(c, status, layouts.Meta{Title: vm.Title, Narrow: true, HelpTopic: "two_step"}, pages.TwoStepEnrol(vm))
}

// enrolAtSignIn confirms the enrolment, starts the session and shows the recovery codes.
func (h *handler) enrolAtSignIn(c *fiber.Ctx) error {
	p := portalOf(c)
	res, err := h.svc.TwoStep.ConfirmEnrolment(c.UserContext(), domain.TwoStepInput{
		Portal: p, Token: c.Cookies(challengeCookie), Code: c.FormValue("code"), IP: c.IP(), Kind: domain.SessionWeb,
		DeviceToken: c.Cookies(deviceCookie),
	})
	if errors.Is(err, domain.ErrTempPasswordExpired) {
		return h.twoStepFailed(c, err, false)
	}
	if key, status := twoStepProblem(err); key != "" && !errors.Is(err, domain.ErrChallengeEnded) {
		return h.renderEnrolAtSignIn(c, status, key)
	}
	if errors.Is(err, domain.ErrChallengeEnded) {
		h.clearChallenge(c, p)
		return redirect(c, domain.WithNotice(domain.SignInPath(p.Code), "two-step-ended"))
	}
	if err != nil {
		return err
	}
	h.clearChallenge(c, p)
	if err := h.finishSignIn(c, p, res.SignInResult); err != nil {
		return err
	}
	next := domain.HomePath(p.Code)
	if res.User.MustChangePassword {
		next = domain.ChangePasswordPath(p.Code)
	}
	return h.renderRecoveryCodes(c, p.Name, res.RecoveryCodes, domain.RecoveryCodesFilePath(p.Code), next, "twostep.recovery.intro_on")
}

func (h *handler) renderRecoveryCodes(c *fiber.Ctx, eyebrow string, codes []string, download, next, intro string) error {
	vm := pages.RecoveryCodesVM{Eyebrow: eyebrow, Codes: codes, Download: download, CSRF: csrfToken(c), Continue: next, Intro: intro}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "twostep.recovery.title", Narrow: true}, pages.RecoveryCodes(vm))
}

// accountTwoStep opens an enrolment flow: a new secret for this page alone (or to move
// two-step to a new device).
func (h *handler) accountTwoStep(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	st, err := h.svc.TwoStep.Status(c.UserContext(), p, s.User)
	if err != nil {
		return err
	}
	if st.Enrolled && c.Query("new") == "" && c.Query("notice") == "" {
		return redirect(c, domain.WithSection(domain.AccountPath(p.Code), "two-step"))
	}
	en, err := h.svc.TwoStep.Begin(c.UserContext(), p, s)
	if err != nil {
		return err
	}
	return h.renderAccountEnrol(c, fiber.StatusOK, st, en, "")
}

func (h *handler) renderAccountEnrol(c *fiber.Ctx, status int, st domain.TwoStepStatus, en *domain.Enrolment, problem string) error {
	p := portalOf(c)
	vm := pages.TwoStepEnrolVM{Eyebrow: p.Name, Title: "twostep.enrol.title", Intro: "twostep.enrol.intro",
		Secret: en.Secret, Action: domain.AccountTwoStepPath(p.Code), CSRF: csrfToken(c), Problem: problem,
		Cancel: domain.WithSection(domain.AccountPath(p.Code), "two-step"), Required: st.Required, Flow: en.Flow, Reauth: true, Enrolled: st.Enrolled}
	if st.Enrolled {
		vm.Title, vm.Intro = "twostep.enrol.title_new", "twostep.enrol.intro_new"
	}
	if c.Query("notice") == "recovery-used" {
		vm.Title, vm.Intro = "twostep.enrol.title_new", "twostep.enrol.intro_recovery"
	}
	return h.renderEnrol(c, status, vm, en)
}

// reauth reads the password and current code a form with ReauthFields(prefix) sent.
func reauth(c *fiber.Ctx, prefix string) domain.Reauth {
	return domain.Reauth{Password: c.FormValue(prefix + "-password"), Code: c.FormValue(prefix + "-code")}
}

// confirmOwnTwoStep turns two-step on (or moves it to the new device) with a code from
// the new app, the password and, when moving, a current code.
func (h *handler) confirmOwnTwoStep(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	ctx, flow := c.UserContext(), c.FormValue("flow")
	codes, err := h.svc.TwoStep.Confirm(ctx, p, s, flow, c.FormValue("code"), reauth(c, "reauth"), c.IP())
	if err == nil {
		return h.renderRecoveryCodes(c, p.Name, codes, domain.RecoveryCodesFilePath(p.Code), domain.WithSection(domain.AccountPath(p.Code), "two-step"), "twostep.recovery.intro_on")
	}
	key, status := twoStepProblem(err)
	if errors.As(err, new(*domain.LockedError)) {
		key, status = "twostep.error.locked", fiber.StatusLocked
	}
	if key == "" {
		return err
	}
	st, err := h.svc.TwoStep.Status(ctx, p, s.User)
	if err != nil {
		return err
	}
	en, err := h.svc.TwoStep.Flow(ctx, p, s, flow) // the secret already scanned
	if errors.Is(err, domain.ErrChallengeEnded) {
		key = "twostep.error.enrol_ended"
		en, err = h.svc.TwoStep.Begin(ctx, p, s)
	}
	if err != nil {
		return err
	}
	return h.renderAccountEnrol(c, status, st, en, key)
}

// newRecoveryCodes replaces the recovery codes after the password and a current code.
func (h *handler) newRecoveryCodes(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	codes, err := h.svc.TwoStep.NewRecoveryCodes(c.UserContext(), p, s, reauth(c, "codes"), c.IP())
	if err != nil {
		return h.accountTwoStepFailed(c, err)
	}
	return h.renderRecoveryCodes(c, p.Name, codes, domain.RecoveryCodesFilePath(p.Code), domain.WithSection(domain.AccountPath(p.Code), "two-step"), "twostep.recovery.intro_new")
}

// disableTwoStep turns two-step off with the password and a code.
func (h *handler) disableTwoStep(c *fiber.Ctx) error {
	s, p := sessionOf(c), portalOf(c)
	if err := h.svc.TwoStep.Disable(c.UserContext(), p, s, reauth(c, "disable"), c.IP()); err != nil {
		return h.accountTwoStepFailed(c, err)
	}
	return redirect(c, domain.WithSection(domain.WithNotice(domain.AccountPath(p.Code), "two-step-off"), "two-step"))
}

// accountTwoStepFailed shows the account page with why a two-step change was refused.
func (h *handler) accountTwoStepFailed(c *fiber.Ctx, err error) error {
	if errors.As(err, new(*domain.LockedError)) {
		return h.renderAccountWith(c, fiber.StatusLocked, "twostep.error.locked")
	}
	if key, status := twoStepProblem(err); key != "" {
		return h.renderAccountWith(c, status, key)
	}
	return err
}

// renderAccountWith shows the account page with a problem in its two-step section.
func (h *handler) renderAccountWith(c *fiber.Ctx, status int, problem string) error {
	c.Locals(localTwoStepProblem, problem)
	return h.renderAccount(c, status, h.form(c))
}

// twoStepPanel is the account page's two-step section.
func (h *handler) twoStepPanel(c *fiber.Ctx) (pages.TwoStepPanelVM, error) {
	s, p := sessionOf(c), portalOf(c)
	st, err := h.svc.TwoStep.Status(c.UserContext(), p, s.User)
	problem, _ := c.Locals(localTwoStepProblem).(string)
	return pages.TwoStepPanelVM{PortalCode: p.Code, CSRF: csrfToken(c), Status: st, Problem: problem}, err
}

var recoveryShape = regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}$`)

// downloadRecoveryCodes hands the codes just shown back as a text file. They are not
// kept on the server (only their hashes), so the page posts them back to be saved.
func (h *handler) downloadRecoveryCodes(c *fiber.Ctx) error {
	var codes []string
	for _, v := range c.Request().PostArgs().PeekMulti("code") {
		if s := string(v); recoveryShape.MatchString(s) && len(codes) < domain.RecoveryCodeCount {
			codes = append(codes, s)
		}
	}
	if len(codes) == 0 {
		return fiber.ErrBadRequest
	}
	name := "Watchpost"
	if p := portalOf(c); p != nil {
		name = p.Name
	}
	var b strings.Builder
	b.WriteString(i18n.T(c.UserContext(), "twostep.recovery.file_header", "Portal", name) + "\n\n")
	for _, code := range codes {
		b.WriteString(code + "\n")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="watchpost-recovery-codes.txt"`)
	c.Type("txt", "utf-8")
	return c.SendString(b.String())
}

// resetEmployeeTwoStep removes a person's enrolment (administrators and managers with
// the permission; never vendor support, who has no portal session).
func (h *handler) resetEmployeeTwoStep(c *fiber.Ctx, actor, target *domain.User) (string, error) {
	err := h.svc.TwoStep.Reset(c.UserContext(), actor, target.ID, c.IP())
	if errors.Is(err, domain.ErrNotEnrolled) {
		return "two-step-none", nil
	}
	return "two-step-reset", err
}

// twoStepNotices are the fixed messages of the two-step pages' redirects (catalogue keys).
var twoStepNotices = map[string]string{
	"recovery-used":  "twostep.notice.recovery_used",
	"two-step-off":   "twostep.notice.off",
	"two-step-ended": "twostep.notice.ended",
	"two-step-due":   "twostep.notice.due",
	"two-step-reset": "twostep.notice.reset",
	"two-step-none":  "twostep.notice.none",
}

// qrDataURL renders the otpauth:// address as a PNG QR code, locally, for an <img>.
func qrDataURL(uri string) (string, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// twoStepRoles reads the policy form's checkboxes of roles that must use two-step.
func twoStepRoles(c *fiber.Ctx) string {
	var names []string
	for _, v := range c.Request().PostArgs().PeekMulti("two_step_role") {
		names = append(names, strings.ReplaceAll(string(v), ",", ""))
	}
	return strings.Join(names, ",")
}
