package domain

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"time"

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
// Flow names the account page's enrolment flow that showed it (its form sends it back);
// at sign-in the challenge is the flow.
type Enrolment struct {
	Secret string
	URI    string
	Flow   string
}

// newSecret makes a fresh authenticator secret for h, and its sealed form.
func (t *TwoStepService) newSecret(h holder) (secret, sealed string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: h.issuer, AccountName: h.account, Rand: rand.Reader})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), t.seal(h.portalID, h.userID, key.Secret()), nil
}

// Begin opens an enrolment flow on the account page: a fresh secret, shown to this
// opening of the page only and bound to the session, so that nobody else (another
// session, a copy of this one opening the page again) sees it or can confirm it.
// Opening the page again ends the session's earlier flow.
func (t *TwoStepService) Begin(ctx context.Context, portal *Portal, sess *Session) (*Enrolment, error) {
	h := userHolder(portal, sess.User)
	secret, sealed, err := t.newSecret(h)
	if err != nil {
		return nil, err
	}
	if err := t.store.DeleteSessionChallenges(ctx, portal.ID, sess.ID); err != nil {
		return nil, err
	}
	token, hash := NewToken()
	now := t.clock.Now()
	err = t.store.CreateChallenge(ctx, &TwoStepChallenge{ID: hash, PortalID: portal.ID, UserID: sess.UserID, Kind: sess.Kind,
		Purpose: ChallengeAccountEnrol, PasswordChangedAt: sess.User.PasswordChangedAt, CreatedAt: now,
		ExpiresAt: now.Add(accountFlowLife), Secret: sealed, SessionID: sess.ID})
	if err != nil {
		return nil, err
	}
	e := enrolmentFor(h, secret)
	e.Flow = token
	return e, nil
}

// Flow shows again the enrolment of one of the session's own flows (a form sent back
// with a problem); ErrChallengeEnded when it is not the session's or has ended.
func (t *TwoStepService) Flow(ctx context.Context, portal *Portal, sess *Session, flow string) (*Enrolment, error) {
	_, secret, err := t.accountFlow(ctx, portal, sess, flow)
	if err != nil {
		return nil, err
	}
	e := enrolmentFor(userHolder(portal, sess.User), secret)
	e.Flow = flow
	return e, nil
}

// accountFlow loads the session's live enrolment flow named by token, with its secret.
func (t *TwoStepService) accountFlow(ctx context.Context, portal *Portal, sess *Session, token string) (*TwoStepChallenge, string, error) {
	if !ValidTokenShape(token) {
		return nil, "", ErrChallengeEnded
	}
	ch, err := t.store.Challenge(ctx, HashToken(token), t.clock.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, "", ErrChallengeEnded
	}
	if err != nil {
		return nil, "", err
	}
	if ch.PortalID != portal.ID || ch.Purpose != ChallengeAccountEnrol || ch.UserID != sess.UserID || ch.SessionID != sess.ID {
		return nil, "", ErrChallengeEnded
	}
	secret, err := t.open(ch.PortalID, ch.UserID, ch.Secret)
	if err != nil {
		return nil, "", ErrChallengeEnded
	}
	return ch, secret, nil
}

