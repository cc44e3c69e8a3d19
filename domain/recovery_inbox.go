package domain

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/watchpost/watchpost/i18n"
)

// HelpCase is a help request with the state of the person who asked, as the helper's
// inbox and request screen show it.
type HelpCase struct {
	Request        HelpRequest
	User           User
	LockedUntil    time.Time // zero: not locked
	TwoStep        bool      // enrolled in two-step verification
	EmailChangedAt time.Time // the newest e-mail change in the last 30 days; zero: none
	// InPersonAllowed: the policy accepts "known to me in person" for this person.
	InPersonAllowed bool
	// Peer: the person has the helper's rank (guardCredential): "known to me in person"
	// is not enough, unless the policy lets peers act for each other; a code the person
	// reads out is.
	Peer bool
	// CanResetTwoStep and CanChangeEmail: the helper's role allows removing the
	// person's two-step verification and correcting their e-mail with the pass.
	CanResetTwoStep, CanChangeEmail bool
}

// problemLabel is the catalogue key naming a problem.
func problemLabel(p HelpProblem) i18n.Key { return i18n.Key("recovery.problem." + string(p)) }

// ProblemLabel is the catalogue key naming a problem, for pages.
func ProblemLabel(p HelpProblem) i18n.Key { return problemLabel(p) }

// inboxLimit bounds the inbox; a portal with more open requests has a bigger problem.
const inboxLimit = 100

