package pages

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// minutesText is "15 minutes" in the page's language.
func minutesText(ctx context.Context, n int) string { return i18n.T(ctx, "minutes", "Count", n) }

// permissionName is a permission as people read it ("Reset passwords").
func permissionName(ctx context.Context, p domain.Permission) string {
	return i18n.T(ctx, "screens.perm."+string(p))
}

// auditDetail is an audit event's detail for people, in the reader's language: a role
// change names its permissions ("Manager: View employees, Reset passwords → View
// employees"), not their stored codes.
func auditDetail(ctx context.Context, e domain.AuditEvent) string {
	if e.Type != domain.EventRoleChanged {
		return e.DetailIn(i18n.FromContext(ctx))
	}
	role, change, ok := strings.Cut(e.Detail, ": ")
	if !ok {
		return e.Detail
	}
	sides := strings.Split(change, " → ")
	for i, side := range sides {
		var names []string
		for _, f := range strings.Fields(side) {
			if slices.Contains(domain.AllPermissions, domain.Permission(f)) {
				names = append(names, permissionName(ctx, domain.Permission(f)))
			}
		}
		if len(names) == 0 {
			sides[i] = i18n.T(ctx, "screens.perm.none")
		} else {
			sides[i] = strings.Join(names, ", ")
		}
	}
	return role + ": " + strings.Join(sides, " → ")
}

// minutesUntil is the whole minutes from now to t, rounded up, at least 1.
func minutesUntil(t, now time.Time) int {
	m := int((t.Sub(now) + time.Minute - 1) / time.Minute)
	return max(m, 1)
}
