package domain

import (
	"context"
	"errors"
	"time"
)

// AuthService signs people in and out and keeps their sessions.
type AuthService struct {
	*env
	passwords *PasswordService
	twoStep   *TwoStepService
}

// SignInRequest is one sign-in attempt, from the web or the mobile app.
type SignInRequest struct {
	Portal     *Portal
	Identifier string // username or e-mail
	Password   string
	IP         string
	Device     string // browser summary or the app's device name
	// DeviceToken is the device token the browser or app kept from an earlier sign-in
	// ("" when none): see devices.go.
	DeviceToken string
	Kind        SessionKind
}

// SignInResult is a successful sign-in: the user, the new session's secret token, and
// the device token the browser or app keeps for its next sign-ins.
type SignInResult struct {
	User        *User
	Session     *Session
	Token       string
	DeviceToken string
}

// SignIn checks the credentials under the portal's lockout rule (see Lockout) and starts
// a session. It returns *InvalidCredentialsError (errors.Is ErrInvalidCredentials) for a
// wrong identifier or password alike, *LockedError while sign-in is locked (the password
// is then not checked at all), *ThrottledError for an address that failed too often,
// ErrTempPasswordExpired, and ErrBusy when the hash pool is saturated. After a correct
// password it returns *TwoStepRequiredError when a second step must follow
// (TwoStepService.Complete).
func (a *AuthService) SignIn(ctx context.Context, r SignInRequest) (*SignInResult, error) {
	res, err := a.signIn(ctx, r)
	a.metrics.SignIn(SignInOutcomeOf(err))
	return res, err
}

func (a *AuthService) signIn(ctx context.Context, r SignInRequest) (*SignInResult, error) {
	user, at, err := a.checkPassword(ctx, r)
	if err != nil {
		return nil, err
	}
	// Two-step verification: a correct password alone makes no session, and clears no
	// counter, so the password never buys more code guesses.
	if err := a.twoStep.gate(ctx, r, at, user, a.clock.Now()); err != nil {
		return nil, err
	}
	if err := a.lockout.Clear(ctx, at); err != nil {
		return nil, err
	}
	if user.TempPasswordExpired(a.clock.Now()) {
		return nil, ErrTempPasswordExpired
	}
	return a.startSession(ctx, r, user, a.clock.Now(), false)
}

// checkPassword is the first step of signing in: it finds the account and checks its
// password under the lockout rule, and returns the account and its reserved attempt when
// the password is right. An unknown identifier takes exactly the same path, through the
// same admission and hash pool, against a dummy hash.
func (a *AuthService) checkPassword(ctx context.Context, r SignInRequest) (*User, *Attempt, error) {
	ident := NormalizeIdentifier(r.Identifier)
	if ident == "" || r.Password == "" {
		return nil, nil, Invalid("identifier", "errors.signin.missing")
	}
	release, err := a.admit(r.IP, "")
	if err != nil {
		return nil, nil, err
	}
	defer release()
	user, err := a.store.UserByIdentifier(ctx, r.Portal.ID, ident)
	if errors.Is(err, ErrNotFound) {
		user, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	device, err := a.recogniseDevice(ctx, r.Portal.ID, r.DeviceToken, user)
	if err != nil {
		return nil, nil, err
	}
	at := &Attempt{PortalID: r.Portal.ID, Policy: r.Portal.Policy, Ident: ident, Portal: r.Portal, User: user, IP: r.IP, Via: string(r.Kind), Device: device}
	if user != nil {
		at.Account = AccountKey(user.ID)
	}
	if err := a.lockout.Reserve(ctx, at); err != nil {
		return nil, nil, err
	}
	hash := ""
	if user != nil {
		hash = user.PasswordHash
	}
	ok, rehash, err := a.verifyFor(ctx, hash, r.Password)
	if err != nil {
		a.lockout.Release(ctx, at)
		return nil, nil, err
	}
	if !ok || user.Disabled {
		logErr(ctx, "audit", audit(ctx, a.store, AuditEvent{PortalID: r.Portal.ID, UserID: userID(user), Type: EventSignInFailed, IP: r.IP, Device: r.Device, CreatedAt: a.clock.Now()},
			Notes{note("audit.via", "Via", viaKey(string(r.Kind)))}))
		return nil, nil, a.lockout.Fail(ctx, at)
	}
	if rehash {
		a.upgradeHash(ctx, user, r.Password)
	}
	return user, at, nil
}

// upgradeHash re-hashes a password whose hash was made with older parameters, unless the
// password was changed meanwhile.
func (a *AuthService) upgradeHash(ctx context.Context, user *User, password string) {
	h, err := a.hasher.Hash(ctx, password)
	if err != nil {
		logErr(ctx, "rehash", err)
		return
	}
	logErr(ctx, "rehash", a.store.RehashPassword(ctx, user.PortalID, user.ID, user.PasswordHash, h))
	user.PasswordHash = h
	logErr(ctx, "audit", audit(ctx, a.store, AuditEvent{PortalID: user.PortalID, UserID: user.ID, Type: EventPasswordRehashed, CreatedAt: a.clock.Now()}, nil))
}

func userID(u *User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

// startSession starts the session of a finished sign-in and remembers its device; twoStep
// says whether it passed a second step. Every portal sign-in ends here, whichever step
// finished it, so the services never call back into each other: AuthService.SignIn
// checks the password and asks TwoStepService.gate whether a second step follows, and
// TwoStepService.Complete checks that step; both then call startSession.
func (e *env) startSession(ctx context.Context, r SignInRequest, user *User, now time.Time, twoStep bool) (*SignInResult, error) {
	token, hash := NewToken()
	idle, life := r.Portal.Policy.SessionLifetimes(r.Kind)
	s := &Session{
		ID: hash, PortalID: user.PortalID, UserID: user.ID, Kind: r.Kind, IdleSeconds: int64(idle / time.Second),
		Device: Truncate(r.Device, 200), IP: r.IP, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life),
		CredentialVersion: user.CredentialVersion, // as loaded before the password check
		TwoStep:           twoStep,
	}
	if err := e.store.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	logErr(ctx, "audit", audit(ctx, e.store, AuditEvent{PortalID: r.Portal.ID, UserID: user.ID, Type: EventSignIn, IP: r.IP, Device: r.Device, CreatedAt: now},
		Notes{note("audit.via", "Via", viaKey(string(r.Kind)))}))
	device, err := e.rememberDevice(ctx, r, user, now)
	if err != nil {
		return nil, err
	}
	s.User = user
	return &SignInResult{User: user, Session: s, Token: token, DeviceToken: device}, nil
}

// Session returns the live session for a token, with its user and role, sliding its
// idle expiry. An expired, revoked or unknown token, a disabled user, or a session made
// before the user's credentials last changed gives ErrSessionEnded.
func (a *AuthService) Session(ctx context.Context, token string, kind SessionKind) (*Session, error) {
	if !ValidTokenShape(token) {
		return nil, ErrSessionEnded
	}
	s, err := a.store.SessionByID(ctx, HashToken(token))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrSessionEnded
	}
	if err != nil {
		return nil, err
	}
	now := a.clock.Now()
	idle := time.Duration(s.IdleSeconds) * time.Second
	if s.Kind != kind || !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > idle || s.User.Disabled ||
		s.CredentialVersion != s.User.CredentialVersion {
		logErr(ctx, "end session", a.store.DeleteSession(ctx, s.PortalID, s.ID))
		return nil, ErrSessionEnded
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		logErr(ctx, "touch session", a.store.TouchSession(ctx, s.ID, now))
	}
	return s, nil
}

