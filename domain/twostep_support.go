package domain

import (
	"context"
	"errors"
	"time"
)

// Vendor support staff always take a second step: their challenges, enrolments and
// lockout counters live under portal id 0, with the default policy.

// DemoSupportTwoStepSecret is the authenticator secret of the demo support account, so
// that the README can print it. Only demo data uses it.
const DemoSupportTwoStepSecret = "WATCHPOSTDEMOSUPPORTSAMSUPPORT22"

// supportGate starts the second step of a support sign-in: a code when enrolled,
// enrolment otherwise.
func (t *TwoStepService) supportGate(ctx context.Context, u *SupportUser, at *Attempt, now time.Time) error {
	ts, err := t.enrolment(ctx, supportPortalID, u.ID)
	if err != nil {
		return err
	}
	purpose := ChallengeEnrol
	if ts.Enrolled() {
		purpose = ChallengeCode
	}
	if err := t.lockout.Hold(ctx, at); err != nil {
		return err
	}
	return t.challenge(ctx, supportHolder(u), &TwoStepChallenge{PortalID: supportPortalID, UserID: u.ID, Ident: at.Ident, Kind: SessionSupport, Purpose: purpose}, now)
}

// supportPending loads a support challenge and its support person.
func (t *TwoStepService) supportPending(ctx context.Context, token, purpose string) (*TwoStepChallenge, *SupportUser, error) {
	if !ValidTokenShape(token) {
		return nil, nil, ErrChallengeEnded
	}
	ch, err := t.store.Challenge(ctx, HashToken(token), t.clock.Now())
	if errors.Is(err, ErrNotFound) || (err == nil && (ch.PortalID != supportPortalID || ch.Kind != SessionSupport || ch.Purpose != purpose)) {
		return nil, nil, ErrChallengeEnded
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := t.store.SupportUserByUsername(ctx, ch.Ident)
	if errors.Is(err, ErrNotFound) || (err == nil && u.ID != ch.UserID) {
		return nil, nil, ErrChallengeEnded
	}
	return ch, u, err
}

// CompleteSupport checks a support person's code or recovery code and starts their
// support-console session.
func (t *TwoStepService) CompleteSupport(ctx context.Context, support *SupportService, token, code, recovery, ip string) (string, error) {
	code, recovery, err := cleanSecondStep(TwoStepInput{Code: code, Recovery: recovery})
	if err != nil {
		return "", err
	}
	ch, u, err := t.supportPending(ctx, token, ChallengeCode)
	if err != nil {
		return "", err
	}
	h := supportHolder(u)
	at := &Attempt{PortalID: supportPortalID, Policy: DefaultPolicy(), Ident: ch.Ident, Account: supportAccountKey(u.ID), IP: ip, Via: "support console two-step"}
	if err := t.attempt(ctx, at, func() error { return t.redeem(ctx, h, ch, code, recovery) }); err != nil {
		return "", err
	}
	if err := t.lockout.ClearFor(ctx, supportPortalID, ch.Ident, supportAccountKey(u.ID)); err != nil {
		return "", err
	}
	return support.startSession(ctx, u)
}

// SupportEnrolment shows the secret of a support person's enrolment challenge.
func (t *TwoStepService) SupportEnrolment(ctx context.Context, token string) (*Enrolment, error) {
	ch, u, err := t.supportPending(ctx, token, ChallengeEnrol)
	if err != nil {
		return nil, err
	}
	secret, err := t.flowSecret(ch)
	if err != nil {
		return nil, err
	}
	return enrolmentFor(supportHolder(u), secret), nil
}

// ConfirmSupportEnrolment confirms a support person's new authenticator and signs them
// in, returning their recovery codes.
func (t *TwoStepService) ConfirmSupportEnrolment(ctx context.Context, support *SupportService, token, code, ip string) (string, []string, error) {
	if _, err := CleanCode(code); err != nil {
		return "", nil, err
	}
	ch, u, err := t.supportPending(ctx, token, ChallengeEnrol)
	if err != nil {
		return "", nil, err
	}
	secret, err := t.flowSecret(ch)
	if err != nil {
		return "", nil, err
	}
	codes, err := t.confirm(ctx, supportHolder(u), secret, code, ip, func(tx Store) error {
		return useFlow(ctx, tx, ch, t.clock.Now())
	})
	if err != nil {
		return "", nil, err
	}
	if err := t.lockout.ClearFor(ctx, supportPortalID, ch.Ident, supportAccountKey(u.ID)); err != nil {
		return "", nil, err
	}
	session, err := support.startSession(ctx, u)
	return session, codes, err
}

// enrolFixed enrols a person with a known secret (the demo support account) inside tx.
func (t *TwoStepService) enrolFixed(ctx context.Context, tx Store, portalID, userID int64, secret string) error {
	return tx.EnableTwoStep(ctx, portalID, userID, t.seal(portalID, userID, secret), 0, t.clock.Now())
}
