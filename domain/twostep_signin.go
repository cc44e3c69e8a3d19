package domain

import (
	"context"
	"errors"
	"time"
)

// The step after a correct password: a code or a recovery code for an enrolled person,
// or enrolment for one whose role requires two-step verification. The password step
// leaves only a challenge (hashed, short-lived, single-use); the session starts here.

// gate decides, after a correct password, whether a second step must follow. It returns
// nil when the person may sign in now, or a *TwoStepRequiredError naming a new challenge.
// The lockout counter is not cleared until the second step succeeds, so the password
// alone never buys more code guesses (Lockout.Hold).
func (t *TwoStepService) gate(ctx context.Context, r SignInRequest, at *Attempt, user *User, now time.Time) error {
	ts, err := t.enrolment(ctx, r.Portal.ID, user.ID)
	if err != nil {
		return err
	}
	purpose := ChallengeCode
	switch {
	case ts.Enrolled():
	case r.Portal.Policy.RequiredFor(user.Role):
		purpose = ChallengeEnrol
	default:
		return nil
	}
	if purpose == ChallengeEnrol && r.Kind == SessionMobile {
		// The app cannot enrol; it sends the person to the web. Nothing is pending, so
		// the right password spends no attempt.
		t.lockout.Release(ctx, at)
		return &TwoStepRequiredError{Enrol: true}
	}
	if err := t.holdOne(ctx, at, user, now); err != nil {
		return err
	}
	return t.challenge(ctx, userHolder(r.Portal, user), &TwoStepChallenge{
		PortalID: r.Portal.ID, UserID: user.ID, Ident: at.Ident, Kind: r.Kind, Purpose: purpose,
		Device: Truncate(r.Device, 200), IP: r.IP, PasswordChangedAt: user.PasswordChangedAt,
	}, now)
}

// holdOne keeps a right password's attempt while its second step is open, but at most
// one per person: a right password while another second step is still open gives its
// attempt back, so a person signing in again (or an app retrying) does not lock
// themselves out. Wrong codes still count, each on its own.
func (t *TwoStepService) holdOne(ctx context.Context, at *Attempt, user *User, now time.Time) error {
	open, err := t.store.OpenChallenges(ctx, user.PortalID, user.ID, now)
	if err != nil {
		return err
	}
	if open > 0 {
		t.lockout.Release(ctx, at)
		return nil
	}
	return t.lockout.Hold(ctx, at)
}

// challenge stores c and returns the *TwoStepRequiredError that hands its token out. An
// enrolment challenge gets its own fresh secret: this sign-in alone shows and confirms it.
func (t *TwoStepService) challenge(ctx context.Context, h holder, c *TwoStepChallenge, now time.Time) error {
	token, hash := NewToken()
	life := codeChallengeLife
	if c.Purpose == ChallengeEnrol {
		life = enrolChallengeLife
		var err error
		if _, c.Secret, err = t.newSecret(h); err != nil {
			return err
		}
	}
	c.ID, c.CreatedAt, c.ExpiresAt = hash, now, now.Add(life)
	if err := t.store.CreateChallenge(ctx, c); err != nil {
		return err
	}
	return &TwoStepRequiredError{Token: token, Enrol: c.Purpose == ChallengeEnrol, ExpiresAt: c.ExpiresAt}
}

// attempt runs one guessable check (a code, a password) under the lockout rule for the
// attempt's identifier and account, like a password at sign-in: refused unchecked while
// locked or while more attempts are in flight than allowed, and a failure that uses the
// last allowed attempt locks. A success clears nothing: the caller does, once the whole
// sign-in passed.
func (t *TwoStepService) attempt(ctx context.Context, at *Attempt, check func() error) error {
	if err := t.lockout.Reserve(ctx, at); err != nil {
		return err
	}
	err := check()
	if errors.Is(err, ErrWrongCode) {
		at.Cause = CauseCode
	}
	if errors.Is(err, ErrWrongCode) || errors.Is(err, ErrInvalidCredentials) {
		if ferr := t.lockout.Fail(ctx, at); !errors.Is(ferr, ErrInvalidCredentials) {
			return ferr // locked now, or the counter could not be written
		}
	}
	return err
}

// userAttempt is a second-step attempt on a portal account.
func userAttempt(portal *Portal, user *User, ident, ip string, kind SessionKind) *Attempt {
	return &Attempt{PortalID: portal.ID, Policy: portal.Policy, Ident: ident, Account: AccountKey(user.ID),
		Portal: portal, User: user, IP: ip, Via: "two-step " + string(kind)}
}

