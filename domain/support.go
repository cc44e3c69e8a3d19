package domain

import (
	"context"
	"errors"
	"time"
)

// SupportSession is a vendor support person signed in to the support console.
type SupportSession struct {
	ID            string    `bun:",pk"` // SHA-256 of the token
	SupportUserID int64     `bun:",notnull"`
	CreatedAt     time.Time `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`

	SupportUser *SupportUser `bun:"rel:belongs-to,join:support_user_id=id"`
}

// SupportStore keeps the support console's accounts and sessions.
type SupportStore interface {
	SupportUserByUsername(ctx context.Context, ident string) (*SupportUser, error)
	CreateSupportSession(ctx context.Context, s *SupportSession) error
	SupportSessionByID(ctx context.Context, id string) (*SupportSession, error)
	DeleteSupportSession(ctx context.Context, id string) error
	Portals(ctx context.Context) ([]Portal, error)
}

// PortalOverview is what support may see of a portal to advise its administrators:
// configuration only, never a password, link, temporary password or token.
type PortalOverview struct {
	Portal         *Portal
	Roles          []Role
	Administrators []User
}

// SupportService is the vendor support console. It deliberately has no way to set, reset
// or read a password, a reset link, a temporary password or a mobile token, and no way
// to act as a user: only a portal's own administrators can, to protect employee data.
type SupportService struct {
	*env
	twoStep *TwoStepService
}

// supportPortalID is the counter scope for support sign-in attempts (no portal has id 0).
const supportPortalID = 0

// SignIn checks a support person's credentials with the default lockout policy. A
// correct password answers *TwoStepRequiredError: support always takes a second step.
func (s *SupportService) SignIn(ctx context.Context, identifier, password string) (string, error) {
	ident := NormalizeIdentifier(identifier)
	if ident == "" || password == "" {
		return "", Invalid("identifier", "errors.support.missing")
	}
	p, now := DefaultPolicy(), s.clock.Now()
	row, err := s.store.RegisterAttempt(ctx, supportPortalID, ident, now, p.FailureWindow())
	if err != nil {
		return "", err
	}
	if row.LockedUntil.After(now) || row.Failures > p.MaxFailedAttempts {
		s.hasher.Pad(ctx)
		return "", &LockedError{Until: now.Add(p.LockoutDuration())}
	}
	u, err := s.store.SupportUserByUsername(ctx, ident)
	ok := false
	if errors.Is(err, ErrNotFound) {
		s.hasher.Pad(ctx)
	} else if err != nil {
		return "", err
	} else if ok, _, err = s.hasher.Verify(ctx, password, u.PasswordHash); err != nil {
		return "", err
	}
	if !ok {
		if row.Failures >= p.MaxFailedAttempts {
			if _, _, err := s.store.Lock(ctx, supportPortalID, ident, now, now.Add(p.LockoutDuration())); err != nil && !errors.Is(err, ErrNotFound) {
				return "", err
			}
		}
		return "", ErrInvalidCredentials
	}
	// Vendor support always uses two-step verification: the password makes no session.
	return "", s.twoStep.supportGate(ctx, u, ident, now)
}

// startSession signs a support person in once their second step passed.
func (s *SupportService) startSession(ctx context.Context, u *SupportUser) (string, error) {
	now := s.clock.Now()
	token, hash := NewToken()
	return token, s.store.CreateSupportSession(ctx, &SupportSession{ID: hash, SupportUserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute)})
}

// Session returns the live support session for a token.
func (s *SupportService) Session(ctx context.Context, token string) (*SupportSession, error) {
	if !ValidTokenShape(token) {
		return nil, ErrSessionEnded
	}
	sess, err := s.store.SupportSessionByID(ctx, HashToken(token))
	if errors.Is(err, ErrNotFound) || (err == nil && !s.clock.Now().Before(sess.ExpiresAt)) {
		return nil, ErrSessionEnded
	}
	return sess, err
}

// SignOut ends a support session.
func (s *SupportService) SignOut(ctx context.Context, sess *SupportSession) error {
	return s.store.DeleteSupportSession(ctx, sess.ID)
}

// Portals lists every portal.
func (s *SupportService) Portals(ctx context.Context) ([]Portal, error) { return s.store.Portals(ctx) }

// Overview shows a portal's policy, roles and administrators, read-only.
func (s *SupportService) Overview(ctx context.Context, code string) (*PortalOverview, error) {
	p, err := s.store.PortalByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	roles, err := s.store.Roles(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	admins, err := s.store.UsersWithRole(ctx, p.ID, RoleAdministrator)
	if err != nil {
		return nil, err
	}
	for i := range admins { // support never needs a hash, not even to look at
		admins[i].PasswordHash = ""
	}
	return &PortalOverview{Portal: p, Roles: roles, Administrators: admins}, nil
}
