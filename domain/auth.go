package domain

import (
	"context"
	"errors"
	"fmt"
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
	Kind       SessionKind
}

// SignInResult is a successful sign-in: the user and the new session's secret token.
type SignInResult struct {
	User    *User
	Session *Session
	Token   string
}

// SignIn checks the credentials under the portal's lockout policy. It returns
// ErrInvalidCredentials for a wrong identifier or password alike, *LockedError while
// sign-in is locked (the password is then not checked at all), ErrTempPasswordExpired
// and ErrBusy when the hash pool is saturated. After a correct password it returns
// *TwoStepRequiredError when a second step must follow (TwoStepService.Complete).
func (a *AuthService) SignIn(ctx context.Context, r SignInRequest) (*SignInResult, error) {
	res, err := a.signIn(ctx, r)
	a.metrics.SignIn(SignInOutcomeOf(err))
	return res, err
}

func (a *AuthService) signIn(ctx context.Context, r SignInRequest) (*SignInResult, error) {
	ident := NormalizeIdentifier(r.Identifier)
	if ident == "" || r.Password == "" {
		return nil, Invalid("identifier", "errors.signin.missing")
	}
	p := r.Portal.Policy
	now := a.clock.Now()
	row, err := a.store.RegisterAttempt(ctx, r.Portal.ID, ident, now, p.FailureWindow())
	if err != nil {
		return nil, err
	}
	if row.LockedUntil.After(now) {
		a.hasher.Pad(ctx)
		return nil, lockedError(row, p)
	}
	if row.Failures > p.MaxFailedAttempts {
		// More attempts in flight than the allowance: refuse without a password check.
		// The attempt holding the last allowed slot locks the identifier if it fails.
		a.hasher.Pad(ctx)
		return nil, &LockedError{Until: now.Add(p.LockoutDuration())}
	}
	user, err := a.verify(ctx, r.Portal.ID, ident, r.Password)
	if errors.Is(err, ErrInvalidCredentials) {
		logErr(ctx, "audit", audit(ctx, a.store, now, r.Portal.ID, userID(user), 0, EventSignInFailed, "via "+string(r.Kind), r.IP))
		if row.Failures >= p.MaxFailedAttempts {
			return nil, a.lock(ctx, r, ident, now)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	// Two-step verification: a correct password alone makes no session.
	if err := a.twoStep.gate(ctx, r, ident, user, now); err != nil {
		return nil, err
	}
	if err := a.store.ClearAttempts(ctx, r.Portal.ID, ident); err != nil {
		return nil, err
	}
	if user.TempPasswordExpired(now) {
		return nil, ErrTempPasswordExpired
	}
	return a.startSession(ctx, r, user, now)
}

// verify finds the account and checks its password; an unknown or disabled account costs
// the same time as a wrong password without burning a hash.
func (a *AuthService) verify(ctx context.Context, portalID int64, ident, password string) (*User, error) {
	user, err := a.store.UserByIdentifier(ctx, portalID, ident)
	if errors.Is(err, ErrNotFound) {
		a.hasher.Pad(ctx)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	if user.PasswordHash == "" { // invited by e-mail, no password set yet
		a.hasher.Pad(ctx)
		return user, ErrInvalidCredentials
	}
	ok, rehash, err := a.hasher.Verify(ctx, password, user.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok || user.Disabled {
		return user, ErrInvalidCredentials
	}
	if rehash {
		a.upgradeHash(ctx, user, password)
	}
	return user, nil
}

// upgradeHash re-hashes a password whose hash was made with older parameters.
func (a *AuthService) upgradeHash(ctx context.Context, user *User, password string) {
	h, err := a.hasher.Hash(ctx, password)
	if err != nil {
		logErr(ctx, "rehash", err)
		return
	}
	user.PasswordHash = h
	logErr(ctx, "rehash", a.store.UpdatePassword(ctx, user))
	logErr(ctx, "audit", audit(ctx, a.store, a.clock.Now(), user.PortalID, user.ID, 0, EventPasswordRehashed, "", ""))
}

// lock locks the identifier; the call that makes the lock records it and, when the
// identifier names an account, e-mails its owner.
func (a *AuthService) lock(ctx context.Context, r SignInRequest, ident string, now time.Time) error {
	p := r.Portal.Policy
	row, locked, err := a.store.Lock(ctx, r.Portal.ID, ident, now, now.Add(p.LockoutDuration()))
	if errors.Is(err, ErrNotFound) {
		return ErrInvalidCredentials // a correct sign-in cleared the counter meanwhile
	}
	if err != nil {
		return err
	}
	if locked {
		a.metrics.Lockout()
		user, err := a.store.UserByIdentifier(ctx, r.Portal.ID, ident)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		detail := fmt.Sprintf("%d failed attempts; locked for %d minutes", p.MaxFailedAttempts, p.LockoutMinutes)
		logErr(ctx, "audit", audit(ctx, a.store, now, r.Portal.ID, userID(user), 0, EventLocked, detail, r.IP))
		if user != nil && !user.Disabled {
			logErr(ctx, "lockout mail", enqueue(ctx, a.store, now, r.Portal.ID, lockoutEmail(r.Portal, user, a.link(ForgotPasswordPath(r.Portal.Code)), p.LockoutMinutes)))
		}
	}
	return lockedError(row, p)
}

func lockedError(row LoginAttempt, p Policy) *LockedError {
	repeat := !row.PrevLockedAt.IsZero() && row.LastLockedAt.Sub(row.PrevLockedAt) < p.LockoutDuration()+time.Hour
	return &LockedError{Until: row.LockedUntil, Repeat: repeat}
}

func userID(u *User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

func (a *AuthService) startSession(ctx context.Context, r SignInRequest, user *User, now time.Time) (*SignInResult, error) {
	token, hash := NewToken()
	life := a.cfg.SessionAbsolute
	if r.Kind == SessionMobile {
		life = a.cfg.MobileAbsolute
	}
	s := &Session{
		ID: hash, PortalID: user.PortalID, UserID: user.ID, Kind: r.Kind,
		Device: Truncate(r.Device, 200), IP: r.IP, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life),
	}
	if err := a.store.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	logErr(ctx, "audit", audit(ctx, a.store, now, user.PortalID, user.ID, 0, EventSignIn, "via "+string(r.Kind), r.IP))
	s.User = user
	return &SignInResult{User: user, Session: s, Token: token}, nil
}

// Session returns the live session for a token, with its user and role, sliding its
// idle expiry. An expired, revoked or unknown token, or a disabled user, gives
// ErrSessionEnded.
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
	idle := a.cfg.SessionIdle
	if kind == SessionMobile {
		idle = a.cfg.MobileIdle
	}
	if s.Kind != kind || !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) > idle || s.User.Disabled {
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
	logErr(ctx, "audit", audit(ctx, a.store, a.clock.Now(), s.PortalID, s.UserID, 0, EventSignOut, "via "+string(s.Kind), ip))
	return nil
}

// SignOutOthers ends every other session and app token of the session's user.
func (a *AuthService) SignOutOthers(ctx context.Context, s *Session, ip string) (int, error) {
	n, err := a.store.DeleteUserSessions(ctx, s.PortalID, s.UserID, s.ID)
	if err != nil {
		return 0, err
	}
	logErr(ctx, "audit", audit(ctx, a.store, a.clock.Now(), s.PortalID, s.UserID, 0, EventSessionsRevoked, fmt.Sprintf("%d other sessions signed out by the user", n), ip))
	return n, nil
}

// Sessions lists the user's live sessions.
func (a *AuthService) Sessions(ctx context.Context, s *Session) ([]Session, error) {
	return a.store.UserSessions(ctx, s.PortalID, s.UserID, a.clock.Now())
}

// Unlock ends the lock and forgets failed attempts for every identifier of the user.
func (a *AuthService) Unlock(ctx context.Context, user *User, actorID int64, ip string) error {
	if err := a.store.ClearAttempts(ctx, user.PortalID, user.Username, user.Email); err != nil {
		return err
	}
	return audit(ctx, a.store, a.clock.Now(), user.PortalID, user.ID, actorID, EventUnlocked, "", ip)
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
