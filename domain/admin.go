package domain

import (
	"context"
	"crypto/rand"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/watchpost/watchpost/i18n"
)

// ForbiddenError says the actor's role lacks a permission, or the target holds
// permissions the actor lacks (no escalation). Rule tells callers which check refused,
// so they pick their wording by it; Reason and Args are the detail people read.
type ForbiddenError struct {
	Permission Permission
	Rule       ForbiddenRule
	Reason     string // catalogue message id (errors.forbidden.*), for pages; Error() is English
	Args       []any  // its placeholder pairs
}

// ForbiddenRule names the check that refused an action.
type ForbiddenRule int

// The checks that refuse actions.
const (
	// ForbidMissingPermission: the actor's role lacks the permission.
	ForbidMissingPermission ForbiddenRule = iota + 1
	// ForbidTargetOutranks: the target holds permissions the actor's role lacks.
	ForbidTargetOutranks
	// ForbidRoleOutranks: the role to give holds permissions the actor's role lacks.
	ForbidRoleOutranks
	// ForbidLastRoleManager: nobody could manage roles afterwards.
	ForbidLastRoleManager
	// ForbidOwnAccount: the action cannot be done to one's own account.
	ForbidOwnAccount
	// ForbidGrantUnheld: a permission the actor's role lacks cannot be granted or removed.
	ForbidGrantUnheld
	// ForbidBuiltInRole: the built-in Administrator role keeps every permission.
	ForbidBuiltInRole
	// ForbidOwnRole: nobody removes a permission from their own role (a dead end).
	ForbidOwnRole
	// ForbidPeer: a credential action on someone of the same rank (issue 21, item 14).
	ForbidPeer
)

func (e *ForbiddenError) Error() string { return "forbidden: " + i18n.English.T(e.Reason, e.Args...) }

// AdminService is what administrators and managers do to other people's accounts, always
// checked on the server: the caller's permission, and that the target holds no
// permission the caller lacks.
type AdminService struct {
	*env
	reset     *ResetService
	passwords *PasswordService
	auth      *AuthService
}

// ProfileRoles lists the roles a new profile can be given, for those who may create one.
func (a *AdminService) ProfileRoles(ctx context.Context, actor *User) ([]Role, error) {
	if err := Authorize(actor, PermCreateProfile); err != nil {
		return nil, err
	}
	return a.store.Roles(ctx, actor.PortalID)
}

// AdministratorNames names the portal's enabled administrators, for people told to ask one.
func (a *AdminService) AdministratorNames(ctx context.Context, portalID int64) ([]string, error) {
	admins, err := a.store.UsersWithRole(ctx, portalID, RoleAdministrator)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(admins))
	for i, u := range admins {
		names[i] = u.DisplayName
	}
	return names, nil
}

// Authorize returns a *ForbiddenError unless actor's role grants p.
func Authorize(actor *User, p Permission) error {
	if actor == nil || actor.Role == nil || !actor.Role.Has(p) {
		return &ForbiddenError{Permission: p, Rule: ForbidMissingPermission, Reason: "errors.forbidden.no_permission", Args: []any{"Permission", PermissionLabel(p)}}
	}
	return nil
}

// covers reports whether every permission of inner is also in outer.
func covers(outer, inner *Role) bool {
	for _, p := range strings.Fields(inner.Permissions) {
		if !outer.Has(Permission(p)) {
			return false
		}
	}
	return true
}

// guard checks the permission and that actor outranks (or equals) target.
// guardCredential is guard for the actions that could hand over another person's
// account (set a password, unlock, change the e-mail address, reset two-step): on
// someone of the same rank (the same permissions, a Manager for a Manager, an
// Administrator for an Administrator) they need a higher role, unless the portal's
// policy lets peers act for each other. A person's own account is not a peer's.
func (e *env) guardCredential(ctx context.Context, actor, target *User, p Permission) error {
	if err := guard(actor, target, p); err != nil || actor.ID == target.ID || !covers(target.Role, actor.Role) {
		return err
	}
	portal, err := e.store.PortalByID(ctx, actor.PortalID)
	if err != nil {
		return err
	}
	return guardCredentialIn(portal.Policy, actor, target, p)
}

