package domain

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// SettingsService is the portal-wide administration: roles and permissions, the password
// policy, and the audit log.
type SettingsService struct {
	*env
	portals *PortalService
}

// Roles lists the portal's roles (their names label profiles and choices).
func (s *SettingsService) Roles(ctx context.Context, portalID int64) ([]Role, error) {
	return s.store.Roles(ctx, portalID)
}

// RoleMatrix lists the roles with their permissions, for those who may manage them.
func (s *SettingsService) RoleMatrix(ctx context.Context, actor *User) ([]Role, error) {
	if err := Authorize(actor, PermManageRoles); err != nil {
		return nil, err
	}
	return s.store.Roles(ctx, actor.PortalID)
}

// Policy returns the portal's policy, for those who may edit it.
func (s *SettingsService) Policy(actor *User, portal *Portal) (Policy, error) {
	if err := Authorize(actor, PermEditPolicy); err != nil {
		return Policy{}, err
	}
	return portal.Policy, nil
}

// SetRolePermissions replaces one role's permissions (see SetMatrix).
func (s *SettingsService) SetRolePermissions(ctx context.Context, actor *User, roleID int64, perms []Permission, ip string) error {
	return s.SetMatrix(ctx, actor, map[int64][]Permission{roleID: perms}, ip)
}

func joinPermissions(perms []Permission) string {
	var out []string
	for _, p := range AllPermissions { // known ones only, in a stable order
		for _, q := range perms {
			if p == q {
				out = append(out, string(p))
				break
			}
		}
	}
	return strings.Join(out, " ")
}

// policyRange bounds each policy number.
type policyRange struct {
	field    string
	value    *int
	min, max int
	label    string // message id
}

// UpdatePolicy validates and saves the portal's password and lockout policy.
func (s *SettingsService) UpdatePolicy(ctx context.Context, actor *User, portal *Portal, p Policy, ip string) error {
	if err := Authorize(actor, PermEditPolicy); err != nil {
		return err
	}
	errs := &ValidationError{}
	for _, r := range []policyRange{
		{"max_failed_attempts", &p.MaxFailedAttempts, 3, 20, "errors.policy.range_attempts"},
		{"failure_window_minutes", &p.FailureWindowMinutes, 1, 1440, "errors.policy.range_minutes"},
		{"lockout_minutes", &p.LockoutMinutes, 1, 1440, "errors.policy.range_minutes"},
		{"history_depth", &p.HistoryDepth, 0, 24, "errors.policy.range_passwords"},
		{"min_length", &p.MinLength, 8, 64, "errors.policy.range_characters"},
		{"reset_link_minutes", &p.ResetLinkMinutes, 5, 1440, "errors.policy.range_minutes"},
		{"temp_password_hours", &p.TempPasswordHours, 1, 720, "errors.policy.range_hours"},
		{"audit_retention_days", &p.AuditRetentionDays, 30, 3650, "errors.policy.range_days"},
		{"session_idle_minutes", &p.SessionIdleMinutes, 5, int(MaxWebIdle / time.Minute), "errors.policy.range_minutes"},
		{"session_hours", &p.SessionHours, 1, 24, "errors.policy.range_hours"},
		{"app_idle_days", &p.AppIdleDays, 1, int(MaxAppIdle / (24 * time.Hour)), "errors.policy.range_days"},
		{"app_days", &p.AppDays, 1, 365, "errors.policy.range_days"},
		{"help_request_hours", &p.HelpRequestHours, 1, 168, "errors.policy.range_hours"},
		{"recovery_pass_minutes", &p.RecoveryPassMinutes, 5, 60, "errors.policy.range_minutes"},
	} {
		if *r.value < r.min || *r.value > r.max {
			errs.Add(r.field, r.label, "Min", r.min, "Max", r.max)
		}
	}
	if err := s.checkTwoStepRoles(ctx, portal.ID, &p); err != nil {
		return err
	}
	if err := s.checkPasskeyRoles(ctx, portal.ID, &p); err != nil {
		return err
	}
	p.AdminContact = strings.TrimSpace(p.AdminContact)
	if p.AdminContact == "" || len(p.AdminContact) > 300 {
		errs.Add("admin_contact", "errors.policy.contact", "Max", 300)
	}
	if l, ok := i18n.Parse(p.Language); !ok || l == i18n.Pseudo {
		errs.Add("language", "errors.language_unsupported")
	} else {
		p.Language = string(l)
	}
	if _, ok := i18n.LoadZone(p.TimeZone); !ok {
		errs.Add("time_zone", "errors.policy.time_zone")
	}
	if len(errs.Fields) > 0 {
		return errs
	}
	return s.store.InTx(ctx, func(tx Store) error {
		if err := tx.UpdatePolicy(ctx, portal.ID, p); err != nil {
			return err
		}
		portal.Policy = p
		s.portals.forget(portal.Code)
		return audit(ctx, tx, AuditEvent{PortalID: portal.ID, ActorID: actor.ID, Type: EventPolicyChanged, IP: ip, CreatedAt: s.clock.Now()}, Notes{policySummary(p), passkeyPolicyNote(p)})
	})
}

// The longest a portal's policy may let a browser session or app token go unused.
const (
	MaxWebIdle = 8 * time.Hour
	MaxAppIdle = 90 * 24 * time.Hour
)

