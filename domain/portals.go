package domain

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// PortalService creates portals and the accounts in them.
type PortalService struct {
	*env
	cache   sync.Map // code -> cachedPortal
	twoStep *TwoStepService
}

// portalCacheTTL bounds how stale a portal's settings may be on another app instance.
// Every page looks its portal up; a policy change is seen by other instances after at
// most this long (and at once on the instance that made it).
const portalCacheTTL = 2 * time.Second

type cachedPortal struct {
	p  Portal
	at time.Time
}

var portalCodeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,30}$`)

// ValidPortalCode reports whether s can be a portal code (it is part of every URL, so it
// may not be the first segment of a route outside portals: ReservedCode).
func ValidPortalCode(s string) bool { return portalCodeRe.MatchString(s) && !ReservedCode(s) }

// ByCode finds a portal by its code, folding case. Each caller gets its own copy.
func (s *PortalService) ByCode(ctx context.Context, code string) (*Portal, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	if !ValidPortalCode(code) {
		return nil, ErrNotFound
	}
	now := time.Now()
	if c, ok := s.cache.Load(code); ok && now.Sub(c.(cachedPortal).at) < portalCacheTTL {
		p := c.(cachedPortal).p
		return &p, nil
	}
	p, err := s.store.PortalByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	s.cache.Store(code, cachedPortal{p: *p, at: now})
	return p, nil
}

// forget drops a portal from the cache after its settings changed here.
// ByID loads a portal by id (a session or token names its portal by id).
func (s *PortalService) ByID(ctx context.Context, id int64) (*Portal, error) {
	return s.store.PortalByID(ctx, id)
}

func (s *PortalService) forget(code string) { s.cache.Delete(code) }

// Create makes a portal with the default policy and roles; adminContact, when given, is
// who the help assistant and error pages send people to.
func (s *PortalService) Create(ctx context.Context, tx Store, code, name, adminContact string) (*Portal, error) {
	if !ValidPortalCode(code) {
		return nil, Invalid("code", "errors.portal.code", "Min", 2, "Max", 31)
	}
	p := &Portal{Code: code, Name: name, Policy: DefaultPolicy(), CreatedAt: s.clock.Now()}
	if adminContact != "" {
		p.Policy.AdminContact = adminContact
	}
	if err := tx.CreatePortal(ctx, p); err != nil {
		return nil, err
	}
	for _, r := range DefaultRoles() {
		r.PortalID = p.ID
		if err := tx.CreateRole(ctx, &r); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// NewUser describes an account to create.
type NewUser struct {
	Username, Email, DisplayName, Role, Password string
}

// CreateUser adds an account with a ready password (demo data and the CLI).
func (s *PortalService) CreateUser(ctx context.Context, tx Store, p *Portal, nu NewUser) (*User, error) {
	role, err := tx.RoleByName(ctx, p.ID, nu.Role)
	if err != nil {
		return nil, fmt.Errorf("role %q: %w", nu.Role, err)
	}
	hash, err := s.hasher.Hash(ctx, nu.Password)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &User{
		PortalID: p.ID, Username: NormalizeIdentifier(nu.Username), Email: NormalizeIdentifier(nu.Email),
		DisplayName: nu.DisplayName, RoleID: role.ID, PasswordHash: hash, PasswordChangedAt: now, CreatedAt: now,
	}
	if err := tx.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	u.Role = role
	return u, nil
}

// CreateWithAdmin makes a portal with default roles and policy and its first
// administrator, who sets a password through the returned one-time link (also e-mailed).
func (s *PortalService) CreateWithAdmin(ctx context.Context, reset *ResetService, code, name, adminEmail string) (string, error) {
	email, msg := ValidEmail(adminEmail)
	if msg != "" {
		return "", Invalid("admin_email", msg)
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Invalid("name", "errors.portal.name")
	case HasControl(name):
		return "", Invalid("name", "security.portal.name_control")
	}
	var p *Portal
	var admin *User
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if p, err = s.Create(ctx, tx, strings.ToLower(code), name, ""); err != nil {
			return err
		}
		role, err := tx.RoleByName(ctx, p.ID, RoleAdministrator)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		admin = &User{PortalID: p.ID, Username: strings.SplitN(email, "@", 2)[0], Email: email, DisplayName: "Administrator",
			RoleID: role.ID, PasswordChangedAt: now, CreatedAt: now, Role: role}
		return tx.CreateUser(ctx, admin)
	})
	if errors.Is(err, ErrConflict) {
		return "", Invalid("code", "errors.portal.taken")
	}
	if err != nil {
		return "", err
	}
	return reset.issue(ctx, p, admin, TokenSetup, 0, "")
}

// DemoPassword is the password of every demo account.
const DemoPassword = "watchpost-demo-2026"

type demoPortal struct {
	code, name string
	users      []NewUser
}

var demoPortals = []demoPortal{
	{"acme", "Acme Security", []NewUser{
		{"ada.admin", "ada@acme.test", "Ada Admin", RoleAdministrator, DemoPassword},
		{"max.manager", "max@acme.test", "Max Manager", RoleManager, DemoPassword},
		{"amy.accounts", "amy@acme.test", "Amy Accounts", RoleAccountManager, DemoPassword},
		{"eve.employee", "eve@acme.test", "Eve Employee", RoleEmployee, DemoPassword},
		{"ed.mobile", "ed@acme.test", "Ed Mobile", RoleEmployee, DemoPassword},
	}},
	{"globex", "Globex Guarding", []NewUser{
		{"gus.admin", "gus@globex.test", "Gus Admin", RoleAdministrator, DemoPassword},
		{"gail.guard", "gail@globex.test", "Gail Guard", RoleEmployee, DemoPassword},
	}},
}

// SeedDemo creates the demo portals, accounts and support user unless they exist. It
// reports whether it created anything.
func (s *PortalService) SeedDemo(ctx context.Context) (bool, error) {
	if _, err := s.store.PortalByCode(ctx, "acme"); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		for _, dp := range demoPortals {
			admin := dp.users[0]
			p, err := s.Create(ctx, tx, dp.code, dp.name, admin.DisplayName+" ("+admin.Email+")")
			if err != nil {
				return err
			}
			// The demo's screens open without an authenticator (README: how to require it).
			p.Policy.TwoStepRoles = ""
			if err := tx.UpdatePolicy(ctx, p.ID, p.Policy); err != nil {
				return err
			}
			for _, nu := range dp.users {
				if _, err := s.CreateUser(ctx, tx, p, nu); err != nil {
					return err
				}
			}
		}
		hash, err := s.hasher.Hash(ctx, DemoPassword)
		if err != nil {
			return err
		}
		sam := &SupportUser{Username: "sam.support", Email: "sam@watchpost.test", DisplayName: "Sam Support", PasswordHash: hash, CreatedAt: s.clock.Now()}
		if err := tx.CreateSupportUser(ctx, sam); err != nil {
			return err
		}
		return s.twoStep.enrolFixed(ctx, tx, supportPortalID, sam.ID, DemoSupportTwoStepSecret)
	})
	return err == nil, err
}

// DemoAccounts lists the demo sign-ins for the start-up banner and the README.
func DemoAccounts() []string {
	var out []string
	for _, dp := range demoPortals {
		for _, u := range dp.users {
			out = append(out, fmt.Sprintf("%-7s %-13s %s", dp.code, u.Username, u.Role))
		}
	}
	return out
}