// TwoStepInput is the second step of a sign-in: the challenge's token and either a code
// from the authenticator app or a recovery code.
type TwoStepInput struct {
	Portal   *Portal
	Token    string
	Code     string
	Recovery string
	IP       string
	Kind     SessionKind
	// DeviceToken is the device token the browser or app kept ("" when none): a code
	// from a known device counts in that device's allowance (see Lockout).
	DeviceToken string
}

// TwoStepResult is a sign-in completed by its second step.
type TwoStepResult struct {
	*SignInResult
	UsedRecovery  bool     // signed in with a recovery code: offer to set up a new device
	RecoveryLeft  int      // unused recovery codes after this one
	RecoveryCodes []string // new codes after an enrolment, shown once
}

// Complete checks the second step and starts the session. Errors: ErrCodeFormat or
// ErrRecoveryCodeFormat (nothing counted), ErrWrongCode (a wrong or reused code, counted
// toward the lockout), *LockedError, ErrChallengeEnded (expired, used, or the password
// changed meanwhile: sign in again) and ErrTempPasswordExpired.
func (t *TwoStepService) Complete(ctx context.Context, in TwoStepInput) (*TwoStepResult, error) {
	code, recovery, err := cleanSecondStep(in)
	if err != nil {
		return nil, err
	}
	ch, user, err := t.pending(ctx, in.Portal, in.Token, ChallengeCode, in.Kind)
	if err != nil {
		return nil, err
	}
	h := userHolder(in.Portal, user)
	r := SignInRequest{Portal: in.Portal, IP: in.IP, Device: ch.Device, Kind: ch.Kind, DeviceToken: in.DeviceToken}
	at := userAttempt(in.Portal, user, ch.Ident, in.IP, ch.Kind)
	if at.Device, err = t.recogniseDevice(ctx, in.Portal.ID, in.DeviceToken, user); err != nil {
		return nil, err
	}
	var redeemed error // what the check found, even when its failure locked
	err = t.attempt(ctx, at, func() error {
		redeemed = t.redeem(ctx, h, ch, code, recovery)
		return redeemed
	})
	var locked *LockedError
	if errors.As(err, &locked) {
		_, _ = t.store.UseChallenge(ctx, ch.ID, t.clock.Now()) // this sign-in is over
	}
	if errors.Is(err, ErrWrongCode) {
		logErr(ctx, "audit", audit(ctx, t.store, AuditEvent{PortalID: in.Portal.ID, UserID: user.ID, Type: EventTwoStepFailed, IP: in.IP, CreatedAt: t.clock.Now()}, Notes{note("audit.via", "Via", viaKey(string(ch.Kind)))}))
	}
	if errors.Is(redeemed, errCodeReplayed) {
		// The right password and a code that was already used: someone may be
		// replaying what they saw. Tell the person.
		logErr(ctx, "replay mail", t.tell(ctx, t.store, t.clock.Now(), h, "replayed", 0))
	}
	if err != nil {
		return nil, err
	}
	res, err := t.finish(ctx, r, ch, user, at.Device)
	if err != nil {
		return nil, err
	}
	out := &TwoStepResult{SignInResult: res, UsedRecovery: recovery != ""}
	if out.UsedRecovery {
		now := t.clock.Now()
		out.RecoveryLeft, err = t.store.RecoveryCodesLeft(ctx, in.Portal.ID, user.ID)
		logErr(ctx, "recovery codes", err)
		logErr(ctx, "audit", audit(ctx, t.store, AuditEvent{PortalID: in.Portal.ID, UserID: user.ID, Type: EventRecoveryUsed, IP: in.IP, CreatedAt: now}, nil))
		logErr(ctx, "recovery mail", t.tell(ctx, t.store, now, h, "recovery", 0))
	}
	return out, nil
}

// cleanSecondStep reads the code or the recovery code, before anything is counted.
func cleanSecondStep(in TwoStepInput) (code, recovery string, err error) {
	if in.Recovery != "" {
		recovery, err = cleanRecovery(in.Recovery)
		return "", recovery, err
	}
	code, err = CleanCode(in.Code)
	return code, "", err
}

// pending loads the live challenge a token names, with its user. A challenge of another
// portal, purpose or kind, or one whose user changed password or was disabled since,
// has ended.
func (t *TwoStepService) pending(ctx context.Context, portal *Portal, token, purpose string, kind SessionKind) (*TwoStepChallenge, *User, error) {
	if !ValidTokenShape(token) {
		return nil, nil, ErrChallengeEnded
	}
	now := t.clock.Now()
	ch, err := t.store.Challenge(ctx, HashToken(token), now)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrChallengeEnded
	}
	if err != nil {
		return nil, nil, err
	}
	if ch.PortalID != portal.ID || ch.Purpose != purpose || (kind != "" && ch.Kind != kind) {
		return nil, nil, ErrChallengeEnded
	}
	user, err := t.store.UserByID(ctx, portal.ID, ch.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrChallengeEnded
	}
	if err != nil {
		return nil, nil, err
	}
	if user.Disabled || user.PasswordChangedAt.UnixMicro() != ch.PasswordChangedAt.UnixMicro() {
		_, _ = t.store.UseChallenge(ctx, ch.ID, now)
		return nil, nil, ErrChallengeEnded
	}
	return ch, user, nil
}