// Inbox lists the open requests the actor may handle, newest first: those of people
// with accounts, not the actor's own, and none of someone holding a permission the
// actor's role lacks.
func (r *RecoveryService) Inbox(ctx context.Context, portal *Portal, actor *User) ([]HelpCase, error) {
	if err := Authorize(actor, PermHandleHelp); err != nil {
		return nil, err
	}
	reqs, users, err := r.handleable(ctx, portal, actor)
	if err != nil {
		return nil, err
	}
	out := make([]HelpCase, 0, len(reqs))
	for i := range reqs {
		c, err := r.stateOf(ctx, portal, actor, reqs[i], users[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// handleable lists the open requests the actor may act on, with their people.
func (r *RecoveryService) handleable(ctx context.Context, portal *Portal, actor *User) ([]HelpRequest, []*User, error) {
	reqs, err := r.store.OpenHelpRequests(ctx, portal.ID, r.clock.Now(), inboxLimit)
	if err != nil {
		return nil, nil, err
	}
	var outReqs []HelpRequest
	var outUsers []*User
	for _, req := range reqs {
		user, err := r.store.UserByID(ctx, portal.ID, req.UserID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if mayHandle(actor, user) == nil {
			outReqs, outUsers = append(outReqs, req), append(outUsers, user)
		}
	}
	return outReqs, outUsers, nil
}

// InboxCount is how many requests wait in the actor's inbox; 0 for people without the
// permission (the navigation shows it).
func (r *RecoveryService) InboxCount(ctx context.Context, portal *Portal, actor *User) (int, error) {
	if Authorize(actor, PermHandleHelp) != nil {
		return 0, nil
	}
	reqs, _, err := r.handleable(ctx, portal, actor)
	return len(reqs), err
}

// Case loads one open request for the actor to handle.
func (r *RecoveryService) Case(ctx context.Context, portal *Portal, actor *User, id int64) (*HelpCase, error) {
	if err := Authorize(actor, PermHandleHelp); err != nil {
		return nil, err
	}
	req, err := r.store.HelpRequestByID(ctx, portal.ID, id)
	if err != nil {
		return nil, err
	}
	if req.UserID == 0 {
		return nil, ErrNotFound
	}
	if !req.IsOpen(r.clock.Now()) {
		return nil, ErrHelpRequestClosed
	}
	return r.caseOf(ctx, portal, actor, *req)
}

// caseOf adds the person's state to a request, after checking the actor may handle it.
func (r *RecoveryService) caseOf(ctx context.Context, portal *Portal, actor *User, req HelpRequest) (*HelpCase, error) {
	user, err := r.store.UserByID(ctx, portal.ID, req.UserID)
	if err != nil {
		return nil, err
	}
	if err := mayHandle(actor, user); err != nil {
		return nil, err
	}
	return r.stateOf(ctx, portal, actor, req, user)
}

// stateOf adds the person's state to a request the actor may handle.
func (r *RecoveryService) stateOf(ctx context.Context, portal *Portal, actor *User, req HelpRequest, user *User) (*HelpCase, error) {
	locks, err := r.lockout.LockedUntil(ctx, portal.ID, []User{*user})
	if err != nil {
		return nil, err
	}
	ts, err := r.twoStep.enrolment(ctx, portal.ID, user.ID)
	if err != nil {
		return nil, err
	}
	c := &HelpCase{Request: req, User: *user, LockedUntil: locks[user.ID], TwoStep: ts.Enrolled(),
		InPersonAllowed: portal.Policy.HelpInPersonForAdmins || !isAdministrator(user),
		Peer:            guardCredentialIn(portal.Policy, actor, user, PermHandleHelp) != nil,
		CanResetTwoStep: guardCredentialIn(portal.Policy, actor, user, PermResetTwoStep) == nil,
		CanChangeEmail:  guardCredentialIn(portal.Policy, actor, user, PermChangeEmail) == nil}
	changes, err := r.store.AuditEvents(ctx, portal.ID, AuditFilter{UserID: user.ID, Type: EventEmailChanged, From: r.clock.Now().AddDate(0, 0, -30)}, 1)
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		c.EmailChangedAt = changes[0].CreatedAt
	}
	return c, nil
}

// mayHandle applies the rules of who may act on a request: the permission, never one's
// own, never for someone holding a permission the actor's role lacks. (For someone of
// the same rank, "known to me in person" is not enough: see Verify.)
func mayHandle(actor, user *User) error {
	if err := guard(actor, user, PermHandleHelp); err != nil {
		return err
	}
	if actor.ID == user.ID {
		return &ForbiddenError{Permission: PermHandleHelp, Rule: ForbidOwnAccount, Reason: "recovery.errors.own_request"}
	}
	return nil
}

// isAdministrator tells whether the person can administer the portal (manage roles or
// edit the policy): for them, the policy may refuse "known to me in person".
func isAdministrator(u *User) bool {
	return u.Role.Has(PermManageRoles) || u.Role.Has(PermEditPolicy)
}

// HelpCheck is how a helper checked who is asking: the request code read out, and one
// of an e-mailed code, an authenticator code or "known to me in person" with a note.
type HelpCheck struct {
	RequestCode string
	Method      string // CheckEmailCode, CheckAuthCode or CheckInPerson
	Code        string // the e-mailed or authenticator code
	Note        string // for CheckInPerson: how the helper knows them
}

// SendEmailCode e-mails a one-time code to the account's address, which the person
// reads back to the helper.
func (r *RecoveryService) SendEmailCode(ctx context.Context, portal *Portal, actor *User, id int64, ip string) error {
	c, err := r.Case(ctx, portal, actor, id)
	if err != nil {
		return err
	}
	code := randomFrom("0123456789", 6)
	now := r.clock.Now()
	req := c.Request
	req.EmailCodeHash, req.EmailCodeUntil = r.codeHash(portal.ID, req.ID, CheckEmailCode, code), now.Add(time.Duration(portal.Policy.RecoveryPassMinutes)*time.Minute)
	return r.store.InTx(ctx, func(tx Store) error {
		if err := tx.UpdateHelpRequest(ctx, &req, c.Request.Status); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: c.User.ID, ActorID: actor.ID, Type: EventHelpCodeSent, IP: ip, CreatedAt: now}, Notes{note("recovery.audit.code_sent", "Reference", req.Reference, "Name", actor.DisplayName)}); err != nil {
			return err
		}
		return r.enqueue(ctx, tx, now, portal.ID, helpCodeEmail(portal, &c.User, actor, code, portal.Policy.RecoveryPassMinutes))
	})
}

// Verify records the helper's identity check. Every wrong code counts; at
// HelpMaxWrongChecks the request locks and the person must ask again.
func (r *RecoveryService) Verify(ctx context.Context, portal *Portal, actor *User, id int64, in HelpCheck, ip string) error {
	c, err := r.Case(ctx, portal, actor, id)
	if err != nil {
		return err
	}
	req, user := c.Request, &c.User
	in.RequestCode = strings.Join(strings.Fields(in.RequestCode), "")
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case in.RequestCode == "":
		return Invalid("request_code", "recovery.errors.request_code_missing")
	case in.Method == CheckInPerson && !c.InPersonAllowed:
		return Invalid("method", "recovery.errors.in_person_admin")
	case in.Method == CheckInPerson && c.Peer:
		return Invalid("method", "devices.recovery.in_person_peer")
	case in.Method == CheckInPerson && (in.Note == "" || utf8.RuneCountInString(in.Note) > 500 || HasControl(in.Note)):
		return Invalid("note", "recovery.errors.note")
	case in.Method != CheckInPerson && in.Method != CheckEmailCode && in.Method != CheckAuthCode:
		return Invalid("method", "recovery.errors.method")
	}
	wrong := ""
	if !r.sameCode(portal.ID, req.ID, "request", in.RequestCode, req.CodeHash) {
		wrong = "request_code"
	} else if ok, err := r.secondCheck(ctx, portal, c, in); err != nil {
		return err
	} else if !ok {
		wrong = "code"
	}
	now := r.clock.Now()
	if wrong != "" {
		return r.failCheck(ctx, portal, actor, &req, wrong, in.Method, ip)
	}
	req.Status, req.Checks, req.CheckNote = HelpVerified, "request_code "+in.Method, in.Note
	req.EmailCodeHash = ""
	return r.store.InTx(ctx, func(tx Store) error {
		if err := tx.UpdateHelpRequest(ctx, &req, c.Request.Status); err != nil {
			return err
		}
		detail := Notes{note("recovery.audit.checked", "Reference", req.Reference, "Name", actor.DisplayName, "Method", checkLabel(in.Method))}
		if in.Note != "" {
			detail = append(detail, noteText(in.Note))
		}
		return audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, ActorID: actor.ID, Type: EventHelpChecked, IP: ip, CreatedAt: now}, detail)
	})
}

