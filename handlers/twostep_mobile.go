package handlers

import (
	"errors"

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
	DeviceToken  string `json:"device_token,omitempty"` // as for the password step
}

// mobileNeedsTwoStep answers a correct password that needs a second step.
func (h *handler) mobileNeedsTwoStep(c *fiber.Ctx, p *domain.Portal, need *domain.TwoStepRequiredError) error {
	ctx := c.UserContext()
	if need.Enrol { // the app cannot enrol: the web does it, once
		return apiFail(fiber.StatusForbidden, "two_step_enrolment_required", i18n.T(ctx, "twostep.api.enrol_on_web"),
			fiber.Map{"enrol_url": domain.AbsoluteURL(h.cfg.BaseURL, domain.SignInPath(p.Code))})
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
	p, err := h.mobilePortal(c, in.Portal)
	if err != nil {
		return err
	}
	res, err := h.svc.TwoStep.Complete(ctx, domain.TwoStepInput{Portal: p, Token: in.Challenge, Code: in.Code,
		Recovery: in.RecoveryCode, IP: c.IP(), Kind: domain.SessionMobile, DeviceToken: in.DeviceToken})
	if out, ok := outcomeOf(err); ok && out.Topic == "two_step" {
		message := out.Message
		if errors.Is(err, domain.ErrWrongCode) && in.RecoveryCode != "" {
			message = "twostep.error.wrong_recovery"
		}
		if errors.Is(err, domain.ErrChallengeEnded) {
			message = "twostep.api.challenge_ended"
		}
		return apiFail(out.APIStatus, out.Code, i18n.T(ctx, message), nil)
	}
	if err != nil {
		return h.mobileSignInAnswer(c, p, nil, err)
	}
	return h.mobileSignInAnswer(c, p, res.SignInResult, nil)
}
