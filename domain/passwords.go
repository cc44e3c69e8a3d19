package domain

import (
	"context"
	"errors"
	"slices"
	"time"
)

// PasswordService applies the password policy on every path that sets a password:
// reset link, self-service change, forced change and administrator.
type PasswordService struct{ *env }

// NewPassword is a password being set, as typed twice by its owner.
type NewPassword struct {
	Password string
	Confirm  string
	Current  string // the current password in plain text when known, for the near-miss rule
}

// Validate applies the whole policy, history included, to a new password for user.
// It returns a *ValidationError with messages for the "password" and "confirm" fields.
func (s *PasswordService) Validate(ctx context.Context, portal *Portal, user *User, np NewPassword) error {
	if np.Password != np.Confirm {
		return Invalid("confirm", "errors.password.mismatch")
	}
	pc := PasswordContext{Username: user.Username, Email: user.Email, Current: np.Current}
	if problems := CheckPassword(np.Password, portal.Policy.MinLength, pc); len(problems) > 0 {
		return Invalid("password", problems[0].Message, problems[0].Args...)
	}
	reused, err := s.usedBefore(ctx, portal, user, np.Password)
	if err != nil {
		return err
	}
	if reused {
		return Invalid("password", ReusedPasswordMessage)
	}
	return nil
}

// aboutSomeoneElse rewords the rule messages that speak to a password's owner ("your
// username", "you have used this password") for an administrator choosing someone
// else's password; the others read the same for both.
var aboutSomeoneElse = map[string]string{
	pwMsgUsername:         "policy.msg.other.username",
	pwMsgEmailName:        "policy.msg.other.email_name",
	ReusedPasswordMessage: "policy.msg.other.reused",
}

// forSomeoneElse returns the message id and placeholders for a rule message about the
// password of the person named name, chosen by someone else.
func forSomeoneElse(id, name string, kv ...any) (string, []any) {
	if other, ok := aboutSomeoneElse[id]; ok {
		return other, append(slices.Clip(kv), "Name", name)
	}
	return id, kv
}

// usedBefore compares the password with the current hash and the history the policy keeps.
func (s *PasswordService) usedBefore(ctx context.Context, portal *Portal, user *User, pw string) (bool, error) {
	hashes := []string{user.PasswordHash}
	if n := portal.Policy.HistoryDepth; n > 0 {
		old, err := s.store.RecentPasswordHashes(ctx, portal.ID, user.ID, n)
		if err != nil {
			return false, err
		}
		hashes = append(hashes, old...)
	}
	for _, h := range hashes {
		if h == "" {
			continue
		}
		ok, _, err := s.hasher.Verify(ctx, pw, h)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// ChangeReason says who changed a password and how; the "password changed" e-mail tells
// its owner that, and what to do if they did not expect it.
type ChangeReason string

// The reasons a password changes.
const (
	ChangedBySelf          ChangeReason = "self"          // signed in, with the current password
	ChangedByReset         ChangeReason = "reset"         // through a link sent by e-mail
	ChangedByAdministrator ChangeReason = "administrator" // set by an administrator or manager
	// ChangedByRecovery: set by its owner with a recovery pass a helper issued; the
	// recovery sends its own notice ("a supervisor helped you back in").
	ChangedByRecovery ChangeReason = "recovery"
)

// change describes how a password is being changed.
type change struct {
	reason      ChangeReason
	actorID     int64  // who set it, when not the user
	actorName   string // their name, for the e-mail
	mustChange  bool   // Force Password Change at next sign-in (a temporary password)
	keepSession string // the session that stays signed in (self-service change), if any
	event       string // audit event type
	detail      Notes
	ip          string
}

// set writes a validated password's hash inside tx (hash before the transaction, so no
// transaction waits on argon2): new hash, history row, links voided, lockout
// cleared, every session and app token revoked (but keepSession), audit event and the
// "password changed" e-mail.
func (s *PasswordService) set(ctx context.Context, tx Store, portal *Portal, user *User, hash string, c change) error {
	now := s.clock.Now()
	if user.PasswordHash != "" {
		if err := tx.AddPasswordHistory(ctx, &PasswordHistory{PortalID: portal.ID, UserID: user.ID, Hash: user.PasswordHash, CreatedAt: now}); err != nil {
			return err
		}
	}
	user.PasswordHash = hash
	user.MustChangePassword = c.mustChange
	user.TempPasswordExpiresAt = time.Time{}
	if c.mustChange {
		user.TempPasswordExpiresAt = now.Add(time.Duration(portal.Policy.TempPasswordHours) * time.Hour)
	}
	user.PasswordChangedAt = now
	if err := tx.UpdatePassword(ctx, user); err != nil {
		return err
	}
	if err := tx.DeleteUserTokens(ctx, portal.ID, user.ID); err != nil {
		return err
	}
	if err := s.lockout.ClearUser(ctx, tx, user); err != nil {
		return err
	}
	n, err := tx.DeleteUserSessions(ctx, portal.ID, user.ID, c.keepSession)
	if err != nil {
		return err
	}
	detail := c.detail
	if n > 0 {
		detail = append(slices.Clip(detail), note("audit.sessions.signed_out", "Count", n))
	}
	if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: c.actorID, Type: c.event, IP: c.ip, CreatedAt: now}, detail); err != nil {
		return err
	}
	if c.reason == ChangedByRecovery {
		return nil // the recovery's own e-mail tells the person (and says who helped)
	}
	return s.notify(ctx, tx, now, portal, user, user.Email, func(notMe string) Mail {
		return passwordChangedEmail(portal, user, c, notMe)
	})
}

