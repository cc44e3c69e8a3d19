package pages

import (
	"context"
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

// minutesUntil is the whole minutes from now to t, rounded up, at least 1.
func minutesUntil(t, now time.Time) int {
	m := int((t.Sub(now) + time.Minute - 1) / time.Minute)
	return max(m, 1)
}
