package domain

import (
	"context"
	"errors"
	"time"
)

// EventSupportLookup records that vendor support looked a person up, so the portal's
// administrators can see who looked at whom.
const EventSupportLookup = "support_lookup"

// PersonStatus is what support may know about one person to advise an administrator:
// who they are and whether they can sign in. It has no field for a password, a hash, a
// reset link, a temporary password, a token or a second factor.
type PersonStatus struct {
	DisplayName string
	Username    string
	Role        string
	LockedUntil time.Time // zero when not locked
	MustChange  bool      // a temporary password (or an administrator) asks for a new one
	TempExpired bool
	Disabled    bool
	Invited     bool // has not set a password yet
}

// Locked reports whether sign-in is locked at now.
func (p PersonStatus) Locked(now time.Time) bool { return p.LockedUntil.After(now) }

// ResetRole is a role of a portal that may reset passwords, with its enabled members.
type ResetRole struct {
	Role    Role
	Members []User
}

// LookUp finds one person of the portal by username or e-mail for a signed-in support
// person and tells whether they are locked or must change their password. It reads
// nothing else, and leaves a trace in the portal's audit log.
func (s *SupportService) LookUp(ctx context.Context, sess *SupportSession, portalCode, identifier, ip string) (*PersonStatus, error) {
	if sess == nil || sess.SupportUser == nil {
		return nil, ErrSessionEnded
	}
	ident := NormalizeIdentifier(identifier)
	if ident == "" {
		return nil, Invalid("identifier", "")
	}
	p, err := s.store.PortalByCode(ctx, portalCode)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByIdentifier(ctx, p.ID, ident)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	locks, err := s.lockout.LockedUntil(ctx, p.ID, []User{*u})
	if err != nil {
		return nil, err
	}
	if err := audit(ctx, s.store, AuditEvent{PortalID: p.ID, UserID: u.ID, Type: EventSupportLookup, IP: ip, CreatedAt: now}, Notes{note("audit.by", "Name", sess.SupportUser.Username)}); err != nil {
		return nil, err
	}
	role := ""
	if u.Role != nil {
		role = u.Role.Name
	}
	return &PersonStatus{
		DisplayName: u.DisplayName, Username: u.Username, Role: role, LockedUntil: locks[u.ID],
		MustChange: u.MustChangePassword, TempExpired: u.TempPasswordExpired(now), Disabled: u.Disabled, Invited: u.PasswordHash == "",
	}, nil
}

// resetRoles lists every role of the portal that may reset passwords, with its members.
func (s *SupportService) resetRoles(ctx context.Context, portalID int64, roles []Role) ([]ResetRole, error) {
	var out []ResetRole
	for _, r := range roles {
		if !r.Has(PermResetPassword) {
			continue
		}
		members, err := s.store.UsersWithRole(ctx, portalID, r.Name)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		for i := range members {
			members[i].PasswordHash = ""
		}
		out = append(out, ResetRole{Role: r, Members: members})
	}
	return out, nil
}
