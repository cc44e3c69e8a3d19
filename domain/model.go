package domain

import (
	"strings"
	"time"
)

// Portal is one company's space: its users, roles, policy, sessions and audit events.
type Portal struct {
	ID        int64     `bun:",pk,autoincrement"`
	Code      string    `bun:",unique,notnull"`
	Name      string    `bun:",notnull"`
	Policy    Policy    `bun:"embed:policy_"`
	CreatedAt time.Time `bun:",notnull"`
}

// Policy is a portal's password and lockout policy; administrators edit it.
type Policy struct {
	MaxFailedAttempts    int    `bun:",notnull"`
	FailureWindowMinutes int    `bun:",notnull"`
	LockoutMinutes       int    `bun:",notnull"`
	HistoryDepth         int    `bun:",notnull"`
	MinLength            int    `bun:",notnull"`
	ResetLinkMinutes     int    `bun:",notnull"`
	TempPasswordHours    int    `bun:",notnull"`
	AdminContact         string `bun:",notnull"`
	Language             string `bun:",notnull"` // the portal's default language ("en", "fr", "es")
	TimeZone             string `bun:",notnull"` // IANA name; every time shown to people is in it
	// TwoStepRoles names, comma-separated, the roles that must use two-step verification.
	TwoStepRoles string `bun:",notnull"`
	// AuditRetentionDays is how long audit events are kept before the purge job
	// deletes them.
	AuditRetentionDays int `bun:",notnull"`
	// SessionIdleMinutes and SessionHours end a browser session after so long unused
	// and at the latest (ASVS 4.0.3 3.3.2, level 2: 30 minutes, 12 hours); AppIdleDays
	// and AppDays do the same for a mobile-app token.
	SessionIdleMinutes int `bun:",notnull,default:30"`
	SessionHours       int `bun:",notnull,default:12"`
	AppIdleDays        int `bun:",notnull,default:14"`
	AppDays            int `bun:",notnull,default:90"`
	// PeerCredentials lets people of the same rank (two Managers, two Administrators)
	// set each other's password, unlock, change the e-mail address and reset two-step.
	// Off by default: those need a higher role (issue 21, item 14).
	PeerCredentials bool `bun:",notnull,default:false"`
	// PasskeysOff stops the portal's people adding and using passkeys (allowed by default).
	PasskeysOff bool `bun:",notnull,default:false"`
	// PasskeyRoles names, comma-separated, the roles required to use two-step
	// verification for whom a passkey sign-in counts as the second step.
	PasskeyRoles string `bun:",notnull,default:''"`
	// Assisted recovery: how long a help request stays open, how long a recovery pass
	// works, and whether "known to me in person" is enough for an administrator's account.
	HelpRequestHours      int  `bun:",notnull,default:24"`
	RecoveryPassMinutes   int  `bun:",notnull,default:15"`
	HelpInPersonForAdmins bool `bun:",notnull,default:false"`
}

// SessionLifetimes are how long a session of kind lasts unused (idle) and at most.
func (p Policy) SessionLifetimes(kind SessionKind) (idle, absolute time.Duration) {
	if kind == SessionMobile {
		return time.Duration(p.AppIdleDays) * 24 * time.Hour, time.Duration(p.AppDays) * 24 * time.Hour
	}
	return time.Duration(p.SessionIdleMinutes) * time.Minute, time.Duration(p.SessionHours) * time.Hour
}

// DefaultPolicy holds the defaults from the product specification.
func DefaultPolicy() Policy {
	return Policy{
		MaxFailedAttempts:    5,
		FailureWindowMinutes: 15,
		LockoutMinutes:       15,
		HistoryDepth:         5,
		MinLength:            12,
		ResetLinkMinutes:     60,
		TempPasswordHours:    72,
		AdminContact:         "your portal administrator, or your employer's HR, payroll or IT department",
		Language:             "en",
		TimeZone:             "UTC",
		TwoStepRoles:         RoleAdministrator + "," + RoleManager,
		AuditRetentionDays:   400,
		SessionIdleMinutes:   30,
		SessionHours:         12,
		AppIdleDays:          14,
		AppDays:              90,
		HelpRequestHours:     24,
		RecoveryPassMinutes:  15,
	}
}

