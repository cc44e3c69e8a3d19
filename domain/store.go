package domain

import (
	"context"
	"time"
)

// Store is everything the services keep. Every method that touches portal data takes the
// portal id and never reads or writes another portal's rows. Lookups that find nothing
// return ErrNotFound; unique-key clashes return ErrConflict.
type Store interface {
	// InTx runs fn in one transaction; the Store handed to fn works inside it.
	InTx(ctx context.Context, fn func(Store) error) error
	// Ping tells whether the database answers.
	Ping(ctx context.Context) error

	PortalStore
	UserStore
	AttemptStore
	SessionStore
	TokenStore
	OutboxStore
	AuditStore
	SupportStore
	HelpStore
	TwoStepStore
	PasskeyStore
	RetentionStore
	DeviceStore
	NoticeStore
	RecoveryStore

	// Hit counts one event for key in a fixed window starting at its first event, and
	// returns the count including this one. Rate limits use it.
	Hit(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
	// RateCount reads key's count in its current window without counting, and when
	// that window began.
	RateCount(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error)
	// Secret returns the named server secret, storing generate() the first time.
	Secret(ctx context.Context, name string, generate func() string) (string, error)
}

// PortalStore keeps portals and their roles.
type PortalStore interface {
	CreatePortal(ctx context.Context, p *Portal) error
	PortalByCode(ctx context.Context, code string) (*Portal, error)
	PortalByID(ctx context.Context, id int64) (*Portal, error)
	CreateRole(ctx context.Context, r *Role) error
	RoleByName(ctx context.Context, portalID int64, name string) (*Role, error)
	Roles(ctx context.Context, portalID int64) ([]Role, error)
	UpdateRolePermissions(ctx context.Context, portalID, roleID int64, permissions string) error
	// LockPortal holds the portal's administration lock until the transaction ends
	// (PostgreSQL: the portal row FOR UPDATE; SQLite's write transactions are serial).
	LockPortal(ctx context.Context, portalID int64) error
	// CountUsersWithPermission counts enabled users holding p through a role other than exceptRole.
	CountUsersWithPermission(ctx context.Context, portalID int64, p Permission, exceptRole int64) (int, error)
	UpdatePolicy(ctx context.Context, portalID int64, p Policy) error
	CreateSupportUser(ctx context.Context, u *SupportUser) error
}

// UserStore keeps users and their password history.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	// UserByID loads a user of the portal with its role.
	UserByID(ctx context.Context, portalID, id int64) (*User, error)
	// UserByIdentifier finds a user of the portal by normalised username or e-mail.
	UserByIdentifier(ctx context.Context, portalID int64, ident string) (*User, error)
	// UpdatePassword writes the user's hash, must-change flag, temporary-password expiry
	// and password-changed time.
	UpdatePassword(ctx context.Context, u *User) error
	// RehashPassword replaces the user's hash by newHash only if it is still oldHash (a
	// sign-in upgrading the hash must not undo a password change made meanwhile).
	RehashPassword(ctx context.Context, portalID, userID int64, oldHash, newHash string) error
	UpdateEmail(ctx context.Context, portalID, userID int64, email string) error
	UpdateUserRole(ctx context.Context, portalID, userID, roleID int64) error
	SetDisabled(ctx context.Context, portalID, userID int64, disabled bool) error
	// UpdateUserLanguage saves the language a person chose ("" = follow the browser).
	UpdateUserLanguage(ctx context.Context, portalID, userID int64, lang string) error
	// UpdateUserLastLanguage records the language a person last used here.
	UpdateUserLastLanguage(ctx context.Context, portalID, userID int64, lang string) error
	// ListUsers pages through the portal's users whose name, username or e-mail contains
	// f.Query (lower case), of f.RoleID if set, in f.Status if set (as of f.Now: locked on
	// their username or e-mail, temporary password expired, ...), ordered by name (as
	// written), with the total count.
	ListUsers(ctx context.Context, portalID int64, f UserFilter, offset, limit int) ([]User, int, error)
	// UsersWithRole lists the portal's enabled users of the named role.
	UsersWithRole(ctx context.Context, portalID int64, role string) ([]User, error)
	AddPasswordHistory(ctx context.Context, h *PasswordHistory) error
	// RecentPasswordHashes returns the user's n newest earlier hashes, newest first.
	RecentPasswordHashes(ctx context.Context, portalID, userID int64, n int) ([]string, error)
}

