package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// The support console's second step: vendor support always uses two-step verification.

func (h *handler) startSupportTwoStep(c *fiber.Ctx, need *domain.TwoStepRequiredError) error {
	h.setCookie(c, challengeCookie, need.Token, domain.SupportTwoStepPath, need.ExpiresAt)
	if need.Enrol {
		return redirect(c, domain.SupportTwoStepEnrolPath)
	}
	return redirect(c, domain.SupportTwoStepPath)
}

func (h *handler) endSupportTwoStep(c *fiber.Ctx, token string) error {
	// The browser's previous support session ends: sign-in rotates it.
	if err := h.svc.Support.Discard(c.UserContext(), c.Cookies(supportCookie)); err != nil {
		return err
	}
	h.clearCookie(c, challengeCookie, domain.SupportTwoStepPath)
	h.setSupportCookie(c, token)
	return nil
}

// supportTwoStepPage asks a support person for their code.
func (h *handler) supportTwoStepPage(c *fiber.Ctx) error {
	if c.Cookies(challengeCookie) == "" {
		return redirect(c, domain.SupportPath)
	}
	return h.renderSupportTwoStep(c, fiber.StatusOK, "", false)
}

func (h *handler) renderSupportTwoStep(c *fiber.Ctx, status int, problem string, recovery bool) error {
	vm := pages.TwoStepCodeVM{Eyebrow: i18n.T(c.UserContext(), "twostep.support.name"), Action: domain.SupportTwoStepPath, CSRF: csrfToken(c), Problem: problem,
		Recovery: recovery, Restart: domain.SupportPath, HelpURL: domain.HelpPath("", "two_step")}
	return h.render(c, status, layouts.Meta{Title: "twostep.code.title", Narrow: true}, pages.TwoStepCode(vm))
}

// supportTwoStep checks the code and opens the console.
func (h *handler) supportTwoStep(c *fiber.Ctx) error {
	recovery := c.FormValue("recovery")
	token, err := h.svc.TwoStep.CompleteSupport(c.UserContext(), h.svc.Support, c.Cookies(challengeCookie), c.FormValue("code"), recovery, c.IP())
	var locked *domain.LockedError
	if errors.As(err, &locked) {
		return h.renderSupportSignIn(c, fiber.StatusLocked, h.form(c), i18n.T(c.UserContext(), "twostep.error.locked"))
	}
	if key, status := twoStepProblem(err); key != "" {
		return h.renderSupportTwoStep(c, status, key, recovery != "")
	}
	if err != nil {
		return err
	}
	if err := h.endSupportTwoStep(c, token); err != nil {
		return err
	}
	return redirect(c, domain.SupportPath)
}

// supportEnrolPage shows a support person without an authenticator their new secret.
func (h *handler) supportEnrolPage(c *fiber.Ctx) error {
	return h.renderSupportEnrol(c, fiber.StatusOK, "")
}

func (h *handler) renderSupportEnrol(c *fiber.Ctx, status int, problem string) error {
	en, err := h.svc.TwoStep.SupportEnrolment(c.UserContext(), c.Cookies(challengeCookie))
	if errors.Is(err, domain.ErrChallengeEnded) {
		return redirect(c, domain.SupportPath)
	}
	if err != nil {
		return err
	}
	vm := pages.TwoStepEnrolVM{Eyebrow: i18n.T(c.UserContext(), "twostep.support.name"), Title: "twostep.enrol.title_required", Intro: "twostep.enrol.intro_support",
		Secret: en.Secret, Action: domain.SupportTwoStepEnrolPath, CSRF: csrfToken(c), Problem: problem, Required: true}
	return h.renderEnrol(c, status, vm, en)
}

// supportEnrol confirms the authenticator, opens the console and shows the recovery codes.
func (h *handler) supportEnrol(c *fiber.Ctx) error {
	token, codes, err := h.svc.TwoStep.ConfirmSupportEnrolment(c.UserContext(), h.svc.Support, c.Cookies(challengeCookie), c.FormValue("code"), c.IP())
	if errors.Is(err, domain.ErrChallengeEnded) {
		return redirect(c, domain.SupportPath)
	}
	if key, status := twoStepProblem(err); key != "" {
		return h.renderSupportEnrol(c, status, key)
	}
	if err != nil {
		return err
	}
	if err := h.endSupportTwoStep(c, token); err != nil {
		return err
	}
	return h.renderRecoveryCodes(c, i18n.T(c.UserContext(), "twostep.support.name"), codes, domain.SupportRecoveryCodesPath, domain.SupportPath, "twostep.recovery.intro_on")
}
