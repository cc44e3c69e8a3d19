package domain

import (
	"context"
	"errors"
)

// Re-authentication: before a change to how a signed-in person signs in (moving two-step
// verification to a new app, new recovery codes, turning it off, their own e-mail
// address), they prove it is them, so that a copied session cookie alone changes
// nothing. The proof is checked like a sign-in.

// Reauth is what the person types: their password and, when they use two-step
// verification, a current code from their app or one of their recovery codes.
type Reauth struct {
	Password string
	Code     string // six digits, or a recovery code
}

// reauthenticate checks proof under the lockout rule of the person's account (wrong
// passwords and wrong codes count like sign-in attempts, and lock), with the session's
// fair share of the hash pool. A wrong password is audited sign_in_failed, a wrong code
// two_step_failed. Errors: ErrInvalidCredentials, ErrWrongCode, ErrCodeFormat,
// *LockedError, *ThrottledError, ErrBusy.
func (t *TwoStepService) reauthenticate(ctx context.Context, portal *Portal, sess *Session, proof Reauth, ip string) error {
	user := sess.User
	ts, err := t.enrolment(ctx, portal.ID, user.ID)
	if err != nil {
		return err
	}
	code, recovery := "", ""
	if ts.Enrolled() {
		if code, recovery, err = cleanEither(proof.Code); err != nil {
			return err
		}
	}
	release, err := t.admit(ip, "session:"+sess.ID)
	if err != nil {
		return err
	}
	defer release()
	h := userHolder(portal, user)
	at := userAttempt(portal, user, "", ip, sess.Kind)
	at.Via = "password re-entry"
	err = t.attempt(ctx, at, func() error {
		ok, _, err := t.verifyFor(ctx, user.PasswordHash, proof.Password)
		if err != nil {
			return err
		}
		if !ok {
			return ErrInvalidCredentials
		}
		if !ts.Enrolled() {
			return nil
		}
		if recovery != "" {
			return t.useRecovery(ctx, h, recovery)
		}
		return t.useCode(ctx, h, code)
	})
	now := t.clock.Now()
	switch {
	case errors.Is(err, ErrWrongCode):
		logErr(ctx, "audit", audit(ctx, t.store, AuditEvent{PortalID: portal.ID, UserID: user.ID, Type: EventTwoStepFailed, IP: ip, CreatedAt: now}, Notes{note("audit.via", "Via", viaKey(string(sess.Kind)))}))
	case errors.Is(err, ErrInvalidCredentials):
		logErr(ctx, "audit", audit(ctx, t.store, AuditEvent{PortalID: portal.ID, UserID: user.ID, Type: EventSignInFailed, IP: ip, CreatedAt: now}, Notes{note("audit.password.wrong_current")}))
	}
	if err != nil {
		return err
	}
	return t.lockout.ClearFor(ctx, portal.ID, "", AccountKey(user.ID))
}

// cleanEither reads what was typed as a current code: six digits, or a recovery code.
func cleanEither(s string) (code, recovery string, err error) {
	if code, err = CleanCode(s); err == nil {
		return code, "", nil
	}
	if recovery, err = cleanRecovery(s); err == nil {
		return "", recovery, nil
	}
	return "", "", ErrCodeFormat
}

// useRecovery uses up one of the person's recovery codes.
func (t *TwoStepService) useRecovery(ctx context.Context, h holder, recovery string) error {
	fresh, err := t.store.UseRecoveryCode(ctx, h.portalID, h.userID, t.recoveryHash(h.portalID, h.userID, recovery), t.clock.Now())
	if err != nil {
		return err
	}
	if !fresh {
		return ErrWrongCode
	}
	return nil
}