// Change is the self-service change while signed in (or the forced change right after
// sign-in): the current password must be right, the policy applies, and every other
// session and app token of the user is signed out.
func (s *PasswordService) Change(ctx context.Context, portal *Portal, sess *Session, current string, np NewPassword, ip string) error {
	user := sess.User
	if err := s.checkCurrent(ctx, portal, sess, current, ip); err != nil {
		return err
	}
	np.Current = current
	if err := s.Validate(ctx, portal, user, np); err != nil {
		return err
	}
	detail := Notes{note("audit.password.changed_by_user")}
	if user.MustChangePassword {
		detail = Notes{note("audit.password.forced_done")}
	}
	hash, err := s.hasher.Hash(ctx, np.Password)
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx Store) error {
		return s.set(ctx, tx, portal, user, hash, change{reason: ChangedBySelf, keepSession: sess.ID, event: EventPasswordChanged, detail: detail, ip: ip})
	})
}

// checkCurrent checks a re-entered current password like a sign-in attempt: it counts
// against the account's lockout allowance, so a stolen session is no guessing oracle, and
// its hashing gets the session's fair share of the pool. A wrong password is a
// *ValidationError on "current"; *LockedError or *ThrottledError when refused.
func (s *PasswordService) checkCurrent(ctx context.Context, portal *Portal, sess *Session, current, ip string) error {
	user := sess.User
	release, err := s.admit(ip, "session:"+sess.ID)
	if err != nil {
		return err
	}
	defer release()
	at := &Attempt{PortalID: portal.ID, Policy: portal.Policy, Account: AccountKey(user.ID), Portal: portal, User: user, IP: ip, Via: "password re-entry"}
	if err := s.lockout.Reserve(ctx, at); err != nil {
		return err
	}
	ok, _, err := s.verifyFor(ctx, user.PasswordHash, current)
	if err != nil {
		s.lockout.Release(ctx, at)
		return err
	}
	if ok {
		return s.lockout.Clear(ctx, at)
	}
	logErr(ctx, "audit", audit(ctx, s.store, AuditEvent{PortalID: portal.ID, UserID: user.ID, Type: EventSignInFailed, IP: ip, CreatedAt: s.clock.Now()}, Notes{note("audit.password.wrong_current")}))
	err = s.lockout.Fail(ctx, at)
	if errors.Is(err, ErrInvalidCredentials) {
		return Invalid("current", "errors.password.current_wrong")
	}
	return err
}
