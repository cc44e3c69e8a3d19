package handlers

import (
	"errors"
	"math"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// The mobile API's second step: POST /api/mobile/v1/session answers
// 401 {"error": "two_step_required", "challenge": ...} after a correct password, and
// POST /api/mobile/v1/session/two-step with the challenge and the code completes it.

type mobileTwoStepIn struct {
	Portal       string `json:"portal"`
	Challenge    string `json:"challenge"`
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

// mobileNeedsTwoStep answers a correct password that needs a second step.
func (h *handler) mobileNeedsTwoStep(c *fiber.Ctx, p *domain.Portal, need *domain.TwoStepRequiredError) error {
	ctx := c.UserContext()
	if need.Enrol { // the app cannot enrol: the web does it, once
		return apiFail(fiber.StatusForbidden, "two_step_enrolment_required", i18n.T(ctx, "twostep.api.enrol_on_web"),
			fiber.Map{"enrol_url": h.cfg.BaseURL + domain.SignInPath(p.Code)})
	}
	return apiFail(fiber.StatusUnauthorized, "two_step_required", i18n.T(ctx, "twostep.api.required"),
		fiber.Map{"challenge": need.Token, "expires_at": need.ExpiresAt})
}

// mobileTwoStep is POST /api/mobile/v1/session/two-step.
func (h *handler) mobileTwoStep(c *fiber.Ctx) error {
	var in mobileTwoStepIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := h.svc.Portals.ByCode(ctx, in.Portal)
	if errors.Is(err, domain.ErrNotFound) {
		return apiFail(fiber.StatusNotFound, "unknown_portal", "There is no portal with that code. Check it with your manager.", nil)
	}
	if err != nil {
		return err
	}
	res, err := h.svc.TwoStep.Complete(ctx, domain.TwoStepInput{Portal: p, Token: in.Challenge, Code: in.Code,
		Recovery: in.RecoveryCode, IP: c.IP(), Kind: domain.SessionMobile})
	reset := fiber.Map{"reset_url": h.cfg.BaseURL + domain.ForgotPasswordPath(p.Code)}
	var locked *domain.LockedError
	switch {
	case err == nil && res.User.MustChangePassword:
		_ = h.svc.Auth.Discard(ctx, p.ID, res.Token)
		return apiFail(fiber.StatusForbidden, "password_change_required",
			"You must set a new password on the web before using the app. Open the portal in a browser, sign in and choose a new password.", reset)
	case err == nil:
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": res.Token, "expires_at": res.Session.ExpiresAt, "user": toMobileUser(p, res.User),
			"used_recovery_code": res.UsedRecovery})
	case errors.Is(err, domain.ErrCodeFormat):
		return apiFail(fiber.StatusBadRequest, "invalid_code_format", i18n.T(ctx, "twostep.error.format"), nil)
	case errors.Is(err, domain.ErrRecoveryCodeFormat):
		return apiFail(fiber.StatusBadRequest, "invalid_recovery_code_format", i18n.T(ctx, "twostep.error.recovery_format"), nil)
	case errors.Is(err, domain.ErrWrongCode):
		return apiFail(fiber.StatusUnauthorized, "invalid_code", i18n.T(ctx, "twostep.error.wrong"), nil)
	case errors.Is(err, domain.ErrChallengeEnded):
		return apiFail(fiber.StatusUnauthorized, "challenge_expired", i18n.T(ctx, "twostep.api.challenge_ended"), nil)
	case errors.As(err, &locked):
		secs := int(math.Ceil(locked.Until.Sub(h.svc.Clock().Now()).Seconds()))
		reset["retry_after_seconds"] = max(secs, 1)
		reset["repeat"] = locked.Repeat
		return apiFail(fiber.StatusLocked, "locked",
			"Sign-in is temporarily locked after several wrong passwords. Wait, or reset your password on the web.", reset)
	case errors.Is(err, domain.ErrTempPasswordExpired):
		return apiFail(fiber.StatusForbidden, "temporary_password_expired",
			"Your temporary password has expired. Ask your administrator for a new one, or reset your password on the web.", reset)
	}
	return err
}