// guardCredentialIn is guardCredential under a policy the caller already has.
func guardCredentialIn(pol Policy, actor, target *User, p Permission) error {
	if err := guard(actor, target, p); err != nil || actor.ID == target.ID || !covers(target.Role, actor.Role) || pol.PeerCredentials {
		return err
	}
	return &ForbiddenError{Permission: p, Rule: ForbidPeer, Reason: "errors.forbidden.peer", Args: []any{"Name", target.DisplayName}}
}

func guard(actor, target *User, p Permission) error {
	if err := Authorize(actor, p); err != nil {
		return err
	}
	if actor.PortalID != target.PortalID {
		return ErrNotFound
	}
	if !covers(actor.Role, target.Role) {
		return &ForbiddenError{Permission: p, Rule: ForbidTargetOutranks, Reason: "errors.forbidden.target_outranks", Args: []any{"Name", target.DisplayName}}
	}
	return nil
}

// PermissionLabel is the catalogue key naming a permission for people ("reset passwords").
func PermissionLabel(p Permission) i18n.Key { return i18n.Key("common.perm." + string(p)) }

// EmployeeRow is one line of the employee list.
type EmployeeRow struct {
	User        User
	LockedUntil time.Time // zero when not locked
	TempExpired bool
	LastSignIn  time.Time // zero: none the audit log still holds
}

// EmployeePage is one page of the employee list.
type EmployeePage struct {
	Rows            []EmployeeRow
	Total, Page, Of int
}

// EmployeesPerPage is the employee list's page size.
const EmployeesPerPage = 25

// Employees lists the portal's users matching the filter, a page at a time.
func (a *AdminService) Employees(ctx context.Context, actor *User, f EmployeeFilter, page int) (*EmployeePage, error) {
	if err := Authorize(actor, PermViewEmployees); err != nil {
		return nil, err
	}
	page = max(page, 1)
	now := a.clock.Now()
	users, total, err := a.store.ListUsers(ctx, actor.PortalID, f.forStore(now), (page-1)*EmployeesPerPage, EmployeesPerPage)
	if err != nil {
		return nil, err
	}
	locks, err := a.lockout.LockedUntil(ctx, actor.PortalID, users)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	last, err := a.store.LastSignIns(ctx, actor.PortalID, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]EmployeeRow, len(users))
	for i, u := range users {
		rows[i] = EmployeeRow{User: u, LockedUntil: locks[u.ID], TempExpired: u.TempPasswordExpired(now), LastSignIn: last[u.ID]}
	}
	return &EmployeePage{Rows: rows, Total: total, Page: page, Of: max(1, (total+EmployeesPerPage-1)/EmployeesPerPage)}, nil
}

// Employee loads one user of the actor's portal with their lock state.
func (a *AdminService) Employee(ctx context.Context, actor *User, id int64) (*EmployeeRow, error) {
	if err := Authorize(actor, PermViewEmployees); err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, actor.PortalID, id)
	if err != nil {
		return nil, err
	}
	locks, err := a.lockout.LockedUntil(ctx, actor.PortalID, []User{*u})
	if err != nil {
		return nil, err
	}
	return &EmployeeRow{User: *u, LockedUntil: locks[u.ID], TempExpired: u.TempPasswordExpired(a.clock.Now())}, nil
}

// Events lists the recent security events of one user, with their addresses: the audit
// log's permission guards them, as it guards the audit log.
func (a *AdminService) Events(ctx context.Context, actor *User, target *User, limit int) ([]AuditEvent, error) {
	if err := Authorize(actor, PermViewAudit); err != nil {
		return nil, err
	}
	if actor.PortalID != target.PortalID {
		return nil, ErrNotFound
	}
	return a.store.AuditEvents(ctx, actor.PortalID, AuditFilter{UserID: target.ID}, limit)
}

