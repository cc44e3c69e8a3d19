package pages

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// minutesText is "15 minutes" in the page's language.
func minutesText(ctx context.Context, n int) string { return i18n.T(ctx, "minutes", "Count", n) }

// clockTime is a time of day in the portal's zone, with the zone named ("14:35 CET").
func clockTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format("15:04 MST")
}