// AttemptStore keeps the lockout counters (see Lockout for the rule). Each method is one
// atomic statement, so parallel requests and several app instances agree.
type AttemptStore interface {
	// RegisterAttempts reserves one attempt on each key before a password is checked: it
	// counts it, starting again at 1 when the key's window began at or before
	// windowStart or its lock ran out, and leaves a key alone while a lock is in force.
	// It returns the rows after the change.
	RegisterAttempts(ctx context.Context, portalID int64, keys []string, now, windowStart time.Time) ([]LoginAttempt, error)
	// LockAttempts locks until until the keys not locked yet whose count of attempts is
	// at least spent; made tells whether this call locked any. ErrNotFound: the
	// counters were cleared meanwhile.
	LockAttempts(ctx context.Context, portalID int64, keys []string, spent int, now, until time.Time) (rows []LoginAttempt, made bool, err error)
	// ReleaseAttempts gives back one attempt reserved at reservedAt on each key whose
	// window began by then and that is not locked: its password was never checked.
	ReleaseAttempts(ctx context.Context, portalID int64, keys []string, reservedAt time.Time) error
	// ClearAttempts forgets failures and ends any lock for the keys.
	ClearAttempts(ctx context.Context, portalID int64, keys ...string) error
	// Locks returns when the locks in force for the keys end.
	Locks(ctx context.Context, portalID int64, keys []string, now time.Time) (map[string]time.Time, error)
}

// SessionStore keeps browser sessions and mobile-app tokens.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// SessionByID loads a session with its user and the user's role.
	SessionByID(ctx context.Context, id string) (*Session, error)
	TouchSession(ctx context.Context, id string, now time.Time) error
	DeleteSession(ctx context.Context, portalID int64, id string) error
	// DeleteUserSessions ends every session of the user except the one with id except,
	// and bumps the user's credential version (the kept session gets the new one), so
	// that a session a sign-in in flight makes with the old version never works.
	DeleteUserSessions(ctx context.Context, portalID, userID int64, except string) (int, error)
	// UserSessions lists the user's live sessions, most recently seen first.
	UserSessions(ctx context.Context, portalID, userID int64, now time.Time) ([]Session, error)
}

// TokenStore keeps the hashes of e-mailed reset and set-password links.
type TokenStore interface {
	// CreateResetToken stores t and voids the user's earlier unused links.
	CreateResetToken(ctx context.Context, t *ResetToken) error
	// ResetTokenByHash returns an unused, unexpired token.
	ResetTokenByHash(ctx context.Context, hash string, now time.Time) (*ResetToken, error)
	// UseResetToken marks the token used in one statement; exactly one caller succeeds.
	UseResetToken(ctx context.Context, hash string, now time.Time) (*ResetToken, error)
	// DeleteUserTokens voids every pending link of the user.
	DeleteUserTokens(ctx context.Context, portalID, userID int64) error
}

// OutboxStore keeps outgoing e-mail until it is delivered.
type OutboxStore interface {
	Enqueue(ctx context.Context, m *OutboxMessage) error
	// ClaimOutbox leases up to limit due messages to the caller; a message whose lease
	// ran out (its sender died) is due again. Two callers never get the same message.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error)
	// MarkSent records delivery and clears the bodies (their links are live secrets).
	MarkSent(ctx context.Context, id int64, now time.Time) error
	// MarkRetry records a failed attempt; status is OutboxPending (try again at next) or
	// OutboxFailed, which clears the bodies as MarkSent does.
	MarkRetry(ctx context.Context, id int64, status OutboxStatus, next time.Time, lastError string) error
	// Outbox lists the newest messages first (the development mailbox shows them).
	Outbox(ctx context.Context, limit int) ([]OutboxMessage, error)
	// FailedOutbox lists a portal's messages that could not be delivered, newest first.
	FailedOutbox(ctx context.Context, portalID int64, limit int) ([]OutboxMessage, error)
	OutboxMessage(ctx context.Context, id int64) (*OutboxMessage, error)
	// OutboxCounts counts messages by status, across portals (for metrics).
	OutboxCounts(ctx context.Context) (map[OutboxStatus]int, error)
}

// AuditStore keeps the audit log.
type AuditStore interface {
	Audit(ctx context.Context, e *AuditEvent) error
	// AuditEvents lists a portal's newest events matching the filter.
	AuditEvents(ctx context.Context, portalID int64, f AuditFilter, limit int) ([]AuditEvent, error)
	// AuditPage lists a page of a portal's events matching the filter, newest first,
	// with how many match in all.
	AuditPage(ctx context.Context, portalID int64, f AuditFilter, offset, limit int) ([]AuditEvent, int, error)
	// EachAuditEvent calls fn with every event matching the filter, newest first,
	// without holding them all in memory; an error from fn stops it.
	EachAuditEvent(ctx context.Context, portalID int64, f AuditFilter, fn func(AuditEvent) error) error
	// LastSignIns gives the time of each listed user's newest successful sign-in that
	// the audit log still holds (absent: none).
	LastSignIns(ctx context.Context, portalID int64, userIDs []int64) (map[int64]time.Time, error)
}
