package migrations

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// The employee list pages through a portal's people by name.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewCreateIndex().Model((*domain.User)(nil)).Index("users_portal_id_display_name_idx").
			Column("portal_id", "display_name", "id").Exec(ctx)
		return err
	}, nil)
}
