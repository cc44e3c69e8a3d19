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
	LastSeenAt    time.Time `bun:",nullzero"`

	SupportUser *SupportUser `bun:"rel:belongs-to,join:support_user_id=id"`
}

// SupportStore keeps the support console's accounts and sessions.
type SupportStore interface {
	SupportUserByUsername(ctx context.Context, ident string) (*SupportUser, error)
	CreateSupportSession(ctx context.Context, s *SupportSession) error
	SupportSessionByID(ctx context.Context, id string) (*SupportSession, error)
	TouchSupportSession(ctx context.Context, id string, now time.Time) error
	DeleteSupportSession(ctx context.Context, id string) error
	Portals(ctx context.Context) ([]Portal, error)
}

// PortalOverview is what support may see of a portal to advise its administrators:
// configuration only, never a password, link, temporary password or token.
type PortalOverview struct {
	Portal         *Portal
	Roles          []Role
	Administrators []User
	ResetRoles     []ResetRole // every role that may reset passwords, not only Administrator
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

// SupportSignInRequest is one attempt to sign in to the support console.
type SupportSignInRequest struct {
	Identifier, Password string
	IP                   string
}

// SessionLife is how long a support session lasts at most.
func (s *SupportService) SessionLife() time.Duration { return s.cfg.SessionAbsolute }

// SignIn checks a support person's credentials under the lockout rule with the default
// policy, exactly as a portal sign-in (an unknown name takes the same path through the
// hash pool), and starts a new session, ending the browser's previous one.
func (s *SupportService) SignIn(ctx context.Context, r SupportSignInRequest) (string, error) {
	ident := NormalizeIdentifier(r.Identifier)
	if ident == "" || r.Password == "" {
		return "", Invalid("identifier", "errors.support.missing")
	}
	release, err := s.admit(r.IP, "")
	if err != nil {
		return "", err
	}
	defer release()
	u, err := s.store.SupportUserByUsername(ctx, ident)
	if errors.Is(err, ErrNotFound) {
		u, err = nil, nil
	}
	if err != nil {
		return "", err
	}
	at := &Attempt{PortalID: supportPortalID, Policy: DefaultPolicy(), Ident: ident, IP: r.IP, Via: "support console"}
	hash := ""
	if u != nil {
		at.Account, hash = supportAccountKey(u.ID), u.PasswordHash
	}
	if err := s.lockout.Reserve(ctx, at); err != nil {
		return "", err
	}
	ok, _, err := s.verifyFor(ctx, hash, r.Password)
	if err != nil {
		s.lockout.Release(ctx, at)
		return "", err
	}
	if !ok {
		return "", s.lockout.Fail(ctx, at)
	}
	// Vendor support always uses two-step verification: the password makes no session
	// and clears no counter (the second step does, see TwoStepService.CompleteSupport).
	return "", s.twoStep.supportGate(ctx, u, at, s.clock.Now())
}

// startSession signs a support person in once their second step passed.
func (s *SupportService) startSession(ctx context.Context, u *SupportUser) (string, error) {
	token, hashed := NewToken()
	now := s.clock.Now()
	return token, s.store.CreateSupportSession(ctx, &SupportSession{ID: hashed, SupportUserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute)})
}

// Session returns the live support session for a token, sliding its idle expiry (the
// same idle and absolute limits as a portal's web session).
func (s *SupportService) Session(ctx context.Context, token string) (*SupportSession, error) {
	if !ValidTokenShape(token) {
		return nil, ErrSessionEnded
	}
	sess, err := s.store.SupportSessionByID(ctx, HashToken(token))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrSessionEnded
	}
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	seen := sess.LastSeenAt
	if seen.IsZero() {
		seen = sess.CreatedAt
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(seen) > s.cfg.SessionIdle {
		logErr(ctx, "end support session", s.store.DeleteSupportSession(ctx, sess.ID))
		return nil, ErrSessionEnded
	}
	if now.Sub(seen) > time.Minute {
		logErr(ctx, "touch support session", s.store.TouchSupportSession(ctx, sess.ID, now))
	}
	return sess, nil
}

// Discard ends the support session a token names, if any: a browser that signs in
// again gets a new session, and the old one must not linger.
func (s *SupportService) Discard(ctx context.Context, token string) error {
	if !ValidTokenShape(token) {
		return nil
	}
	return s.store.DeleteSupportSession(ctx, HashToken(token))
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
	reset, err := s.resetRoles(ctx, p.ID, roles)
	if err != nil {
		return nil, err
	}
	return &PortalOverview{Portal: p, Roles: roles, Administrators: admins, ResetRoles: reset}, nil
}