// Discard ends the session a token names, if it belongs to the portal (a browser that
// signs in again gets a new session; the old one must not linger).
func (a *AuthService) Discard(ctx context.Context, portalID int64, token string) error {
	if !ValidTokenShape(token) {
		return nil
	}
	return a.store.DeleteSession(ctx, portalID, HashToken(token))
}

// SignOut ends one session.
func (a *AuthService) SignOut(ctx context.Context, s *Session, ip string) error {
	if err := a.store.DeleteSession(ctx, s.PortalID, s.ID); err != nil {
		return err
	}
	logErr(ctx, "audit", audit(ctx, a.store, AuditEvent{PortalID: s.PortalID, UserID: s.UserID, Type: EventSignOut, IP: ip, CreatedAt: a.clock.Now()}, Notes{note("audit.via", "Via", viaKey(string(s.Kind)))}))
	return nil
}

// SignOutOthers ends every other session and app token of the session's user.
func (a *AuthService) SignOutOthers(ctx context.Context, s *Session, ip string) (int, error) {
	n, err := a.store.DeleteUserSessions(ctx, s.PortalID, s.UserID, s.ID)
	if err != nil {
		return 0, err
	}
	logErr(ctx, "audit", audit(ctx, a.store, AuditEvent{PortalID: s.PortalID, UserID: s.UserID, Type: EventSessionsRevoked, IP: ip, CreatedAt: a.clock.Now()}, Notes{note("audit.sessions.others_by_user", "Count", n)}))
	return n, nil
}

// Sessions lists the user's live sessions.
func (a *AuthService) Sessions(ctx context.Context, s *Session) ([]Session, error) {
	return a.store.UserSessions(ctx, s.PortalID, s.UserID, a.clock.Now())
}

// Unlock ends the lock and forgets failed attempts for every identifier of the user.
func (a *AuthService) Unlock(ctx context.Context, user *User, actorID int64, ip string) error {
	if err := a.lockout.ClearUser(ctx, a.store, user); err != nil {
		return err
	}
	return audit(ctx, a.store, AuditEvent{PortalID: user.PortalID, UserID: user.ID, ActorID: actorID, Type: EventUnlocked, IP: ip, CreatedAt: a.clock.Now()}, nil)
}

// Truncate cuts s to at most n characters (runes), for what is stored or shown from
// free input.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