// flowSecret opens the secret an enrolment challenge of the sign-in holds.
func (t *TwoStepService) flowSecret(ch *TwoStepChallenge) (string, error) {
	secret, err := t.open(ch.PortalID, ch.UserID, ch.Secret)
	if err != nil {
		return "", ErrChallengeEnded // a challenge from before flows held their secret
	}
	return secret, nil
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

// Confirm turns two-step verification on, or moves it to a new app, with a code from
// the app that scanned this flow's secret. The person first proves it is them (proof:
// password, and a current code or recovery code when already enrolled); every other
// session and app token is then signed out. It returns the recovery codes, shown once.
// A wrong code changes nothing.
func (t *TwoStepService) Confirm(ctx context.Context, portal *Portal, sess *Session, flow, code string, proof Reauth, ip string) ([]string, error) {
	code, err := CleanCode(code)
	if err != nil {
		return nil, err
	}
	ch, secret, err := t.accountFlow(ctx, portal, sess, flow)
	if err != nil {
		return nil, err
	}
	if _, ok := matchStep(secret, code, t.clock.Now()); !ok {
		return nil, ErrWrongCode // the new app's code: nothing secret is guessed here
	}
	if err := t.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
		return nil, err
	}
	return t.confirm(ctx, userHolder(portal, sess.User), secret, code, ip, func(tx Store) error {
		if err := useFlow(ctx, tx, ch, t.clock.Now()); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, portal.ID, sess.UserID, sess.ID); err != nil {
			return err
		}
		sess.TwoStep = true // a code of the new app, with the password and any old code
		return tx.MarkSessionTwoStep(ctx, portal.ID, sess.ID)
	})
}

// useFlow ends the flow that showed the secret being confirmed: exactly one confirmation.
func useFlow(ctx context.Context, tx Store, ch *TwoStepChallenge, now time.Time) error {
	_, err := tx.UseChallenge(ctx, ch.ID, now)
	if errors.Is(err, ErrNotFound) {
		return ErrChallengeEnded
	}
	return err
}

// confirm checks code against the flow's secret and, in one transaction with also (which
// ends the flow), makes it the person's authenticator with new recovery codes, an audit
// event and an e-mail. Every other pending challenge of the person ends: a flow with
// another secret can no longer replace this one.
func (t *TwoStepService) confirm(ctx context.Context, h holder, secret, code, ip string, also func(Store) error) ([]string, error) {
	code, err := CleanCode(code)
	if err != nil {
		return nil, err
	}
	now := t.clock.Now()
	step, ok := matchStep(secret, code, now)
	if !ok {
		return nil, ErrWrongCode
	}
	ts, err := t.enrolment(ctx, h.portalID, h.userID)
	if err != nil {
		return nil, err
	}
	codes, hashes := t.newRecoveryCodes(h.portalID, h.userID)
	detail := Notes{note("audit.two_step.added")}
	if ts.Enrolled() {
		detail = Notes{note("audit.two_step.replaced")}
	}
	err = t.store.InTx(ctx, func(tx Store) error {
		if err := also(tx); err != nil {
			return err
		}
		if err := tx.DeleteUserChallenges(ctx, h.portalID, h.userID); err != nil {
			return err
		}
		if err := tx.EnableTwoStep(ctx, h.portalID, h.userID, t.seal(h.portalID, h.userID, secret), step, now); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, h.portalID, h.userID, hashes, now); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: h.portalID, UserID: h.userID, Type: EventTwoStepEnabled, IP: ip, CreatedAt: now}, detail); err != nil {
			return err
		}
		return t.tell(ctx, tx, now, h, "enabled", 0)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// NewRecoveryCodes replaces the person's recovery codes once they proved it is them
