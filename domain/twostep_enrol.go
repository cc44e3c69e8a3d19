package domain

import (
	"context"
	"crypto/rand"
	"net/url"

	"github.com/pquerna/otp/totp"

	"github.com/watchpost/watchpost/i18n"
)

// Turning two-step verification on (a secret shown as a QR code, confirmed with a code,
// then ten recovery codes shown once), off (password and a code), and an administrator's
// reset of someone else's enrolment.

// The audit events of two-step verification.
const (
	EventTwoStepEnabled  = "two_step_enabled"
	EventTwoStepDisabled = "two_step_disabled"
	EventTwoStepReset    = "two_step_reset"
	EventTwoStepFailed   = "two_step_failed"
	EventRecoveryUsed    = "recovery_code_used"
)

// PermResetTwoStep lets a role remove another person's two-step enrolment.
const PermResetTwoStep Permission = "reset_two_step"

// holder is whoever owns an enrolment: a portal user, or vendor support (portal 0).
type holder struct {
	portalID, userID int64
	issuer, account  string // what the authenticator app shows
	email, name      string
	portalName       string
	portal           *Portal // nil for vendor support
	user             *User   // nil for vendor support
}

func userHolder(p *Portal, u *User) holder {
	return holder{portalID: p.ID, userID: u.ID, issuer: p.Name, account: u.Username, email: u.Email, name: u.DisplayName, portalName: p.Name, portal: p, user: u}
}

func supportHolder(u *SupportUser) holder {
	return holder{portalID: supportPortalID, userID: u.ID, issuer: "Watchpost support", account: u.Username, email: u.Email, name: u.DisplayName, portalName: "Watchpost support"}
}

// Enrolment is a secret waiting to be confirmed: shown as a QR code (URI) and as text.
type Enrolment struct {
	Secret string
	URI    string
}

// Begin shows the person a secret to add to their authenticator app. Until they confirm
// it with a code, nothing changes; the same secret is shown again for a while, so that a
// reload does not invalidate what they just scanned.
func (t *TwoStepService) Begin(ctx context.Context, portal *Portal, user *User) (*Enrolment, error) {
	return t.begin(ctx, userHolder(portal, user))
}

func (t *TwoStepService) begin(ctx context.Context, h holder) (*Enrolment, error) {
	now := t.clock.Now()
	ts, err := t.enrolment(ctx, h.portalID, h.userID)
	if err != nil {
		return nil, err
	}
	if ts != nil && ts.PendingSecret != "" && now.Sub(ts.PendingAt) < pendingSecretLife {
		if secret, err := t.open(h.portalID, h.userID, ts.PendingSecret); err == nil {
			return enrolmentFor(h, secret), nil
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: h.issuer, AccountName: h.account, Rand: rand.Reader})
	if err != nil {
		return nil, err
	}
	if err := t.store.SavePendingTwoStep(ctx, h.portalID, h.userID, t.seal(h.portalID, h.userID, key.Secret()), now); err != nil {
		return nil, err
	}
	return enrolmentFor(h, key.Secret()), nil
}

// enrolmentFor builds the otpauth:// address an authenticator app reads from the QR code.
func enrolmentFor(h holder, secret string) *Enrolment {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", h.issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + h.issuer + ":" + h.account, RawQuery: v.Encode()}
	return &Enrolment{Secret: secret, URI: u.String()}
}

// Confirm turns two-step verification on with the code from the newly added app, and
// returns the recovery codes, shown once. A wrong code changes nothing.
func (t *TwoStepService) Confirm(ctx context.Context, portal *Portal, user *User, code, ip string) ([]string, error) {
	return t.confirm(ctx, userHolder(portal, user), code, ip, nil)
}

