package pages

import (
	"context"
	"net/url"
	"strconv"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// EmployeesURL is the employee list narrowed by f, at page.
func EmployeesURL(portal string, f domain.EmployeeFilter, page int) string {
	v := url.Values{}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	if f.Status != domain.StatusAny {
		v.Set("status", string(f.Status))
	}
	if f.RoleID != 0 {
		v.Set("role", strconv.FormatInt(f.RoleID, 10))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	u := "/" + portal + "/admin/employees"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// StatusLabel names an employee status as its badge does.
func StatusLabel(ctx context.Context, st domain.EmployeeStatus) string {
	return i18n.T(ctx, "screens.status."+string(st))
}
