package domain

import (
	"context"
	"errors"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Security notices ("was this you?") and the two links they carry:
//
//   - "This wasn't me", on every notice about a sign-in from a new device, a password
//     change, a two-step change, an e-mail change or a lockout: after the person confirms,
//     it signs them out everywhere, revokes app tokens and known devices, requires a
//     password reset (the password stops working; a reset link goes to the address the
//     notice went to, which becomes the account's address again if it was changed), and
//     tells the portal's administrators.
//   - "Unlock", on the lockout e-mail: ends the lock, for as long as the lock lasts, without
//     a reset (the person proved they read the mailbox).
//
// Each link is random, stored hashed, works once, and is confirmed by a form post, so a
// mail scanner that opens links uses nothing.

// NoticeLink is one such link's secret, stored only as a hash.
type NoticeLink struct {
	Hash      string        `bun:",pk"`
	PortalID  int64         `bun:",notnull"`
	UserID    int64         `bun:",notnull"`
	Purpose   NoticePurpose `bun:",notnull"`
	Email     string        `bun:",notnull"` // where the link was sent
	CreatedAt time.Time     `bun:",notnull"`
	ExpiresAt time.Time     `bun:",notnull"`
	UsedAt    time.Time     `bun:",nullzero"`
}

// NoticePurpose tells the links of a notice apart.
type NoticePurpose string

// The links notices carry.
const (
	NoticeNotMe  NoticePurpose = "not_me"
	NoticeUnlock NoticePurpose = "unlock"
)

// NotMeLife is how long a "this wasn't me" link works.
const NotMeLife = 7 * 24 * time.Hour

// NoticeStore keeps notice links.
type NoticeStore interface {
	CreateNoticeLink(ctx context.Context, l *NoticeLink) error
	// NoticeLink returns a portal's unused, unexpired link of that purpose.
	NoticeLink(ctx context.Context, portalID int64, hash string, purpose NoticePurpose, now time.Time) (*NoticeLink, error)
	// UseNoticeLink marks it used in one conditional update; exactly one caller succeeds.
	UseNoticeLink(ctx context.Context, portalID int64, hash string, purpose NoticePurpose, now time.Time) (*NoticeLink, error)
	// DeleteUserNoticeLinks voids every unused link of a person of that purpose.
	DeleteUserNoticeLinks(ctx context.Context, portalID, userID int64, purpose NoticePurpose) error
}

// ErrLinkEnded: the link expired, was used, or never existed.
var ErrLinkEnded = errors.New("link expired or used")

// newNoticeLink stores a link inside st and returns its absolute address.
func (e *env) newNoticeLink(ctx context.Context, st Store, now time.Time, p *Portal, u *User, to string, purpose NoticePurpose, until time.Time) (string, error) {
	token, hash := NewToken()
	err := st.CreateNoticeLink(ctx, &NoticeLink{Hash: hash, PortalID: p.ID, UserID: u.ID, Purpose: purpose, Email: to, CreatedAt: now, ExpiresAt: until})
	if purpose == NoticeUnlock {
		return e.link(UnlockPath(p.Code, token)), err
	}
	return e.link(NotMePath(p.Code, token)), err
}

// notify enqueues, inside st, a security notice to one address, built with its own
// "this wasn't me" link.
func (e *env) notify(ctx context.Context, st Store, now time.Time, p *Portal, u *User, to string, build func(notMe string) Mail) error {
	link, err := e.newNoticeLink(ctx, st, now, p, u, to, NoticeNotMe, now.Add(NotMeLife))
	if err != nil {
		return err
	}
	return e.enqueue(ctx, st, now, p.ID, build(link))
}

// notMeParts end a notice: what to do if it was not the reader.
func notMeParts(l i18n.Lang, notMe string) []MailPart {
	if notMe == "" {
		return nil
	}
	return []MailPart{para(l.T("mail.not_me.intro")), linkPart(l, notMe)}
}

// NoticeService answers the links in security notices.
type NoticeService struct {
	*env
	reset *ResetService
}

// LinkHolder is the person a live notice link belongs to, for its confirmation page.
type LinkHolder struct {
	Link *NoticeLink
	User *User
}

// Peek checks a link without using it, for the page that asks to confirm.
func (n *NoticeService) Peek(ctx context.Context, p *Portal, token string, purpose NoticePurpose) (*LinkHolder, error) {
	if !ValidTokenShape(token) {
		return nil, ErrLinkEnded
	}
	l, err := n.store.NoticeLink(ctx, p.ID, HashToken(token), purpose, n.clock.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, ErrLinkEnded
	}
	if err != nil {
		return nil, err
	}
	u, err := n.store.UserByID(ctx, p.ID, l.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrLinkEnded
	}
	return &LinkHolder{Link: l, User: u}, err
}

// use takes a link (once) with its person.
func (n *NoticeService) use(ctx context.Context, tx Store, p *Portal, token string, purpose NoticePurpose, now time.Time) (*User, *NoticeLink, error) {
	if !ValidTokenShape(token) {
		return nil, nil, ErrLinkEnded
	}
	l, err := tx.UseNoticeLink(ctx, p.ID, HashToken(token), purpose, now)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrLinkEnded
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := tx.UserByID(ctx, p.ID, l.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrLinkEnded
	}
	return u, l, err
}

// Unlock ends the lock a lockout e-mail told about, on every allowance of the person
// (unknown devices and their own), without a reset. The link works once, while the lock
// lasts.
func (n *NoticeService) Unlock(ctx context.Context, p *Portal, token, ip string) (*User, error) {
	now := n.clock.Now()
	var user *User
	err := n.store.InTx(ctx, func(tx Store) error {
		u, _, err := n.use(ctx, tx, p, token, NoticeUnlock, now)
		if err != nil {
			return err
		}
		user = u
		if err := n.lockout.ClearUser(ctx, tx, u); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEvent{PortalID: p.ID, UserID: u.ID, Type: EventUnlockedByLink, IP: ip, CreatedAt: now}, nil)
	})
	return user, err
}