// confirm checks code against the pending secret and, in one transaction with also,
// makes it the person's authenticator with new recovery codes, an audit event and an
// e-mail.
func (t *TwoStepService) confirm(ctx context.Context, h holder, code, ip string, also func(Store) error) ([]string, error) {
	code, err := CleanCode(code)
	if err != nil {
		return nil, err
	}
	now := t.clock.Now()
	ts, err := t.enrolment(ctx, h.portalID, h.userID)
	if err != nil {
		return nil, err
	}
	if ts == nil || ts.PendingSecret == "" || now.Sub(ts.PendingAt) >= pendingSecretLife {
		return nil, ErrChallengeEnded
	}
	secret, err := t.open(h.portalID, h.userID, ts.PendingSecret)
	if err != nil {
		return nil, err
	}
	step, ok := matchStep(secret, code, now)
	if !ok {
		return nil, ErrWrongCode
	}
	codes, hashes := t.newRecoveryCodes(h.portalID, h.userID)
	detail := Notes{note("audit.two_step.added")}
	if ts.Enrolled() {
		detail = Notes{note("audit.two_step.replaced")}
	}
	err = t.store.InTx(ctx, func(tx Store) error {
		if err := tx.ConfirmTwoStep(ctx, h.portalID, h.userID, ts.PendingSecret, step, now); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, h.portalID, h.userID, hashes, now); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if err := audit(ctx, tx, now, h.portalID, h.userID, 0, EventTwoStepEnabled, detail, ip); err != nil {
			return err
		}
		return enqueue(ctx, tx, now, h.portalID, twoStepEmail(ctx, h, "enabled", 0))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// NewRecoveryCodes replaces the person's recovery codes after a code from their app.
func (t *TwoStepService) NewRecoveryCodes(ctx context.Context, portal *Portal, user *User, code, ip string) ([]string, error) {
	h := userHolder(portal, user)
	if err := t.useCode(ctx, h, code); err != nil {
		return nil, err
	}
	codes, hashes := t.newRecoveryCodes(h.portalID, h.userID)
	now := t.clock.Now()
	err := t.store.InTx(ctx, func(tx Store) error {
		if err := tx.ReplaceRecoveryCodes(ctx, h.portalID, h.userID, hashes, now); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, h.portalID, h.userID, 0, EventTwoStepEnabled, Notes{note("audit.two_step.new_codes")}, ip); err != nil {
			return err
		}
		return enqueue(ctx, tx, now, h.portalID, twoStepEmail(ctx, h, "codes", 0))
	})
	return codes, err
}

// useCode checks a code of the person's confirmed authenticator and uses it up.
func (t *TwoStepService) useCode(ctx context.Context, h holder, code string) error {
	code, err := CleanCode(code)
	if err != nil {
		return err
	}
	ts, err := t.enrolment(ctx, h.portalID, h.userID)
	if err != nil {
		return err
	}
	if !ts.Enrolled() {
		return ErrNotEnrolled
	}
	secret, err := t.open(h.portalID, h.userID, ts.Secret)
	if err != nil {
		return err
	}
	step, ok := matchStep(secret, code, t.clock.Now())
	if !ok {
		return ErrWrongCode
	}
	fresh, err := t.store.UseTwoStepStep(ctx, h.portalID, h.userID, step)
	if err != nil {
		return err
	}
	if !fresh {
		return ErrWrongCode // this code was already used
	}
	return nil
}

// Disable turns two-step verification off for the signed-in person, who proves it with
// their password and a code. A role that requires it cannot turn it off. The password
// and the code are checked under the sign-in lockout.
func (t *TwoStepService) Disable(ctx context.Context, portal *Portal, sess *Session, password, code, ip string) error {
	user := sess.User
	if portal.Policy.RequiredFor(user.Role) {
		return ErrTwoStepRequired
	}
	if _, err := CleanCode(code); err != nil {
		return err
	}
	h := userHolder(portal, user)
	err := t.attempt(ctx, userAttempt(portal, user, "", ip, sess.Kind), func() error {
		ok, _, err := t.hasher.Verify(ctx, password, user.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			return ErrInvalidCredentials
		}
		return t.useCode(ctx, h, code)
	})
	if err != nil {
		return err
	}
	if err := t.lockout.ClearFor(ctx, portal.ID, "", AccountKey(user.ID)); err != nil {
		return err
	}
	return t.remove(ctx, h, 0, EventTwoStepDisabled, Notes{note("audit.two_step.off_by_user")}, ip, "disabled")
}

// Reset removes another person's enrolment, for someone who lost their phone and their
// recovery codes. It needs the "Reset two-step verification" permission and, as for
// passwords, that the person holds no permission the actor lacks. Their own enrolment
// people change on their account page, with a code.
func (t *TwoStepService) Reset(ctx context.Context, actor *User, targetID int64, ip string) error {
	target, err := t.store.UserByID(ctx, actor.PortalID, targetID)
	if err != nil {
		return err
	}
	if err := guard(actor, target, PermResetTwoStep); err != nil {
		return err
	}
	if actor.ID == target.ID {
		return &ForbiddenError{Permission: PermResetTwoStep, Reason: "errors.forbidden.own_two_step"}
	}
	portal, err := t.store.PortalByID(ctx, actor.PortalID)
	if err != nil {
		return err
	}
	return t.remove(ctx, userHolder(portal, target), actor.ID, EventTwoStepReset, Notes{note("audit.two_step.removed_by", "Name", actor.Username)}, ip, "reset")
}

// remove deletes an enrolment with its recovery codes and pending challenges, records
// the event and tells the person.
func (t *TwoStepService) remove(ctx context.Context, h holder, actorID int64, event string, detail Notes, ip, mail string) error {
	now := t.clock.Now()
	return t.store.InTx(ctx, func(tx Store) error {
		found, err := tx.DeleteTwoStep(ctx, h.portalID, h.userID)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotEnrolled
		}
		if err := tx.DeleteUserChallenges(ctx, h.portalID, h.userID); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, h.portalID, h.userID, actorID, event, detail, ip); err != nil {
			return err
		}
		return enqueue(ctx, tx, now, h.portalID, twoStepEmail(ctx, h, mail, actorID))
	})
}

// twoStepEmail tells the person about a change to their two-step verification; what is
// "enabled", "disabled", "reset", "recovery" or "codes".
// It is written in the person's language (see linkLanguage), not in that of an
// administrator (actorID) who reset it.
func twoStepEmail(ctx context.Context, h holder, what string, actorID int64) Email {
	l := i18n.FromContext(ctx)
	if h.user != nil {
		l = linkLanguage(ctx, h.portal, h.user, actorID)
	}
	return mailBody(l, h.email, l.T("twostep.mail."+what+".subject", "Portal", h.portalName), "two_step_"+what,
		l.T("twostep.mail.hello", "Name", h.name),
		l.T("twostep.mail."+what+".body", "Portal", h.portalName, "Username", h.account),
		l.T("twostep.mail.not_you"))
}
