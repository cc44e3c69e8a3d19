package pages

import (
	"context"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// StatusLabel names an employee status as its badge does.
func StatusLabel(ctx context.Context, st domain.EmployeeStatus) string {
	return i18n.T(ctx, "screens.status."+string(st))
}
