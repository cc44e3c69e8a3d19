package domain

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// ResetService runs the self-service "Forgot password" flow.
type ResetService struct {
	*env
	passwords *PasswordService
	timing    evenTiming
}

// Request e-mails a reset link if the identifier names an active account of the portal.
// It answers the same way, in the same time, whatever happens: account or not, rate
// limited or not. Only a storage failure is returned.
func (r *ResetService) Request(ctx context.Context, portal *Portal, identifier, ip string) error {
	start := time.Now()
	defer r.timing.pad(ctx, start, r.cfg.ResponseFloor)
	ident := NormalizeIdentifier(identifier)
	if ident == "" {
		return Invalid("identifier", "errors.forgot.missing")
	}
	now := r.clock.Now()
	allowed, err := r.allow(ctx, portal, ident, ip, now)
	if err != nil || !allowed {
		return err
	}
	user, err := r.store.UserByIdentifier(ctx, portal.ID, ident)
	if errors.Is(err, ErrNotFound) || (err == nil && user.Disabled) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = r.issue(ctx, portal, user, TokenReset, 0, ip)
	r.timing.observe(time.Since(start))
	return err
}

// ResendAfter is how long the "check your e-mail" page asks a person to wait before
// asking again: at that pace the per-identifier limit never drops a request. It is the
// same for every identifier, so it tells nothing about accounts.
func (r *ResetService) ResendAfter() time.Duration {
	return r.cfg.ResetWindow / time.Duration(max(r.cfg.ResetPerIdentifier, 1))
}

// allow applies the silent rate limits: per client address, per identifier from that
// address, and a higher ceiling per identifier from everyone, so that a stranger cannot
// use up the owner's allowance and silence their reset e-mails.
func (r *ResetService) allow(ctx context.Context, portal *Portal, ident, ip string, now time.Time) (bool, error) {
	pid, ip := strconv.FormatInt(portal.ID, 10), AddressGroup(ip)
	for _, limit := range []struct {
		key string
		max int
	}{
		{"reset-ip:" + pid + ":" + ip, r.cfg.ResetPerClient},
		{"reset-id-ip:" + pid + ":" + ip + ":" + ident, r.cfg.ResetPerIdentifier},
	} {
		n, err := r.store.Hit(ctx, limit.key, now, r.cfg.ResetWindow)
		if err != nil || n > limit.max {
			return false, err
		}
	}
	n, err := r.store.Hit(ctx, "reset-id:"+pid+":"+ident, now, r.cfg.ResetWindow)
	if err != nil || n <= r.cfg.ResetPerIdentifierGlobal {
		return err == nil, err
	}
	// Past the ceiling, one e-mail per identifier still goes every ResetTrickle: requests
	// from many addresses never silence the owner's mailbox for the whole window, and
	// the newest link there always works.
	n, err = r.store.Hit(ctx, "reset-id-trickle:"+pid+":"+ident, now, r.cfg.ResetTrickle)
	return err == nil && n <= 1, err
}

// issue stores a new link (voiding older ones) and its e-mail in one transaction, and
// returns the link. A set-password link for a new account lives as long as a temporary
// password; a reset link for the portal's reset-link lifetime.
func (r *ResetService) issue(ctx context.Context, portal *Portal, user *User, purpose TokenPurpose, actorID int64, ip string) (string, error) {
	token, hash := NewToken()
	now := r.clock.Now()
	life, minutes := portal.Policy.ResetLinkLifetime(), portal.Policy.ResetLinkMinutes
	if purpose == TokenSetup {
		minutes = portal.Policy.TempPasswordHours * 60
		life = time.Duration(minutes) * time.Minute
	}
	link := r.link(ResetPath(portal.Code, token))
	err := r.store.InTx(ctx, func(tx Store) error {
		t := &ResetToken{PortalID: portal.ID, UserID: user.ID, Hash: hash, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(life)}
		if err := tx.CreateResetToken(ctx, t); err != nil {
			return err
		}
		detail := Notes{note("audit.link."+string(purpose), "Count", minutes)}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: actorID, Type: EventResetRequested, IP: ip, CreatedAt: now}, detail); err != nil {
			return err
		}
		if actorID == 0 {
			if err := noteLanguage(ctx, tx, user, false); err != nil {
				return err
			}
		}
		l := linkLanguage(ctx, portal, user, actorID)
		if purpose == TokenSetup {
			return r.enqueue(ctx, tx, now, portal.ID, setupEmail(l, portal, user, link, minutes/60))
		}
		return r.enqueue(ctx, tx, now, portal.ID, resetEmail(l, portal, user, link, minutes))
	})
	if err == nil {
		r.metrics.ResetLinkSent()
	}
	return link, err
}

// Check returns the account a link belongs to, or ErrInvalidToken when the link is
// unknown, used, superseded or expired.
func (r *ResetService) Check(ctx context.Context, portal *Portal, token string) (*User, error) {
	if !ValidTokenShape(token) {
		return nil, ErrInvalidToken
	}
	t, err := r.store.ResetTokenByHash(ctx, HashToken(token), r.clock.Now())
	if errors.Is(err, ErrNotFound) || (err == nil && t.PortalID != portal.ID) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	return r.store.UserByID(ctx, portal.ID, t.UserID)
}

// Complete sets the new password through a link. The policy is checked first, so a typo
// does not use up the link; then the link is used up atomically, so of two concurrent
// submissions exactly one succeeds.
func (r *ResetService) Complete(ctx context.Context, portal *Portal, token string, np NewPassword, ip string) (*User, error) {
	user, err := r.Check(ctx, portal, token)
	if err != nil {
		return nil, err
	}
	np.Current = ""
	if err := r.passwords.Validate(ctx, portal, user, np); err != nil {
		return nil, err
	}
	hash, err := r.hasher.Hash(ctx, np.Password)
	if err != nil {
		return nil, err
	}
	err = r.store.InTx(ctx, func(tx Store) error {
		t, err := tx.UseResetToken(ctx, HashToken(token), r.clock.Now())
		if errors.Is(err, ErrNotFound) || (err == nil && t.UserID != user.ID) {
			return ErrInvalidToken
		}
		if err != nil {
			return err
		}
		// The link came from their mailbox: the page it opened speaks their language.
		if err := noteLanguage(ctx, tx, user, true); err != nil {
			return err
		}
		return r.passwords.set(ctx, tx, portal, user, hash, change{reason: ChangedByReset, event: EventResetCompleted, detail: Notes{note("audit.password.through_link")}, ip: ip})
	})
	if err != nil {
		return nil, err
	}
	r.metrics.ResetLinkUsed()
	return user, nil
}