// redeem uses up the code (its time step) or the recovery code together with the
// challenge, in one transaction: of two parallel submissions exactly one passes, and a
// code is never spent on a challenge that another request already used.
func (t *TwoStepService) redeem(ctx context.Context, h holder, ch *TwoStepChallenge, code, recovery string) error {
	now := t.clock.Now()
	step := int64(0)
	if recovery == "" {
		ts, err := t.enrolment(ctx, h.portalID, h.userID)
		if err != nil {
			return err
		}
		if !ts.Enrolled() {
			return ErrChallengeEnded // reset by an administrator meanwhile
		}
		secret, err := t.open(h.portalID, h.userID, ts.Secret)
		if err != nil {
			return err
		}
		var ok bool
		if step, ok = matchStep(secret, code, now); !ok {
			return ErrWrongCode
		}
	}
	return t.store.InTx(ctx, func(tx Store) error {
		fresh, err := false, error(nil)
		if recovery != "" {
			fresh, err = tx.UseRecoveryCode(ctx, h.portalID, h.userID, t.recoveryHash(h.portalID, h.userID, recovery), now)
		} else {
			fresh, err = tx.UseTwoStepStep(ctx, h.portalID, h.userID, step)
		}
		if err != nil {
			return err
		}
		if !fresh && recovery == "" {
			return errCodeReplayed
		}
		if !fresh {
			return ErrWrongCode
		}
		if _, err := tx.UseChallenge(ctx, ch.ID, now); errors.Is(err, ErrNotFound) {
			return ErrChallengeEnded
		} else if err != nil {
			return err
		}
		return nil
	})
}

// finish ends a sign-in whose second step passed: the lockout counter is cleared and
// the session starts (a forced password change then follows, as after a password).
// device is the known device the step came from (nil: none), already looked up.
func (t *TwoStepService) finish(ctx context.Context, r SignInRequest, ch *TwoStepChallenge, user *User, device *KnownDevice) (*SignInResult, error) {
	keys := []string{AccountKey(user.ID)}
	if device != nil {
		keys = append(keys, deviceKey(device))
	}
	if err := t.lockout.ClearFor(ctx, r.Portal.ID, ch.Ident, keys...); err != nil {
		return nil, err
	}
	now := t.clock.Now()
	if user.TempPasswordExpired(now) {
		return nil, ErrTempPasswordExpired
	}
	return t.startSession(ctx, r, user, now, true)
}

// EnrolmentFor shows the secret of the enrolment a challenge of a role requiring
// two-step asks for: the challenge's own, made for it alone.
func (t *TwoStepService) EnrolmentFor(ctx context.Context, portal *Portal, token string) (*Enrolment, *User, error) {
	ch, user, err := t.pending(ctx, portal, token, ChallengeEnrol, "")
	if err != nil {
		return nil, nil, err
	}
	secret, err := t.flowSecret(ch)
	if err != nil {
		return nil, nil, err
	}
	return enrolmentFor(userHolder(portal, user), secret), user, nil
}

// ConfirmEnrolment confirms the enrolment a challenge asked for and starts the session,
// returning the new recovery codes with it.
func (t *TwoStepService) ConfirmEnrolment(ctx context.Context, in TwoStepInput) (*TwoStepResult, error) {
	if _, err := CleanCode(in.Code); err != nil {
		return nil, err
	}
	ch, user, err := t.pending(ctx, in.Portal, in.Token, ChallengeEnrol, "")
	if err != nil {
		return nil, err
	}
	secret, err := t.flowSecret(ch)
	if err != nil {
		return nil, err
	}
	codes, err := t.confirm(ctx, userHolder(in.Portal, user), secret, in.Code, in.IP, func(tx Store) error {
		return useFlow(ctx, tx, ch, t.clock.Now())
	})
	if err != nil {
		return nil, err
	}
	r := SignInRequest{Portal: in.Portal, IP: in.IP, Device: ch.Device, Kind: ch.Kind, DeviceToken: in.DeviceToken}
	device, err := t.recogniseDevice(ctx, in.Portal.ID, in.DeviceToken, user)
	if err != nil {
		return nil, err
	}
	res, err := t.finish(ctx, r, ch, user, device)
	if err != nil {
		return nil, err
	}
	return &TwoStepResult{SignInResult: res, RecoveryCodes: codes}, nil
}
