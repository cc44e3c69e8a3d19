package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The employee list pages through a portal's people by name.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.NewCreateIndex().Model((*v1User)(nil)).Index("users_portal_id_display_name_idx").
			Column("portal_id", "display_name", "id").Exec(ctx)
		return err
	}, nil)
}
