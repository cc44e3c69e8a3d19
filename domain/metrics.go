package domain

import (
	"errors"
	"time"
)

// Metrics is told what the services do, for operators to watch. The domain knows no
// metrics library: the server wires an implementation (Prometheus), and NopMetrics
// stands in when none is given.
type Metrics interface {
	// SignIn counts one sign-in attempt by its outcome.
	SignIn(outcome SignInOutcome)
	// Lockout counts a sign-in lock that was just set.
	Lockout()
	// ResetLinkSent counts an e-mailed reset or set-password link; ResetLinkUsed one
	// that changed a password.
	ResetLinkSent()
	ResetLinkUsed()
	// HashWait is how long a password hash waited for a slot in the hash pool.
	HashWait(d time.Duration)
	// MailSent counts a delivered e-mail; MailFailed a failed attempt, gaveUp when it
	// was the last.
	MailSent()
	MailFailed(gaveUp bool)
	// Purged counts rows the retention job deleted, by kind of data.
	Purged(kind string, n int)
	// Assisted recovery: help requests for real accounts, wrong identity checks,
	// recovery passes issued, and passes redeemed with the time from request to
	// resolution.
	HelpRequested()
	HelpCheckFailed()
	RecoveryPassIssued()
	RecoveryPassRedeemed(sinceRequest time.Duration)
}

// SignInOutcome is how a sign-in attempt ended.
type SignInOutcome string

// The outcomes of a sign-in attempt.
const (
	SignInOK      SignInOutcome = "ok"
	SignInWrong   SignInOutcome = "wrong"
	SignInLocked  SignInOutcome = "locked"
	SignInBusy    SignInOutcome = "busy"
	SignInExpired SignInOutcome = "expired" // temporary password past its lifetime
	SignInInvalid SignInOutcome = "invalid" // empty identifier or password
	SignInError   SignInOutcome = "error"
	// SignInThrottled: the client address failed too many sign-ins across accounts.
	SignInThrottled SignInOutcome = "throttled"
)

// SignInOutcomeOf classifies what SignIn returned.
func SignInOutcomeOf(err error) SignInOutcome {
	var locked *LockedError
	var invalid *ValidationError
	var throttled *ThrottledError
	switch {
	case err == nil:
		return SignInOK
	case errors.Is(err, ErrInvalidCredentials):
		return SignInWrong
	case errors.As(err, &locked):
		return SignInLocked
	case errors.Is(err, ErrBusy):
		return SignInBusy
	case errors.Is(err, ErrTempPasswordExpired):
		return SignInExpired
	case errors.As(err, &invalid):
		return SignInInvalid
	case errors.As(err, &throttled):
		return SignInThrottled
	}
	return SignInError
}

// NopMetrics counts nothing.
type NopMetrics struct{}

func (NopMetrics) SignIn(SignInOutcome)               {}
func (NopMetrics) Lockout()                           {}
func (NopMetrics) ResetLinkSent()                     {}
func (NopMetrics) ResetLinkUsed()                     {}
func (NopMetrics) HashWait(time.Duration)             {}
func (NopMetrics) MailSent()                          {}
func (NopMetrics) MailFailed(bool)                    {}
func (NopMetrics) Purged(string, int)                 {}
func (NopMetrics) HelpRequested()                     {}
func (NopMetrics) HelpCheckFailed()                   {}
func (NopMetrics) RecoveryPassIssued()                {}
func (NopMetrics) RecoveryPassRedeemed(time.Duration) {}