func policySummary(p Policy) Note {
	var roles any = p.TwoStepRoles
	if p.TwoStepRoles == "" {
		roles = i18n.Key("audit.none")
	}
	return note("audit.policy", "Attempts", p.MaxFailedAttempts, "Window", p.FailureWindowMinutes, "Lockout", p.LockoutMinutes,
		"History", p.HistoryDepth, "MinLength", p.MinLength, "Link", p.ResetLinkMinutes, "Temporary", p.TempPasswordHours,
		"Audit", p.AuditRetentionDays, "Roles", roles, "Language", p.Language, "Zone", p.TimeZone)
}

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	UserID    int64
	UserQuery string // part of a name, username or e-mail, folded: events about anyone matching
	Type      string
	Types     []string  // any of these (with Type, both apply)
	From, To  time.Time // To is exclusive
}

// AuditPageSize is how many events one page of the audit log shows.
const AuditPageSize = 100

// AuditLog is a page of the audit log with the usernames of the people it names.
type AuditLog struct {
	Events []AuditEvent
	Names  map[int64]string // user id -> username
	Total  int              // events matching the filter, on every page
	Offset int              // events before this page
}

// auditFilter checks that actor may read the log and folds the person's name.
func auditFilter(actor *User, f AuditFilter, who string) (AuditFilter, error) {
	if err := Authorize(actor, PermViewAudit); err != nil {
		return f, err
	}
	f.UserQuery = strings.ToLower(strings.TrimSpace(who))
	return f, nil
}

// Audit lists a page of the portal's events matching the filter, newest first, from
// offset. who, when not "", narrows it to events about people whose name, username or
// e-mail contains it (as the employee search does).
func (s *SettingsService) Audit(ctx context.Context, actor *User, f AuditFilter, who string, offset, limit int) (*AuditLog, error) {
	f, err := auditFilter(actor, f, who)
	if err != nil {
		return nil, err
	}
	events, total, err := s.store.AuditPage(ctx, actor.PortalID, f, max(offset, 0), limit)
	if err != nil {
		return nil, err
	}
	log := &AuditLog{Events: events, Names: map[int64]string{}, Total: total, Offset: max(offset, 0)}
	names := s.auditNames(actor.PortalID)
	for _, e := range events {
		for _, id := range []int64{e.UserID, e.ActorID} {
			n, err := names(ctx, id)
			if err != nil {
				return nil, err
			}
			if n != "" {
				log.Names[id] = n
			}
		}
	}
	return log, nil
}

// ExportAudit calls fn with every event matching the filter (see Audit), newest first,
// and the usernames of its person and actor ("" for none or a deleted account), reading
// the log in batches so that an export of any size streams.
func (s *SettingsService) ExportAudit(ctx context.Context, actor *User, f AuditFilter, who string, fn func(e AuditEvent, user, by string) error) error {
	f, err := auditFilter(actor, f, who)
	if err != nil {
		return err
	}
	names := s.auditNames(actor.PortalID)
	return s.store.EachAuditEvent(ctx, actor.PortalID, f, func(e AuditEvent) error {
		user, err := names(ctx, e.UserID)
		if err != nil {
			return err
		}
		by, err := names(ctx, e.ActorID)
		if err != nil {
			return err
		}
		return fn(e, user, by)
	})
}

// auditNames looks usernames up once each: "" for no one or an account since deleted.
func (s *SettingsService) auditNames(portalID int64) func(context.Context, int64) (string, error) {
	known := map[int64]string{0: ""}
	return func(ctx context.Context, id int64) (string, error) {
		if n, ok := known[id]; ok {
			return n, nil
		}
		u, err := s.store.UserByID(ctx, portalID, id)
		switch {
		case err == nil:
			known[id] = u.Username
		case errors.Is(err, ErrNotFound):
			known[id] = ""
		default:
			return "", err
		}
		return known[id], nil
	}
}

// UndeliveredMail lists the portal's e-mail that could not be sent after every retry, so
// administrators can act (a wrong address, a mail server refusing).
func (s *SettingsService) UndeliveredMail(ctx context.Context, actor *User) ([]OutboxMessage, error) {
	if err := Authorize(actor, PermViewAudit); err != nil {
		return nil, err
	}
	return s.store.FailedOutbox(ctx, actor.PortalID, 20)
}

// EventTypes lists the audit event types for filters.
var EventTypes = []string{
	EventSignIn, EventSignInFailed, EventLocked, EventUnlocked, EventResetRequested, EventResetCompleted,
	EventPasswordChanged, EventSessionsRevoked, EventSignOut, EventProfileCreated, EventEmailChanged,
	EventDisabled, EventEnabled, EventRoleAssigned, EventRoleChanged, EventPolicyChanged, EventPasswordRehashed,
	EventTwoStepEnabled, EventTwoStepDisabled, EventTwoStepReset, EventTwoStepFailed, EventRecoveryUsed,
	EventSupportLookup,
	EventPasskeyAdded, EventPasskeyRemoved, EventPasskeySignIn, EventPasskeyRefused,
	EventHelpRequested, EventHelpCodeSent, EventHelpChecked, EventHelpCheckFailed, EventHelpLocked, EventPassIssued, EventPassRedeemed,
}