// FailureWindow is the period in which failed attempts add up to a lockout.
func (p Policy) FailureWindow() time.Duration {
	return time.Duration(p.FailureWindowMinutes) * time.Minute
}

// LockoutDuration is how long sign-in stays locked.
func (p Policy) LockoutDuration() time.Duration { return time.Duration(p.LockoutMinutes) * time.Minute }

// ResetLinkLifetime is how long an e-mailed reset link works.
func (p Policy) ResetLinkLifetime() time.Duration {
	return time.Duration(p.ResetLinkMinutes) * time.Minute
}

// Permission names one thing a role may do.
type Permission string

// The permissions an Administrator can grant to roles.
const (
	PermViewEmployees Permission = "view_employees"
	PermResetPassword Permission = "reset_password"
	PermUnlock        Permission = "unlock"
	PermChangeEmail   Permission = "change_email"
	PermCreateProfile Permission = "create_profile"
	PermManageRoles   Permission = "manage_roles"
	PermEditPolicy    Permission = "edit_policy"
	PermViewAudit     Permission = "view_audit"
)

// AllPermissions lists every permission in display order.
var AllPermissions = []Permission{
	PermViewEmployees, PermResetPassword, PermUnlock, PermChangeEmail,
	PermCreateProfile, PermManageRoles, PermEditPolicy, PermViewAudit, PermResetTwoStep, PermHandleHelp,
}

// Role is a named set of permissions within one portal.
type Role struct {
	ID          int64  `bun:",pk,autoincrement"`
	PortalID    int64  `bun:",notnull,unique:role_portal_name"`
	Name        string `bun:",notnull,unique:role_portal_name"`
	Permissions string `bun:",notnull"` // space-separated Permission names
}

// Has reports whether the role grants p.
func (r *Role) Has(p Permission) bool {
	if r == nil {
		return false
	}
	for _, f := range strings.Fields(r.Permissions) {
		if f == string(p) {
			return true
		}
	}
	return false
}

// DefaultRoles are seeded into every new portal, with the defaults from the specification.
func DefaultRoles() []Role {
	join := func(ps ...Permission) string {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = string(p)
		}
		return strings.Join(s, " ")
	}
	return []Role{
		{Name: RoleAdministrator, Permissions: join(AllPermissions...)},
		{Name: RoleManager, Permissions: join(PermViewEmployees, PermResetPassword, PermUnlock, PermChangeEmail, PermCreateProfile, PermResetTwoStep, PermHandleHelp)},
		{Name: RoleAccountManager, Permissions: join(PermViewEmployees)},
		{Name: RoleEmployee, Permissions: ""},
	}
}

// The names of the seeded roles.
const (
	RoleAdministrator  = "Administrator"
	RoleManager        = "Manager"
	RoleAccountManager = "Account Manager"
	RoleEmployee       = "Employee"
)

// User is a person who signs in to one portal.
type User struct {
	ID                    int64     `bun:",pk,autoincrement"`
	PortalID              int64     `bun:",notnull,unique:user_portal_username,unique:user_portal_email"`
	Username              string    `bun:",notnull,unique:user_portal_username"`
	Email                 string    `bun:",notnull,unique:user_portal_email"`
	DisplayName           string    `bun:",notnull"`
	RoleID                int64     `bun:",notnull"`
	PasswordHash          string    `bun:",notnull"`
	MustChangePassword    bool      `bun:",notnull"`
	TempPasswordExpiresAt time.Time `bun:",nullzero"`
	Disabled              bool      `bun:",notnull"`
	PasswordChangedAt     time.Time `bun:",notnull"`
	CreatedAt             time.Time `bun:",notnull"`
	Language              string    `bun:",notnull"` // saved preference; "" = follow the browser
	// LastLanguage is the language the person last used here ("" = not known yet); their
	// e-mail is written in it when they saved no preference (see LanguageOf).
	LastLanguage string `bun:",notnull,default:''"`
	// CredentialVersion goes up with every password change, reset, "sign out
	// everywhere" and disabling; a session is valid only while it holds the same number.
	CredentialVersion int64 `bun:",notnull,default:0"`

	Role *Role `bun:"rel:belongs-to,join:role_id=id"`
}

