package pages

import (
	"slices"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// EmployeesVM is the employee list.
type EmployeesVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Filter domain.EmployeeFilter
	Roles  []domain.Role // for the role filter
	Page   *domain.EmployeePage
	Now    time.Time
	Notice string
}

// NewEmployeeVM is the create-profile form.
type NewEmployeeVM struct {
	Portal    *domain.Portal
	Actor     *domain.User
	Form      Form
	Roles     []domain.Role
	MinLength int
	TempHours int
}

// TemporaryVM shows a temporary password once.
type TemporaryVM struct {
	Portal   *domain.Portal
	User     *domain.User
	Password string
	Forced   bool
	Hours    int
}

// Title names what was set: a temporary password only while Force Password Change is on.
func (vm TemporaryVM) Title() string {
	if vm.Forced {
		return "admin.temporary.title"
	}
	return "admin.temporary.title_set"
}

// EmployeeVM is one profile with its Security/Account section.
type EmployeeVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Row    *domain.EmployeeRow
	Events []domain.AuditEvent
	Roles  []domain.Role
	Form   Form
	Notice string
	Now    time.Time
	// TwoStep is the person's two-step verification status.
	TwoStep domain.TwoStepStatus
	// Passkeys counts the person's passkeys.
	Passkeys int
	// Recovery offers the recovery pass first, to those who handle help requests (nil:
	// not for this actor); it holds the person's open help request, if any.
	Recovery *RecoveryOfferVM
}

// Can tells whether the actor's role has p (the page hides what it lacks; the server refuses anyway).
func (vm EmployeeVM) Can(p domain.Permission) bool { return vm.Actor.Role.Has(p) }

// CanAct tells whether the Security and account section has any action for the actor.
func (vm EmployeeVM) CanAct() bool {
	return vm.Can(domain.PermResetPassword) || vm.Can(domain.PermChangeEmail) ||
		(vm.Can(domain.PermUnlock) && vm.Row.LockedUntil.After(vm.Now)) ||
		(vm.Can(domain.PermCreateProfile) && vm.Actor.ID != vm.Row.User.ID)
}

// RolesVM is the roles x permissions matrix.
type RolesVM struct {
	Portal  *domain.Portal
	Actor   *domain.User
	Roles   []domain.Role
	CSRF    string
	Notice  string
	Problem string
	// Pending holds the ticks of a save that was refused, so they are shown again
	// instead of the saved state.
	Pending map[int64][]domain.Permission
}

// Ticked tells whether role r's box for p is ticked on the page.
func (vm RolesVM) Ticked(r domain.Role, p domain.Permission) bool {
	if perms, ok := vm.Pending[r.ID]; ok {
		return slices.Contains(perms, p)
	}
	return r.Has(p)
}

// PolicyVM is the policy form.
type PolicyVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Policy domain.Policy
	Form   Form
	Notice string
	Roles  []domain.Role // for the roles that must use two-step verification
}

// AuditVM is the audit log with its filters.
type AuditVM struct {
	Portal  *domain.Portal
	Actor   *domain.User
	Log     *domain.AuditLog
	Page    int // from 1
	Query   domain.AuditQuery
	Problem string
	Failed  []domain.OutboxMessage // e-mail that could not be delivered
}

// Pages is how many pages the filtered log has (at least one).
func (vm AuditVM) Pages() int {
	return max((vm.Log.Total+domain.AuditPageSize-1)/domain.AuditPageSize, 1)
}

// Shown is the position of the first and last event on this page (0, 0 for none).
func (vm AuditVM) Shown() (int, int) {
	if len(vm.Log.Events) == 0 {
		return 0, 0
	}
	return vm.Log.Offset + 1, vm.Log.Offset + len(vm.Log.Events)
}