// ProfileInput is a new profile as typed by an administrator or manager.
type ProfileInput struct {
	DisplayName, Username, Email, Role string
	// Temporary is the initial password; empty with Generate set makes a strong one;
	// with SendLink the user gets an e-mailed set-password link instead.
	Temporary   string
	Generate    bool
	SendLink    bool
	ForceChange bool
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// validateProfile checks the typed fields and returns them cleaned.
func validateProfile(in ProfileInput) (ProfileInput, *ValidationError) {
	errs := &ValidationError{}
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Username = NormalizeIdentifier(in.Username)
	email, emailErr := ValidEmail(in.Email)
	in.Email = email
	switch {
	case in.DisplayName == "" || utf8.RuneCountInString(in.DisplayName) > 100 || !utf8.ValidString(in.DisplayName):
		errs.Add("display_name", "errors.profile.name", "Max", 100)
	case HasControl(in.DisplayName):
		errs.Add("display_name", "security.profile.name_control")
	}
	if !usernameRe.MatchString(in.Username) {
		errs.Add("username", "errors.profile.username", "Min", 2, "Max", 64)
	}
	if emailErr != "" {
		errs.Add("email", emailErr)
	}
	return in, errs
}

// HasControl reports whether s holds a control character (CR, LF, tab, NUL, ...), a
// line or paragraph separator, or an invisible format character (Unicode category Cf:
// bidi overrides and isolates, zero-width space, soft hyphen...): names go into e-mail
// bodies and headers, where a line break would let someone write their own lines, and
// onto pages, where a bidi override shows a name other than the one stored. Zero-width
// joiner and non-joiner stay allowed: several scripts spell names with them.
func HasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d') {
			return true
		}
	}
	return false
}

// ValidEmail checks and folds an e-mail address, returning a message id when it is not one.
func ValidEmail(s string) (string, string) {
	s = NormalizeIdentifier(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return s, "errors.email.invalid"
	}
	return s, ""
}

// CreateProfile creates an account of any role the actor covers. It returns the
// temporary password to show once, or "" when a set-password link was e-mailed.
func (a *AdminService) CreateProfile(ctx context.Context, portal *Portal, actor *User, in ProfileInput, ip string) (*User, string, error) {
	if err := Authorize(actor, PermCreateProfile); err != nil {
		return nil, "", err
	}
	in, errs := validateProfile(in)
	role, err := a.store.RoleByName(ctx, portal.ID, in.Role)
	if errors.Is(err, ErrNotFound) {
		errs.Add("role", "errors.role.choose")
	} else if err != nil {
		return nil, "", err
	} else if !covers(actor.Role, role) {
		errs.Add("role", "errors.role.exceeds_own")
	}
	temp := ""
	if !in.SendLink {
		temp = in.Temporary
		if in.Generate || temp == "" {
			temp = GeneratePassword()
		}
		pc := PasswordContext{Username: in.Username, Email: in.Email}
		if problems := CheckPassword(temp, portal.Policy.MinLength, pc); len(problems) > 0 {
			id, kv := forSomeoneElse(problems[0].Message, in.DisplayName, problems[0].Args...)
			errs.Add("temporary", id, kv...)
		}
	}
	if len(errs.Fields) > 0 {
		return nil, "", errs
	}
	hash := ""
	if temp != "" {
		if hash, err = a.hasher.Hash(ctx, temp); err != nil {
			return nil, "", err
		}
	}
	now := a.clock.Now()
	u := &User{PortalID: portal.ID, Username: in.Username, Email: in.Email, DisplayName: in.DisplayName, RoleID: role.ID,
		PasswordHash: hash, PasswordChangedAt: now, CreatedAt: now, Role: role}
	if temp != "" && in.ForceChange {
		u.MustChangePassword = true
		u.TempPasswordExpiresAt = now.Add(time.Duration(portal.Policy.TempPasswordHours) * time.Hour)
	}
	err = a.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		how := "audit.profile.temporary"
		if in.SendLink {
			how = "audit.profile.link"
		}
		return audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: u.ID, ActorID: actor.ID, Type: EventProfileCreated, IP: ip, CreatedAt: now}, Notes{note(how, "Role", role.Name)})
	})
	if errors.Is(err, ErrConflict) {
		return nil, "", Invalid("username", "errors.profile.taken")
	}
	if err != nil {
		return nil, "", err
	}
	if in.SendLink {
		if _, err := a.reset.issue(ctx, portal, u, TokenSetup, actor.ID, ip); err != nil {
			return nil, "", err
		}
	}
	return u, temp, nil
}