// TempPasswordExpired reports whether the user holds a temporary password past its lifetime.
func (u *User) TempPasswordExpired(now time.Time) bool {
	return u.MustChangePassword && !u.TempPasswordExpiresAt.IsZero() && !now.Before(u.TempPasswordExpiresAt)
}

// PasswordHistory keeps earlier password hashes so they cannot be reused.
type PasswordHistory struct {
	ID        int64     `bun:",pk,autoincrement"`
	PortalID  int64     `bun:",notnull"`
	UserID    int64     `bun:",notnull"`
	Hash      string    `bun:",notnull"`
	CreatedAt time.Time `bun:",notnull"`
}

// SessionKind tells a browser session from a mobile-app token.
type SessionKind string

// The kinds of sessions.
const (
	SessionWeb    SessionKind = "web"
	SessionMobile SessionKind = "mobile"
)

// Session is a signed-in browser or app. Only the hash of its secret token is stored.
type Session struct {
	ID         string      `bun:",pk"` // SHA-256 of the token, hex
	PortalID   int64       `bun:",notnull"`
	UserID     int64       `bun:",notnull"`
	Kind       SessionKind `bun:",notnull"`
	Device     string      `bun:",notnull"`
	IP         string      `bun:",notnull"`
	CreatedAt  time.Time   `bun:",notnull"`
	LastSeenAt time.Time   `bun:",notnull"`
	ExpiresAt  time.Time   `bun:",notnull"`
	// IdleSeconds is how long the session may go unused, from the portal's policy when
	// it began.
	IdleSeconds int64 `bun:",notnull,default:0"`
	// CredentialVersion is the user's credential version when the sign-in began.
	CredentialVersion int64 `bun:",notnull,default:0"`
	// TwoStep records that this session passed a second step (a code at sign-in, or
	// setting up an authenticator in it).
	TwoStep bool `bun:"two_step,notnull,default:false"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// LoginAttempt counts failed sign-ins per portal and normalised identifier, whether or
// not an account matches, so that lockouts reveal nothing about accounts.
type LoginAttempt struct {
	PortalID     int64     `bun:",pk"`
	Ident        string    `bun:",pk"`
	Failures     int       `bun:",notnull"`
	WindowStart  time.Time `bun:",notnull"`
	LockedUntil  time.Time `bun:",nullzero"`
	LastLockedAt time.Time `bun:",nullzero"`
	PrevLockedAt time.Time `bun:",nullzero"`
}

// TokenPurpose tells a forgot-password link from an administrator's set-password link.
type TokenPurpose string

// The purposes of e-mailed links.
const (
	TokenReset TokenPurpose = "reset"
	TokenSetup TokenPurpose = "setup"
)

// ResetToken is an e-mailed link's secret, stored only as a hash.
type ResetToken struct {
	ID        int64        `bun:",pk,autoincrement"`
	PortalID  int64        `bun:",notnull"`
	UserID    int64        `bun:",notnull"`
	Hash      string       `bun:",notnull,unique"`
	Purpose   TokenPurpose `bun:",notnull"`
	CreatedAt time.Time    `bun:",notnull"`
	ExpiresAt time.Time    `bun:",notnull"`
	UsedAt    time.Time    `bun:",nullzero"`
}

// OutboxStatus is where an outgoing e-mail stands.
type OutboxStatus string

// The states of an outgoing e-mail.
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
)

// OutboxMessage is an e-mail waiting to be sent, written in the same transaction as its cause.
type OutboxMessage struct {
	ID          int64        `bun:",pk,autoincrement"`
	PortalID    int64        `bun:",notnull"`
	ToAddr      string       `bun:",notnull"`
	Subject     string       `bun:",notnull"`
	TextBody    string       `bun:",notnull"`
	HTMLBody    string       `bun:",notnull"`
	Category    string       `bun:",notnull"`
	Status      OutboxStatus `bun:",notnull"`
	Attempts    int          `bun:",notnull"`
	NextAttempt time.Time    `bun:",notnull"`
	LastError   string       `bun:",notnull"`
	CreatedAt   time.Time    `bun:",notnull"`
	SentAt      time.Time    `bun:",nullzero"`
}

// Email gives the message back in the shape the senders take.
func (m *OutboxMessage) Email() Email {
	return Email{To: m.ToAddr, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody, Category: m.Category}
}

// AuditEvent records one security-relevant event in a portal.
type AuditEvent struct {
	ID        int64     `bun:",pk,autoincrement"`
	PortalID  int64     `bun:",notnull"`
	UserID    int64     `bun:",nullzero"` // the account concerned, if any
	ActorID   int64     `bun:",nullzero"` // who did it, when not the user themself
	Type      string    `bun:",notnull"`
	Detail    string    `bun:",notnull"`            // in English (see auditnotes.go)
	Notes     string    `bun:",notnull,default:''"` // the detail as catalogue messages, JSON
	IP        string    `bun:",notnull"`
	Device    string    `bun:",notnull,default:''"` // sign-in attempts: User-Agent or app device name
	CreatedAt time.Time `bun:",notnull"`
}

// The audit event types.
const (
	EventSignIn           = "signin_succeeded"
	EventUnlockedByLink   = "unlocked_by_link"
	EventNotMe            = "not_me_reported"
	EventDeviceForgotten  = "device_forgotten"
	EventSignInFailed     = "signin_failed"
	EventLocked           = "account_locked"
	EventUnlocked         = "account_unlocked"
	EventResetRequested   = "reset_requested"
	EventResetCompleted   = "reset_completed"
	EventPasswordChanged  = "password_changed"
	EventSessionsRevoked  = "sessions_revoked"
	EventSignOut          = "signed_out"
	EventPasswordRehashed = "password_rehashed"
	EventProfileCreated   = "profile_created"
	EventEmailChanged     = "email_changed"
	EventDisabled         = "account_disabled"
	EventEnabled          = "account_enabled"
	EventRoleChanged      = "role_permissions_changed"
	EventPolicyChanged    = "policy_changed"
	EventRoleAssigned     = "role_assigned"
)

// SupportUser is a member of the vendor's support staff. They belong to no portal and can
// never touch a password.
type SupportUser struct {
	ID           int64     `bun:",pk,autoincrement"`
	Username     string    `bun:",notnull,unique"`
	Email        string    `bun:",notnull"`
	DisplayName  string    `bun:",notnull"`
	PasswordHash string    `bun:",notnull"`
	CreatedAt    time.Time `bun:",notnull"`
}

// RateCounter counts events per key in a fixed window; several app instances share it.
type RateCounter struct {
	Key         string    `bun:",pk"`
	WindowStart time.Time `bun:",notnull"`
	Count       int       `bun:",notnull"`
}

// AppSecret holds a server-side secret shared by every app instance (e.g. the CSRF key).
type AppSecret struct {
	Name  string `bun:",pk"`
	Value string `bun:",notnull"`
}

// HelpConversation keeps the help assistant's state between messages.
type HelpConversation struct {
	ID        string    `bun:",pk"`
	PortalID  int64     `bun:",notnull"`
	State     string    `bun:",notnull"` // JSON
	UpdatedAt time.Time `bun:",notnull"`
}

// JobLease lets one app instance at a time run a background job: the holder named in
// the row owns it until ExpiresAt.
type JobLease struct {
	Name      string    `bun:",pk"`
	Holder    string    `bun:",notnull"`
	ExpiresAt time.Time `bun:",notnull"`
}

// HelpFeedback is one "Was this helpful?" answer.
type HelpFeedback struct {
	ID        int64     `bun:",pk,autoincrement"`
	PortalID  int64     `bun:",notnull"`
	Topic     string    `bun:",notnull"`
	Helpful   bool      `bun:",notnull"`
	CreatedAt time.Time `bun:",notnull"`
}
