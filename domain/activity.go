package domain

import (
	"context"
	"time"
)

// The activity page (Your account, and an employee's profile for people who may read the
// audit log): the sign-ins and failed attempts of the last ActivityDays, the known
// devices (each can be forgotten) and the live sessions (each can be signed out).

// ActivityDays is how far back the activity page looks.
const ActivityDays = 30

// activityEvents are the audit events about signing in that the page shows.
var activityEvents = []string{EventSignIn, EventSignInFailed, EventLocked, EventTwoStepFailed, EventRecoveryUsed,
	EventUnlockedByLink, EventUnlocked, EventNotMe, EventDeviceForgotten}

// activityLimit bounds how many events the page lists.
const activityLimit = 200

// Activity is one person's sign-in activity.
type Activity struct {
	Person   *User
	Events   []AuditEvent // newest first, at most activityLimit
	Devices  []KnownDevice
	Sessions []Session
	Since    time.Time
}

// Activity is the signed-in person's own activity.
func (a *AuthService) Activity(ctx context.Context, s *Session) (*Activity, error) {
	return a.activity(ctx, s.User)
}

// EmployeeActivity is another person's activity, for someone who may read the audit log.
func (a *AdminService) EmployeeActivity(ctx context.Context, actor *User, id int64) (*Activity, error) {
	if err := Authorize(actor, PermViewAudit); err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, actor.PortalID, id)
	if err != nil {
		return nil, err
	}
	return a.auth.activity(ctx, u)
}

func (a *AuthService) activity(ctx context.Context, u *User) (*Activity, error) {
	now := a.clock.Now()
	out := &Activity{Person: u, Since: now.AddDate(0, 0, -ActivityDays)}
	var err error
	f := AuditFilter{UserID: u.ID, Types: activityEvents, From: out.Since}
	if out.Events, err = a.store.AuditEvents(ctx, u.PortalID, f, activityLimit); err != nil {
		return nil, err
	}
	if out.Devices, err = a.store.UserDevices(ctx, u.PortalID, u.ID); err != nil {
		return nil, err
	}
	out.Sessions, err = a.store.UserSessions(ctx, u.PortalID, u.ID, now)
	return out, err
}

// ForgetDevice forgets one of the signed-in person's known devices: its next sign-in
// counts as an unknown device's, and tells them by e-mail.
func (a *AuthService) ForgetDevice(ctx context.Context, s *Session, deviceID int64, ip string) error {
	devices, err := a.store.UserDevices(ctx, s.PortalID, s.UserID)
	if err != nil {
		return err
	}
	for i := range devices {
		if devices[i].ID != deviceID {
			continue
		}
		return a.store.InTx(ctx, func(tx Store) error {
			if err := tx.DeleteDevice(ctx, s.PortalID, s.UserID, deviceID); err != nil {
				return err
			}
			if err := tx.ClearAttempts(ctx, s.PortalID, deviceKey(&devices[i])); err != nil {
				return err
			}
			return audit(ctx, tx, AuditEvent{PortalID: s.PortalID, UserID: s.UserID, Type: EventDeviceForgotten, IP: ip, CreatedAt: a.clock.Now()}, Notes{noteText(Truncate(devices[i].Name, 80))})
		})
	}
	return ErrNotFound
}

// EndSession signs out one of the signed-in person's sessions (by its id, as the
// activity page lists them). Ending one's own session is signing out.
func (a *AuthService) EndSession(ctx context.Context, s *Session, id, ip string) error {
	sessions, err := a.store.UserSessions(ctx, s.PortalID, s.UserID, a.clock.Now())
	if err != nil {
		return err
	}
	for _, other := range sessions {
		if other.ID == id {
			return a.SignOut(ctx, &other, ip)
		}
	}
	return ErrNotFound
}