// NotMe secures an account whose owner says a notice was not them: see the top of this
// file. It returns the address the reset link went to.
func (n *NoticeService) NotMe(ctx context.Context, p *Portal, token, ip string) (string, error) {
	now := n.clock.Now()
	var user *User
	err := n.store.InTx(ctx, func(tx Store) error {
		u, l, err := n.use(ctx, tx, p, token, NoticeNotMe, now)
		if err != nil {
			return err
		}
		user = u
		detail := Notes{}
		if l.Email != u.Email {
			// The notice went to an address the account had: whoever read it there gets
			// the account's mail back, unless another account took the address since
			// (looked up first: a failed statement would end a PostgreSQL transaction).
			_, err := tx.UserByIdentifier(ctx, p.ID, l.Email)
			switch {
			case errors.Is(err, ErrNotFound):
				if err := tx.UpdateEmail(ctx, p.ID, u.ID, l.Email); err != nil {
					return err
				}
				detail = append(detail, noteText(u.Email+" → "+l.Email))
				u.Email = l.Email
			case err != nil:
				return err
			}
		}
		if u.PasswordHash != "" {
			if err := tx.AddPasswordHistory(ctx, &PasswordHistory{PortalID: p.ID, UserID: u.ID, Hash: u.PasswordHash, CreatedAt: now}); err != nil {
				return err
			}
		}
		u.PasswordHash, u.MustChangePassword, u.TempPasswordExpiresAt, u.PasswordChangedAt = "", false, time.Time{}, now
		for _, step := range []func() error{
			func() error { return tx.UpdatePassword(ctx, u) },
			func() error { _, err := tx.DeleteUserSessions(ctx, p.ID, u.ID, ""); return err },
			func() error { return tx.DeleteUserChallenges(ctx, p.ID, u.ID) },
			func() error { return tx.DeleteUserTokens(ctx, p.ID, u.ID) },
			func() error { return tx.DeleteUserNoticeLinks(ctx, p.ID, u.ID, NoticeUnlock) },
			func() error { return n.lockout.ClearUser(ctx, tx, u) },
			func() error { return tx.DeleteUserDevices(ctx, p.ID, u.ID) },
			func() error {
				return audit(ctx, tx, AuditEvent{PortalID: p.ID, UserID: u.ID, Type: EventNotMe, IP: ip, CreatedAt: now}, detail)
			},
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return n.tellAdministrators(ctx, tx, now, p, u)
	})
	if err != nil {
		return "", err
	}
	if u := user; !u.Disabled {
		if _, err := n.reset.issue(ctx, p, u, TokenReset, 0, ip); err != nil {
			return "", err
		}
	}
	return user.Email, nil
}

// tellAdministrators e-mails the portal's administrators that a person reported a
// notice that was not them.
func (n *NoticeService) tellAdministrators(ctx context.Context, tx Store, now time.Time, p *Portal, u *User) error {
	admins, err := tx.UsersWithRole(ctx, p.ID, RoleAdministrator)
	if err != nil {
		return err
	}
	for i := range admins {
		if err := n.enqueue(ctx, tx, now, p.ID, notMeAdminEmail(p, &admins[i], u, n.link(EmployeePath(p.Code, u.ID)))); err != nil {
			return err
		}
	}
	return nil
}
