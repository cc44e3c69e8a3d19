package domain

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Lockout is the whole rule against password guessing, used by web, mobile and support
// sign-in and by re-entering the current password (account page, forced change):
//
//   - Failures are counted under keys: the normalised identifier as typed, whether or not
//     an account matches (so a lockout says nothing about accounts), and the account
//     itself when the identifier names one (so username and e-mail share one allowance).
//   - Reserve counts an attempt on every key before its password is checked, in one
//     atomic statement, so parallel attempts each get their own number. An attempt whose
//     number is above the policy's allowance is refused without a password check as busy
//     (ErrBusy), and one that meets a lock in force as locked. Attempts refused during a
//     lock do not extend it.
//   - Fail records a wrong password. The attempt holding the last allowed number locks
//     every key; the lock, its audit event and the owner's e-mail are written in one
//     transaction. Otherwise the answer says how many attempts are left, so the one
//     before the last can warn.
//   - Hold keeps a right password's attempt while its sign-in waits for a second step:
//     the counters are not cleared, so the password never buys more code guesses. When
//     it held the last allowed number, the allowance is spent without a finished sign-in,
//     and the keys lock there (the code could never be checked).
//   - A lock is written only while the counter still shows the allowance spent: one that
//     a right password cleared meanwhile (and that new attempts began to fill again) is
//     not locked by an attempt from before the clear.
//   - Release gives back an attempt whose password could not be checked (busy pool).
//   - Clear forgets the counters after a correct password; ClearUser after a reset or an
//     administrator's Unlock.
//   - A known device (a browser or app install that finished a sign-in to the account,
//     see devices.go) has an allowance of its own instead: its failures lock only that
//     device, and the identifier's and account's locks (the allowance of every unknown
//     device) do not stop it. So a stranger guessing a guard's password locks themselves
//     out, not the guard's own phone.
//   - Failed attempts are also counted per client address across accounts (password
//     spraying): past Config.SprayPerAddress failures in Config.SprayWindow, that address
//     is refused for unknown devices. A known device is let through (its own allowance
//     still bounds its guesses): people sharing one network are not shut out together.
type Lockout struct{ *env }

// Attempt is one attempt to prove a password, as the lockout rule sees it. Callers fill
// the exported fields; Reserve fills the rest.
type Attempt struct {
	PortalID int64
	Policy   Policy
	Ident    string // normalised identifier as typed; "" when re-entering one's own password
	Account  string // AccountKey of the account named, "" when none
	Portal   *Portal
	User     *User // the account, for the lock's audit event and e-mail; nil when none
	IP       string
	Via      string // what was attempted, for the audit log ("web", "mobile", ...)
	// Cause is what spent the last allowed attempt, for the owner's e-mail: "" a wrong
	// password, CauseCode a wrong code after a right password, CauseHeld a right
	// password whose second step was still open.
	Cause string
	// Device is the known device the attempt comes from, when it comes from one of the
	// account's own: its failures then count in that device's allowance alone, and the
	// address throttle lets it through (see Lockout).
	Device *KnownDevice

	keys   []string
	number int // the highest attempt number among the keys
	// own is the attempt number on the typed identifier's own key (number when none was
	// typed): the warning before the last attempt counts it alone, so that it never
	// pairs a username with its e-mail address (their shared account key still locks).
	own int
	now time.Time
}

// What spent the last allowed attempt (Attempt.Cause).
const (
	CauseCode = "code"
	CauseHeld = "held"
)

// AccountKey names a portal account's shared allowance.
func AccountKey(userID int64) string { return "#account:" + strconv.FormatInt(userID, 10) }

// supportAccountKey names a vendor support account's allowance (in the support scope).
func supportAccountKey(id int64) string { return "#support:" + strconv.FormatInt(id, 10) }

// ClearFor forgets the counters of an identifier (may be "") and other keys (the
// account's, a known device's), once a sign-in's last step passed (two-step verification
// clears only then).
func (l *Lockout) ClearFor(ctx context.Context, portalID int64, ident string, keys ...string) error {
	if ident != "" {
		keys = append(keys, identKey(ident))
	}
	return l.store.ClearAttempts(ctx, portalID, keys...)
}

// identKey is the counter key for a typed identifier. Account keys start with "#", so an
// identifier that does too gets another "#": nobody can type their way into another
// account's counter.
func identKey(ident string) string {
	if strings.HasPrefix(ident, "#") {
		return "#" + ident
	}
	return ident
}