// GeneratePassword makes a strong random password that is easy to read out and type:
// four groups of five characters from an alphabet without look-alikes (about 99 bits).
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return s.String()
}

// SetPassword is an administrator or manager setting someone's password, typically a
// temporary one with Force Password Change. It returns the password to show once.
// One's own password is changed on the account page, with the current one: a session
// alone must not set it.
func (a *AdminService) SetPassword(ctx context.Context, portal *Portal, actor, target *User, pw string, generate, force bool, ip string) (string, error) {
	if err := a.guardCredential(ctx, actor, target, PermResetPassword); err != nil {
		return "", err
	}
	if actor.ID == target.ID {
		return "", &ForbiddenError{Permission: PermResetPassword, Rule: ForbidOwnAccount, Reason: "errors.forbidden.own_password"}
	}
	if generate || pw == "" {
		pw = GeneratePassword()
	}
	if err := a.passwords.Validate(ctx, portal, target, NewPassword{Password: pw, Confirm: pw}); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			for field, id := range ve.Fields {
				id, kv := forSomeoneElse(id, target.DisplayName, ve.Data[field]...)
				ve.Add(field, id, kv...)
			}
		}
		return "", err
	}
	detail := Notes{note("audit.password.set_by", "Name", actor.DisplayName)}
	if force {
		detail = Notes{note("audit.password.set_by_forced", "Name", actor.DisplayName)}
	}
	hash, err := a.hasher.Hash(ctx, pw)
	if err != nil {
		return "", err
	}
	return pw, a.store.InTx(ctx, func(tx Store) error {
		return a.passwords.set(ctx, tx, portal, target, hash, change{reason: ChangedByAdministrator, actorID: actor.ID, actorName: actor.DisplayName, mustChange: force, event: EventPasswordChanged, detail: detail, ip: ip})
	})
}

// SendReset e-mails the user a reset link on an administrator's request.
func (a *AdminService) SendReset(ctx context.Context, portal *Portal, actor, target *User, ip string) error {
	if err := guard(actor, target, PermResetPassword); err != nil {
		return err
	}
	_, err := a.reset.issue(ctx, portal, target, TokenReset, actor.ID, ip)
	return err
}

// Unlock ends a lockout early. Like every action on a person, only for someone whose
// permissions the actor's role covers: unlocking would otherwise hand a Manager unlimited
// guesses at an Administrator's password.
func (a *AdminService) Unlock(ctx context.Context, actor, target *User, ip string) error {
	if err := a.guardCredential(ctx, actor, target, PermUnlock); err != nil {
		return err
	}
	return a.auth.Unlock(ctx, target, actor.ID, ip)
}

// SignOutEverywhere ends every session and app token of the user.
func (a *AdminService) SignOutEverywhere(ctx context.Context, actor, target *User, ip string) (int, error) {
	if err := guard(actor, target, PermResetPassword); err != nil {
		return 0, err
	}
	n, err := a.store.DeleteUserSessions(ctx, target.PortalID, target.ID, "")
	if err != nil {
		return 0, err
	}
	return n, audit(ctx, a.store, AuditEvent{PortalID: target.PortalID, UserID: target.ID, ActorID: actor.ID, Type: EventSessionsRevoked, IP: ip, CreatedAt: a.clock.Now()}, Notes{note("audit.sessions.signed_out_by", "Count", n, "Name", actor.DisplayName)})
}

