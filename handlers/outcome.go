package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/domain"
)

// outcome is what a domain error means at the edge: the status of the page and of the
// API's answer, the API's error code, the catalogue key of the message, the help topic an
// error page opens, and how long to wait before trying again. Pages and the JSON API both
// read it from outcomeOf; answers that say more (the lock's end, attempts left) add that
// to what it gives.
type outcome struct {
	Status     int    // the page's status
	APIStatus  int    // the API's status
	Code       string // the API's error code
	Message    string // catalogue key; "" where the answer words it itself (lockout, forms)
	Args       []any  // the message's placeholders: Count, the minutes left of a timed refusal
	Topic      string // help topic of the error page's help link
	RetryAfter int    // seconds, for the Retry-After header; 0: none
}

// outcomes maps every domain error, most specific first. TestEveryDomainErrorHasAnOutcome
// fails when an exported domain error is missing.
var outcomes = []struct {
	match func(error) bool
	out   outcome
}{
	{as[*domain.LockedError], outcome{Status: fiber.StatusLocked, APIStatus: fiber.StatusLocked, Code: "locked", Topic: "lockout"}},
	{as[*domain.ThrottledError], outcome{Status: fiber.StatusTooManyRequests, APIStatus: fiber.StatusTooManyRequests, Code: "too_many_attempts", Message: "security.throttled.message", Topic: "lockout"}},
	{as[*domain.TwoStepRequiredError], outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusUnauthorized, Code: "two_step_required", Message: "twostep.api.required"}},
	{as[*domain.ForbiddenError], outcome{Status: fiber.StatusForbidden, APIStatus: fiber.StatusForbidden, Code: "forbidden", Topic: "no_permission"}},
	{as[*domain.ValidationError], outcome{Status: fiber.StatusUnprocessableEntity, APIStatus: fiber.StatusBadRequest, Code: "missing_fields", Message: "mobile.api.missing_fields"}},
	{is(domain.ErrInvalidCredentials), outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusUnauthorized, Code: "invalid_credentials", Message: "mobile.api.invalid_credentials", Topic: "forgot_password"}},
	{is(domain.ErrTempPasswordExpired), outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusForbidden, Code: "temporary_password_expired", Message: "mobile.api.temp_expired", Topic: "force_change"}},
	{is(domain.ErrCodeFormat), outcome{Status: fiber.StatusUnprocessableEntity, APIStatus: fiber.StatusBadRequest, Code: "invalid_code_format", Message: "twostep.error.format", Topic: "two_step"}},
	{is(domain.ErrRecoveryCodeFormat), outcome{Status: fiber.StatusUnprocessableEntity, APIStatus: fiber.StatusBadRequest, Code: "invalid_recovery_code_format", Message: "twostep.error.recovery_format", Topic: "two_step"}},
	{is(domain.ErrWrongCode), outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusUnauthorized, Code: "invalid_code", Message: "twostep.error.wrong", Topic: "two_step"}},
	{is(domain.ErrChallengeEnded), outcome{Status: fiber.StatusGone, APIStatus: fiber.StatusUnauthorized, Code: "challenge_expired", Message: "twostep.error.ended", Topic: "two_step"}},
	{is(domain.ErrTwoStepRequired), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "two_step_required", Message: "twostep.error.required", Topic: "two_step"}},
	{is(domain.ErrLinkEnded), outcome{Status: fiber.StatusGone, APIStatus: fiber.StatusGone, Code: "link_ended", Message: "devices.link.ended_body"}},
	{is(domain.ErrNotEnrolled), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "two_step_not_enrolled", Message: "twostep.error.not_enrolled", Topic: "two_step"}},
	{is(domain.ErrPasskeyRefused), outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusUnauthorized, Code: "passkey_refused", Message: "passkeys.error.refused", Topic: "two_step"}},
	{is(domain.ErrPasskeyEnded), outcome{Status: fiber.StatusGone, APIStatus: fiber.StatusGone, Code: "passkey_expired", Message: "passkeys.error.ended", Topic: "two_step"}},
	{is(domain.ErrPasskeysOff), outcome{Status: fiber.StatusForbidden, APIStatus: fiber.StatusForbidden, Code: "passkeys_off", Message: "passkeys.error.off", Topic: "two_step"}},
	{is(domain.ErrLastWayIn), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "last_way_in", Message: "passkeys.error.last_way_in", Topic: "two_step"}},
	{is(domain.ErrNoPasskeys), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "no_passkeys", Message: "passkeys.error.none", Topic: "two_step"}},
	{is(domain.ErrSessionEnded), outcome{Status: fiber.StatusUnauthorized, APIStatus: fiber.StatusUnauthorized, Code: "session_revoked", Message: "mobile.api.session_revoked"}},
	{is(domain.ErrInvalidToken), outcome{Status: fiber.StatusGone, APIStatus: fiber.StatusGone, Code: "invalid_link", Message: "errors.400.message", Topic: "reset_email"}},
	{is(domain.ErrHelpRateLimited), outcome{Status: fiber.StatusTooManyRequests, APIStatus: fiber.StatusTooManyRequests, Code: "rate_limited", Message: "bot.notice.rate_limited", RetryAfter: 60}},
	{is(domain.ErrHelpRequestClosed), outcome{Status: fiber.StatusGone, APIStatus: fiber.StatusGone, Code: "help_request_closed", Message: "recovery.errors.closed", Topic: "contact_admin"}},
	{is(domain.ErrNotVerified), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "identity_not_checked", Message: "recovery.errors.not_verified"}},
	{is(domain.ErrNotFound), outcome{Status: fiber.StatusNotFound, APIStatus: fiber.StatusNotFound, Code: "not_found", Message: "errors.404.message"}},
	{is(domain.ErrConflict), outcome{Status: fiber.StatusConflict, APIStatus: fiber.StatusConflict, Code: "conflict", Message: "errors.400.message"}},
	{is(domain.ErrBusy), outcome{Status: fiber.StatusServiceUnavailable, APIStatus: fiber.StatusServiceUnavailable, Code: "busy", Message: "errors.503.message", RetryAfter: 2}},
	{is(domain.ErrUnavailable), outcome{Status: fiber.StatusServiceUnavailable, APIStatus: fiber.StatusServiceUnavailable, Code: "busy", Message: "errors.503.message", RetryAfter: 2}},
}

// outcomeOf returns the outcome of a domain error; false for any other error. An error
// that knows how long it lasts (a lock, a throttle) sets RetryAfter and Count itself.
func outcomeOf(err error) (outcome, bool) {
	if err == nil {
		return outcome{}, false
	}
	for _, o := range outcomes {
		if o.match(err) {
			out := o.out
			var timed interface {
				SecondsLeft() int
				MinutesLeft() int
			}
			if errors.As(err, &timed) {
				out.RetryAfter, out.Args = timed.SecondsLeft(), []any{"Count", timed.MinutesLeft()}
			}
			return out, true
		}
	}
	return outcome{}, false
}

// setRetryAfter sets the Retry-After header when the outcome has one.
func (o outcome) setRetryAfter(c *fiber.Ctx) {
	if o.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(o.RetryAfter))
	}
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func as[T error](err error) bool {
	var t T
	return errors.As(err, &t)
}