// userKeys are every counter that can lock the user.
func userKeys(u *User) []string {
	return []string{identKey(u.Username), identKey(u.Email), AccountKey(u.ID)}
}

// Reserve counts the attempt and decides whether its password may be checked. It returns
// *ThrottledError for an address that failed too often, *LockedError while any of the
// attempt's keys is locked, and ErrBusy when more attempts than the allowance are in
// flight (this one is then given back).
func (l *Lockout) Reserve(ctx context.Context, a *Attempt) error {
	a.now = l.clock.Now()
	if err := l.throttled(ctx, a); err != nil {
		return err
	}
	a.keys = a.keys[:0]
	if a.Device != nil {
		a.keys = append(a.keys, deviceKey(a.Device))
	} else if a.Ident != "" {
		a.keys = append(a.keys, identKey(a.Ident))
	}
	if a.Account != "" && a.Device == nil {
		a.keys = append(a.keys, a.Account)
	}
	rows, err := l.store.RegisterAttempts(ctx, a.PortalID, a.keys, a.now, a.now.Add(-a.Policy.FailureWindow()))
	if err != nil {
		return err
	}
	if locked := l.lockedError(rows, a); locked != nil {
		return locked
	}
	for _, r := range rows {
		a.number = max(a.number, r.Failures)
		if a.Ident != "" && r.Ident == identKey(a.Ident) {
			a.own = r.Failures
		}
	}
	if a.Ident == "" || a.Device != nil {
		a.own = a.number
	}
	if a.number > a.Policy.MaxFailedAttempts {
		// More attempts in flight than the allowance: this one is refused unchecked and
		// gives its number back. It makes no lock: the attempts in flight may hold the
		// right password, and a lock made after one of them cleared the counters would
		// stand for the whole lockout. If they are all wrong, the one holding the last
		// allowed number locks when it fails.
		l.Release(ctx, a)
		return ErrBusy
	}
	return nil
}

// Fail records that the reserved attempt's password was wrong: *LockedError when it used
// the last allowed attempt, else *InvalidCredentialsError with the attempts left.
func (l *Lockout) Fail(ctx context.Context, a *Attempt) error {
	if a.IP != "" && l.cfg.SprayPerAddress > 0 {
		if _, err := l.store.Hit(ctx, sprayKey(a.IP), a.now, l.cfg.SprayWindow); err != nil {
			return err
		}
	}
	if a.number >= a.Policy.MaxFailedAttempts {
		return l.lock(ctx, a)
	}
	return &InvalidCredentialsError{AttemptsLeft: a.Policy.MaxFailedAttempts - a.own, LockMinutes: a.Policy.LockoutMinutes}
}

// Hold keeps a right password's reserved attempt while its sign-in waits for a second
// step, and locks when that attempt held the last allowed number: *LockedError then,
// nil otherwise.
func (l *Lockout) Hold(ctx context.Context, a *Attempt) error {
	if a.number < a.Policy.MaxFailedAttempts {
		return nil
	}
	a.Cause = CauseHeld
	err := l.lock(ctx, a)
	if errors.Is(err, ErrInvalidCredentials) {
		return nil // cleared meanwhile: nothing is spent
	}
	return err
}

// Release gives back a reserved attempt whose password was never checked (the hash pool
// was busy, the database failed): an overloaded server must not lock out the people
// typing their correct password.
func (l *Lockout) Release(ctx context.Context, a *Attempt) {
	logErr(ctx, "release attempt", l.store.ReleaseAttempts(ctx, a.PortalID, a.keys, a.now))
}

// Clear forgets the attempt's counters after a finished sign-in; one from a known device
// also clears the identifier's and the account's (a successful sign-in ends the count,
// NIST SP 800-63B-4 3.2.2).
func (l *Lockout) Clear(ctx context.Context, a *Attempt) error {
	keys := a.keys
	if a.Device != nil {
		keys = append(slices.Clip(keys), identKey(a.Ident), a.Account)
	}
	return l.store.ClearAttempts(ctx, a.PortalID, keys...)
}

// ClearUser ends any lock on the user and forgets their failures, their known devices'
// included (a reset, a new password, an administrator's Unlock, the unlock link), inside
// tx when the caller has one.
func (l *Lockout) ClearUser(ctx context.Context, tx Store, u *User) error {
	devices, err := tx.UserDevices(ctx, u.PortalID, u.ID)
	if err != nil {
		return err
	}
	return tx.ClearAttempts(ctx, u.PortalID, append(userKeys(u), deviceKeys(devices)...)...)
}