// ChangeEmail corrects the address on a profile: both addresses are told, pending links
// die. One's own address is where reset links go, so changing it asks for proof first
// (the password and a current code, see Reauth) and signs out one's other sessions.
func (a *AdminService) ChangeEmail(ctx context.Context, portal *Portal, sess *Session, target *User, email string, proof Reauth, ip string) error {
	actor := sess.User
	if err := a.guardCredential(ctx, actor, target, PermChangeEmail); err != nil {
		return err
	}
	email, msg := ValidEmail(email)
	if msg != "" {
		return Invalid("email", msg)
	}
	if email == target.Email {
		return Invalid("email", "errors.email.same")
	}
	keep := ""
	if actor.ID == target.ID {
		if err := a.auth.twoStep.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
			return err
		}
		keep = sess.ID
	}
	old := target.Email
	now := a.clock.Now()
	err := a.store.InTx(ctx, func(tx Store) error {
		if err := tx.UpdateEmail(ctx, portal.ID, target.ID, email); err != nil {
			return err
		}
		if err := tx.DeleteUserTokens(ctx, portal.ID, target.ID); err != nil {
			return err
		}
		if keep != "" {
			if _, err := tx.DeleteUserSessions(ctx, portal.ID, target.ID, keep); err != nil {
				return err
			}
		}
		if err := tx.ClearAttempts(ctx, portal.ID, identKey(old)); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: target.ID, ActorID: actor.ID, Type: EventEmailChanged, IP: ip, CreatedAt: now}, Notes{noteText(old + " → " + email)}); err != nil {
			return err
		}
		for _, to := range []string{old, email} {
			if err := a.notify(ctx, tx, now, portal, target, to, func(notMe string) Mail {
				return emailChangedEmail(portal, target, to, old, email, notMe)
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrConflict) {
		return Invalid("email", "errors.email.taken")
	}
	target.Email = email
	return err
}

// ChangeRole moves a user to another role. The actor must cover both the user's current
// role and the new one, and the last person able to manage roles keeps that power.
func (a *AdminService) ChangeRole(ctx context.Context, actor, target *User, roleName, ip string) error {
	if err := guard(actor, target, PermCreateProfile); err != nil {
		return err
	}
	role, err := a.store.RoleByName(ctx, target.PortalID, roleName)
	if errors.Is(err, ErrNotFound) {
		return Invalid("role", "errors.role.choose")
	}
	if err != nil {
		return err
	}
	if !covers(actor.Role, role) {
		return &ForbiddenError{Permission: PermCreateProfile, Rule: ForbidRoleOutranks, Reason: "errors.forbidden.role_outranks", Args: []any{"Role", role.Name}}
	}
	if role.ID == target.RoleID {
		return nil
	}
	detail := Notes{noteText(target.Role.Name + " → " + role.Name)}
	err = a.keepRoleManager(ctx, target.PortalID, func(tx Store) error {
		if err := tx.UpdateUserRole(ctx, target.PortalID, target.ID, role.ID); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEvent{PortalID: target.PortalID, UserID: target.ID, ActorID: actor.ID, Type: EventRoleAssigned, IP: ip, CreatedAt: a.clock.Now()}, detail)
	})
	if err == nil {
		target.RoleID, target.Role = role.ID, role
	}
	return err
}

// SetDisabled disables or enables an account; disabling signs it out everywhere.
func (a *AdminService) SetDisabled(ctx context.Context, actor, target *User, disabled bool, ip string) error {
	if err := guard(actor, target, PermCreateProfile); err != nil {
		return err
	}
	if actor.ID == target.ID {
		return &ForbiddenError{Permission: PermCreateProfile, Rule: ForbidOwnAccount, Reason: "errors.forbidden.disable_self"}
	}
	typ := EventEnabled
	if disabled {
		typ = EventDisabled
	}
	return a.keepRoleManager(ctx, target.PortalID, func(tx Store) error {
		if err := tx.SetDisabled(ctx, target.PortalID, target.ID, disabled); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.DeleteUserSessions(ctx, target.PortalID, target.ID, ""); err != nil {
				return err
			}
		}
		return audit(ctx, tx, AuditEvent{PortalID: target.PortalID, UserID: target.ID, ActorID: actor.ID, Type: typ, IP: ip, CreatedAt: a.clock.Now()}, Notes{note("audit.by", "Name", actor.DisplayName)})
	})
}

// keepRoleManager runs change in one transaction that holds the portal's administration
// lock, and undoes it when afterwards no enabled person could manage roles. Two
// administrators demoting or disabling each other at once are thus serialised: the
// second sees the first's change and is refused.
func (e *env) keepRoleManager(ctx context.Context, portalID int64, change func(tx Store) error) error {
	return e.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockPortal(ctx, portalID); err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return err
		}
		n, err := tx.CountUsersWithPermission(ctx, portalID, PermManageRoles, 0)
		if err != nil {
			return err
		}
		if n == 0 {
			return &ForbiddenError{Permission: PermManageRoles, Rule: ForbidLastRoleManager, Reason: "errors.forbidden.last_role_manager"}
		}
		return nil
	})
}