// checkLabel is the catalogue key naming a way of checking identity.
func checkLabel(method string) i18n.Key { return i18n.Key("recovery.check." + method) }

// CheckLabel is the catalogue key naming a way of checking identity, for pages.
func CheckLabel(method string) i18n.Key { return checkLabel(method) }

// secondCheck checks the e-mailed or authenticator code; "in person" needs none.
func (r *RecoveryService) secondCheck(ctx context.Context, portal *Portal, c *HelpCase, in HelpCheck) (bool, error) {
	code := strings.Join(strings.Fields(in.Code), "")
	switch in.Method {
	case CheckEmailCode:
		return !c.Request.EmailCodeUntil.IsZero() && r.clock.Now().Before(c.Request.EmailCodeUntil) &&
			r.sameCode(portal.ID, c.Request.ID, CheckEmailCode, code, c.Request.EmailCodeHash), nil
	case CheckAuthCode:
		clean, err := CleanCode(code)
		if err != nil || !c.TwoStep {
			return false, nil
		}
		ts, err := r.twoStep.enrolment(ctx, portal.ID, c.User.ID)
		if err != nil {
			return false, err
		}
		secret, err := r.twoStep.open(portal.ID, c.User.ID, ts.Secret)
		if err != nil {
			return false, err
		}
		step, ok := matchStep(secret, clean, r.clock.Now())
		if !ok {
			return false, nil
		}
		// A code works once, here as at sign-in.
		return r.store.UseTwoStepStep(ctx, portal.ID, c.User.ID, step)
	}
	return true, nil
}

// failCheck counts a wrong code in one statement and locks the request at the limit.
func (r *RecoveryService) failCheck(ctx context.Context, portal *Portal, actor *User, req *HelpRequest, field, method, ip string) error {
	now := r.clock.Now()
	var after *HelpRequest
	err := r.store.InTx(ctx, func(tx Store) error {
		var err error
		after, err = tx.FailHelpCheck(ctx, portal.ID, req.ID, HelpMaxWrongChecks, now)
		if err != nil {
			return err
		}
		typ, id := EventHelpCheckFailed, "recovery.audit.check_failed"
		if after.Status == HelpLocked {
			typ, id = EventHelpLocked, "recovery.audit.locked"
		}
		return audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: req.UserID, ActorID: actor.ID, Type: typ, IP: ip, CreatedAt: now}, Notes{note(id, "Reference", req.Reference, "Name", actor.DisplayName, "Method", checkLabel(method), "Count", after.WrongChecks)})
	})
	if err != nil {
		return err
	}
	r.metrics.HelpCheckFailed()
	if after.Status == HelpLocked {
		return ErrHelpRequestClosed
	}
	return Invalid(field, "recovery.errors.wrong_code", "Count", HelpMaxWrongChecks-after.WrongChecks)
}

// OpenCaseOf tells whether the actor may help target with a recovery pass (ok), and
// returns target's open request when there is one (nil otherwise).
func (r *RecoveryService) OpenCaseOf(ctx context.Context, portal *Portal, actor, target *User) (open *HelpCase, ok bool, err error) {
	if mayHandle(actor, target) != nil {
		return nil, false, nil
	}
	reqs, err := r.store.OpenHelpRequests(ctx, portal.ID, r.clock.Now(), inboxLimit)
	if err != nil {
		return nil, false, err
	}
	for _, req := range reqs {
		if req.UserID == target.ID {
			c, err := r.caseOf(ctx, portal, actor, req)
			return c, true, err
		}
	}
	return nil, true, nil
}
