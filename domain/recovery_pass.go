package domain

import (
	"context"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
	"time"
)

// PassOptions are what a recovery pass does besides letting the person set a password.
type PassOptions struct {
	ResetTwoStep bool   // also remove two-step verification ("Reset two-step verification")
	NewEmail     string // also correct the e-mail address ("Change e-mail"); "" keeps it
}

// RecoveryPass is a freshly issued pass, shown once to the helper: a short code to read
// out and a link (also as a QR code) to open on the person's own device.
type RecoveryPass struct {
	Code      string
	Link      string
	ExpiresAt time.Time
}

// passAlphabet leaves out look-alikes; a pass code is two groups of four.
const passAlphabet = recoveryAlphabet

// IssuePass issues a single-use recovery pass for a checked request. An earlier pass of
// the same request stops working. The helper never sees or chooses a password.
func (r *RecoveryService) IssuePass(ctx context.Context, portal *Portal, actor *User, id int64, opt PassOptions, ip string) (*RecoveryPass, error) {
	c, err := r.Case(ctx, portal, actor, id)
	if err != nil {
		return nil, err
	}
	req, user := c.Request, &c.User
	if req.Status != HelpVerified && req.Status != HelpIssued {
		return nil, ErrNotVerified
	}
	if opt.ResetTwoStep {
		if err := guardCredentialIn(portal.Policy, actor, user, PermResetTwoStep); err != nil {
			return nil, err
		}
	}
	if opt.NewEmail = strings.TrimSpace(opt.NewEmail); opt.NewEmail != "" {
		if err := guardCredentialIn(portal.Policy, actor, user, PermChangeEmail); err != nil {
			return nil, err
		}
		email, msg := ValidEmail(opt.NewEmail)
		if msg != "" {
			return nil, Invalid("new_email", msg)
		}
		if email == user.Email {
			return nil, Invalid("new_email", "errors.email.same")
		}
		if other, err := r.store.UserByIdentifier(ctx, portal.ID, email); err == nil && other.ID != user.ID {
			return nil, Invalid("new_email", "errors.email.taken")
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		opt.NewEmail = email
	}
	now := r.clock.Now()
	code := randomFrom(passAlphabet, 8)
	token, tokenHash := NewToken()
	pass := &RecoveryPass{Code: code[:4] + "-" + code[4:], Link: r.link(RecoverPath(portal.Code, token)),
		ExpiresAt: now.Add(time.Duration(portal.Policy.RecoveryPassMinutes) * time.Minute)}
	req.Status, req.ResetTwoStep, req.NewEmail = HelpIssued, opt.ResetTwoStep, opt.NewEmail
	req.PassHash, req.PassCodeHash, req.PassExpiresAt = tokenHash, r.passCodeHash(portal.ID, code), pass.ExpiresAt
	req.PassSealed = r.twoStep.seal(portal.ID, req.ID, code+" "+token)
	req.ResolverID = actor.ID
	err = r.store.InTx(ctx, func(tx Store) error {
		if err := tx.UpdateHelpRequest(ctx, &req, c.Request.Status); err != nil {
			return err
		}
		detail := Notes{note("recovery.audit.issued", "Reference", req.Reference, "Name", actor.DisplayName, "Count", portal.Policy.RecoveryPassMinutes)}
		if opt.ResetTwoStep {
			detail = append(detail, note("recovery.audit.with_two_step_reset"))
		}
		if opt.NewEmail != "" {
			detail = append(detail, note("recovery.audit.with_email", "Email", opt.NewEmail))
		}
		return audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: actor.ID, Type: EventPassIssued, IP: ip, CreatedAt: now}, detail)
	})
	if err != nil {
		return nil, err
	}
	r.metrics.RecoveryPassIssued()
	return pass, nil
}

// passCodeHash is the stored form of a pass code: bound to the portal only, as the
// person types the code without saying which request it belongs to.
func (r *RecoveryService) passCodeHash(portalID int64, code string) string {
	return r.twoStep.recoveryHash(portalID, 0, "help:pass:"+code)
}

// cleanPassCode reads a typed pass code: eight characters, case, spaces and dashes
// ignored.
func cleanPassCode(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	ok := len(s) == 8 && strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune(passAlphabet, r) }) < 0
	return s, ok
}

// Waiting is what the requester's waiting page shows.
type Waiting struct {
	Reference string
	Status    HelpStatus // HelpOpen while it waits (also for a checked request), HelpIssued with Pass
	Pass      *RecoveryPass
	ExpiresAt time.Time
}

// Wait tells the browser that asked where its request stands, and shows it the pass
// once a helper issued one. The page's address and the browser's cookie must both
// match; anything else reads as an ended request, whether or not an account matched.
func (r *RecoveryService) Wait(ctx context.Context, portal *Portal, waitToken, browserKey string) (*Waiting, error) {
	if !ValidTokenShape(waitToken) {
		return nil, ErrHelpRequestClosed
	}
	req, err := r.store.HelpRequestByWait(ctx, portal.ID, HashToken(waitToken))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrHelpRequestClosed
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(HashToken(browserKey)), []byte(req.BrowserKey)) != 1 {
		return nil, ErrHelpRequestClosed
	}
	now := r.clock.Now()
	w := &Waiting{Reference: req.Reference, Status: HelpOpen, ExpiresAt: req.ExpiresAt}
	switch {
	case req.Status == HelpResolved:
		w.Status = HelpResolved
	case !req.IsOpen(now):
		return nil, ErrHelpRequestClosed
	case req.Status == HelpIssued && now.Before(req.PassExpiresAt) && req.PassSealed != "":
		plain, err := r.twoStep.open(portal.ID, req.ID, req.PassSealed)
		if err != nil {
			return nil, err
		}
		code, token, _ := strings.Cut(plain, " ")
		w.Status = HelpIssued
		w.Pass = &RecoveryPass{Code: code[:4] + "-" + code[4:], Link: RecoverPath(portal.Code, token), ExpiresAt: req.PassExpiresAt}
	}
	return w, nil
}

