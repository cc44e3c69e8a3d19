package domain

import (
	"slices"
	"strings"
	"time"
)

// EmployeeStatus is one status the employee list can be narrowed to; each matches the
// badge of the same name.
type EmployeeStatus string

// The statuses of the employee list's filter.
const (
	StatusAny         EmployeeStatus = ""
	StatusLocked      EmployeeStatus = "locked"
	StatusMustChange  EmployeeStatus = "must_change"
	StatusTempExpired EmployeeStatus = "temp_expired"
	StatusDisabled    EmployeeStatus = "disabled"
	StatusInvited     EmployeeStatus = "invited"
)

// EmployeeStatuses lists the filterable statuses in display order.
var EmployeeStatuses = []EmployeeStatus{StatusLocked, StatusMustChange, StatusTempExpired, StatusDisabled, StatusInvited}

// ParseEmployeeStatus reads a status from a query string; anything unknown is StatusAny.
func ParseEmployeeStatus(s string) EmployeeStatus {
	if st := EmployeeStatus(s); slices.Contains(EmployeeStatuses, st) {
		return st
	}
	return StatusAny
}

// EmployeeFilter narrows the employee list.
type EmployeeFilter struct {
	Query  string // part of the name, username or e-mail
	Status EmployeeStatus
	RoleID int64 // 0: every role
}

// Active reports whether anything narrows the list.
func (f EmployeeFilter) Active() bool { return f.Query != "" || f.Status != StatusAny || f.RoleID != 0 }

// UserFilter is an EmployeeFilter as the store runs it: the query folded, and the moment
// that decides what is locked or expired.
type UserFilter struct {
	EmployeeFilter
	Now time.Time
}

func (f EmployeeFilter) forStore(now time.Time) UserFilter {
	f.Query = strings.ToLower(strings.TrimSpace(f.Query))
	return UserFilter{EmployeeFilter: f, Now: now}
}