// LockedUntil tells, for each user, when the lock in force on them ends (absent: none).
func (l *Lockout) LockedUntil(ctx context.Context, portalID int64, users []User) (map[int64]time.Time, error) {
	keys := make([]string, 0, 3*len(users))
	for i := range users {
		keys = append(keys, userKeys(&users[i])...)
	}
	locks, err := l.store.Locks(ctx, portalID, keys, l.clock.Now())
	if err != nil {
		return nil, err
	}
	out := map[int64]time.Time{}
	for i := range users {
		for _, k := range userKeys(&users[i]) {
			if until := locks[k]; until.After(out[users[i].ID]) {
				out[users[i].ID] = until
			}
		}
	}
	return out, nil
}

// lock locks every key of the attempt. The call that makes the lock also writes its
// audit event and the owner's e-mail, in the same transaction.
func (l *Lockout) lock(ctx context.Context, a *Attempt) error {
	p := a.Policy
	var rows []LoginAttempt
	err := l.store.InTx(ctx, func(tx Store) error {
		var made bool
		var err error
		rows, made, err = tx.LockAttempts(ctx, a.PortalID, a.keys, p.MaxFailedAttempts, a.now, a.now.Add(p.LockoutDuration()))
		if err != nil || !made {
			return err
		}
		l.metrics.Lockout()
		detail := Notes{note("audit.locked", "Attempts", p.MaxFailedAttempts, "Count", p.LockoutMinutes, "Via", viaKey(a.Via))}
		if a.Portal == nil {
			slog.WarnContext(ctx, "sign-in locked", "via", a.Via, "ip", a.IP, "detail", detail.In(i18n.Default))
			return nil
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: a.PortalID, UserID: userID(a.User), Type: EventLocked, IP: a.IP, CreatedAt: a.now}, detail); err != nil {
			return err
		}
		if a.User == nil || a.User.Disabled {
			return nil
		}
		if err := noteLanguage(ctx, tx, a.User, false); err != nil {
			return err
		}
		unlock, err := l.newNoticeLink(ctx, tx, a.now, a.Portal, a.User, a.User.Email, NoticeUnlock, a.now.Add(p.LockoutDuration()))
		if err != nil {
			return err
		}
		return l.notify(ctx, tx, a.now, a.Portal, a.User, a.User.Email, func(notMe string) Mail {
			return lockoutEmail(a.Portal, a.User, l.link(ForgotPasswordPath(a.Portal.Code)), unlock, notMe, p.LockoutMinutes, a.Cause)
		})
	})
	if errors.Is(err, ErrNotFound) {
		// A correct password cleared the counters meanwhile: nothing to lock.
		return &InvalidCredentialsError{AttemptsLeft: p.MaxFailedAttempts, LockMinutes: p.LockoutMinutes}
	}
	if err != nil {
		return err
	}
	if locked := l.lockedError(rows, a); locked != nil {
		return locked
	}
	return &InvalidCredentialsError{AttemptsLeft: p.MaxFailedAttempts, LockMinutes: p.LockoutMinutes}
}

// lockedError describes the latest lock in force among rows, or returns nil. A lock made
// less than an hour after the previous one ended is a repeat: the person is sent to their
// administrator.
func (l *Lockout) lockedError(rows []LoginAttempt, a *Attempt) *LockedError {
	var e *LockedError
	for _, r := range rows {
		if !r.LockedUntil.After(a.now) || (e != nil && !r.LockedUntil.After(e.Until)) {
			continue
		}
		repeat := !r.PrevLockedAt.IsZero() && r.LastLockedAt.Sub(r.PrevLockedAt) < a.Policy.LockoutDuration()+time.Hour
		e = &LockedError{Until: r.LockedUntil, Left: r.LockedUntil.Sub(a.now), Repeat: repeat}
	}
	return e
}

// throttled refuses an address that failed too many sign-ins across accounts, unless the
// attempt comes from a known device.
func (l *Lockout) throttled(ctx context.Context, a *Attempt) error {
	if a.IP == "" || l.cfg.SprayPerAddress <= 0 || a.Device != nil {
		return nil
	}
	n, start, err := l.store.RateCount(ctx, sprayKey(a.IP), a.now, l.cfg.SprayWindow)
	if err != nil || n < l.cfg.SprayPerAddress {
		return err
	}
	until := start.Add(l.cfg.SprayWindow)
	return &ThrottledError{Left: until.Sub(a.now), Until: until}
}

func sprayKey(ip string) string { return "signin-fail-addr:" + AddressGroup(ip) }