// PassHolder is whom a pass belongs to, for the redeem page's greeting.
type PassHolder struct {
	Username string
}

// CheckPass tells whether a pass link still works, and whose it is.
func (r *RecoveryService) CheckPass(ctx context.Context, portal *Portal, token string) (*PassHolder, error) {
	req, err := r.passByToken(ctx, portal, token)
	if err != nil {
		return nil, err
	}
	u, err := r.store.UserByID(ctx, portal.ID, req.UserID)
	if err != nil {
		return nil, err
	}
	return &PassHolder{Username: u.Username}, nil
}

func (r *RecoveryService) passByToken(ctx context.Context, portal *Portal, token string) (*HelpRequest, error) {
	if !ValidTokenShape(token) {
		return nil, ErrInvalidToken
	}
	req, err := r.store.HelpRequestByPass(ctx, portal.ID, HashToken(token), r.clock.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, ErrInvalidToken
	}
	return req, err
}

// Redeem is the person using their pass (the link's token, or the short code typed) to
// set their own password. The password policy and history apply; a typo does not use
// up the pass. Every code typed counts against the address's allowance. Redeeming ends
// the lock, signs out every session and app token, removes two-step verification only
// when the helper chose to, corrects the e-mail when the helper chose to, and tells the
// person (at the old and the new address).
func (r *RecoveryService) Redeem(ctx context.Context, portal *Portal, token, code string, np NewPassword, ip string) (*User, error) {
	req, err := r.findPass(ctx, portal, token, code, ip)
	if err != nil {
		return nil, err
	}
	user, err := r.store.UserByID(ctx, portal.ID, req.UserID)
	if err != nil {
		return nil, err
	}
	oldEmail := user.Email
	if req.NewEmail != "" {
		user.Email = req.NewEmail // the policy's "contains your e-mail name" rule reads the new one
	}
	np.Current = ""
	if err := r.passwords.Validate(ctx, portal, user, np); err != nil {
		return nil, err
	}
	hash, err := r.hasher.Hash(ctx, np.Password)
	if err != nil {
		return nil, err
	}
	helper, err := r.store.UserByID(ctx, portal.ID, req.ResolverID)
	if err != nil {
		return nil, err
	}
	now := r.clock.Now()
	err = r.store.InTx(ctx, func(tx Store) error {
		used, err := tx.UseRecoveryPass(ctx, portal.ID, req.ID, now)
		if errors.Is(err, ErrNotFound) {
			return ErrInvalidToken
		}
		if err != nil {
			return err
		}
		if used.NewEmail != "" {
			if err := tx.UpdateEmail(ctx, portal.ID, user.ID, used.NewEmail); err != nil {
				return err
			}
			if err := tx.ClearAttempts(ctx, portal.ID, identKey(oldEmail)); err != nil {
				return err
			}
			if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: helper.ID, Type: EventEmailChanged, IP: ip, CreatedAt: now}, Notes{noteText(oldEmail + " → " + used.NewEmail)}); err != nil {
				return err
			}
		}
		if used.ResetTwoStep {
			if _, err := tx.DeleteTwoStep(ctx, portal.ID, user.ID); err != nil {
				return err
			}
			if err := tx.DeleteUserChallenges(ctx, portal.ID, user.ID); err != nil {
				return err
			}
			if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: helper.ID, Type: EventTwoStepReset, IP: ip, CreatedAt: now}, Notes{note("audit.two_step.removed_by", "Name", helper.Username)}); err != nil {
				return err
			}
		}
		if err := noteLanguage(ctx, tx, user, true); err != nil {
			return err
		}
		detail := Notes{note("recovery.audit.redeemed", "Reference", used.Reference, "Name", helper.DisplayName)}
		if err := r.passwords.set(ctx, tx, portal, user, hash, change{reason: ChangedByRecovery, actorID: 0, event: EventPassRedeemed, detail: detail, ip: ip}); err != nil {
			return err
		}
		for _, to := range helpedAddresses(oldEmail, user.Email) {
			if err := r.notify(ctx, tx, now, portal, user, to, func(notMe string) Mail {
				return helpedBackInEmail(portal, user, helper, to, oldEmail, used, notMe)
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.metrics.RecoveryPassRedeemed(now.Sub(req.CreatedAt))
	return user, nil
}

func helpedAddresses(old, new string) []string {
	if old == new {
		return []string{new}
	}
	return []string{old, new}
}

// findPass finds the live pass of a link's token or a typed code. Codes are short, so
// each one typed counts against the address's allowance, whether it is right or not.
func (r *RecoveryService) findPass(ctx context.Context, portal *Portal, token, code, ip string) (*HelpRequest, error) {
	if token != "" {
		return r.passByToken(ctx, portal, token)
	}
	clean, ok := cleanPassCode(code)
	if !ok {
		return nil, Invalid("code", "recovery.errors.pass_format")
	}
	n, err := r.store.Hit(ctx, "pass-ip:"+strconv.FormatInt(portal.ID, 10)+":"+AddressGroup(ip), r.clock.Now(), passWindow)
	if err != nil {
		return nil, err
	}
	if n > passTriesPerAddress {
		return nil, &ThrottledError{Left: passWindow}
	}
	req, err := r.store.HelpRequestByPass(ctx, portal.ID, r.passCodeHash(portal.ID, clean), r.clock.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, Invalid("code", "recovery.errors.pass_wrong")
	}
	return req, err
}