// (password, and a current code or recovery code), and signs out their other sessions.
func (t *TwoStepService) NewRecoveryCodes(ctx context.Context, portal *Portal, sess *Session, proof Reauth, ip string) ([]string, error) {
	h := userHolder(portal, sess.User)
	ts, err := t.enrolment(ctx, h.portalID, h.userID)
	if err != nil {
		return nil, err
	}
	if !ts.Enrolled() {
		return nil, ErrNotEnrolled
	}
	if err := t.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
		return nil, err
	}
	codes, hashes := t.newRecoveryCodes(h.portalID, h.userID)
	now := t.clock.Now()
	err = t.store.InTx(ctx, func(tx Store) error {
		if err := tx.ReplaceRecoveryCodes(ctx, h.portalID, h.userID, hashes, now); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, portal.ID, sess.UserID, sess.ID); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: h.portalID, UserID: h.userID, Type: EventTwoStepEnabled, IP: ip, CreatedAt: now}, Notes{note("audit.two_step.new_codes")}); err != nil {
			return err
		}
		return t.tell(ctx, tx, now, h, "codes", 0)
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
// their password and a code (or a recovery code), checked under the sign-in lockout.
// A role that requires it cannot turn it off. Other sessions are signed out.
func (t *TwoStepService) Disable(ctx context.Context, portal *Portal, sess *Session, proof Reauth, ip string) error {
	user := sess.User
	if portal.Policy.RequiredFor(user.Role) {
		return ErrTwoStepRequired
	}
	ts, err := t.enrolment(ctx, portal.ID, user.ID)
	if err != nil {
		return err
	}
	if !ts.Enrolled() {
		return ErrNotEnrolled
	}
	if err := t.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
		return err
	}
	return t.remove(ctx, userHolder(portal, user), 0, EventTwoStepDisabled, Notes{note("audit.two_step.off_by_user")}, ip, "disabled", sess.ID)
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
	if err := t.guardCredential(ctx, actor, target, PermResetTwoStep); err != nil {
		return err
	}
	if actor.ID == target.ID {
		return &ForbiddenError{Permission: PermResetTwoStep, Reason: "errors.forbidden.own_two_step"}
	}
	portal, err := t.store.PortalByID(ctx, actor.PortalID)
	if err != nil {
		return err
	}
	return t.remove(ctx, userHolder(portal, target), actor.ID, EventTwoStepReset, Notes{note("audit.two_step.removed_by", "Name", actor.Username)}, ip, "reset", "")
}

// remove deletes an enrolment with its recovery codes and pending challenges, signs out
// every session and app token but keep's (an administrator's reset: all of them, as
// whoever holds the lost phone may hold a session too), records the event and tells
// the person.
func (t *TwoStepService) remove(ctx context.Context, h holder, actorID int64, event string, detail Notes, ip, mail, keep string) error {
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
		if _, err := tx.DeleteUserSessions(ctx, h.portalID, h.userID, keep); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: h.portalID, UserID: h.userID, ActorID: actorID, Type: event, IP: ip, CreatedAt: now}, detail); err != nil {
			return err
		}
		return t.tell(ctx, tx, now, h, mail, actorID)
	})
}

// twoStepEmail tells the person about a change to their two-step verification; what is
// "enabled", "disabled", "reset", "recovery", "codes" or "replayed" (a used code entered again).
// It is written in the person's language (see linkLanguage), not in that of an
// administrator (actorID) who reset it.
func twoStepEmail(ctx context.Context, h holder, what string, actorID int64, notMe string) Mail {
	l := i18n.FromContext(ctx)
	if h.user != nil {
		l = linkLanguage(ctx, h.portal, h.user, actorID)
	}
	return newMail(l, h.email, l.T("twostep.mail."+what+".subject", "Portal", h.portalName), "two_step_"+what,
		append([]MailPart{para(l.T("twostep.mail.hello", "Name", h.name)),
			para(l.T("twostep.mail."+what+".body", "Portal", h.portalName, "Username", h.account))},
			notYou(l, notMe)...)...)
}

// notYou ends a two-step e-mail: "this wasn't me" for a portal account, else what to do.
func notYou(l i18n.Lang, notMe string) []MailPart {
	if notMe == "" {
		return []MailPart{para(l.T("twostep.mail.not_you"))}
	}
	return notMeParts(l, notMe)
}

// tell enqueues, inside st, the e-mail about a change to h's two-step verification: with
// "this wasn't me" for a portal account (vendor support has no such page).
func (t *TwoStepService) tell(ctx context.Context, st Store, now time.Time, h holder, what string, actorID int64) error {
	if h.user == nil {
		return t.enqueue(ctx, st, now, h.portalID, twoStepEmail(ctx, h, what, actorID, ""))
	}
	return t.notify(ctx, st, now, h.portal, h.user, h.email, func(notMe string) Mail {
		return twoStepEmail(ctx, h, what, actorID, notMe)
	})
}
