package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Languages and local time: a portal's default language and time zone (policy
// settings), and each person's saved language ("" = not chosen).
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		for _, q := range []string{
			`ALTER TABLE portals ADD COLUMN policy_language VARCHAR(16) NOT NULL DEFAULT 'en'`,
			`ALTER TABLE portals ADD COLUMN policy_time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC'`,
			`ALTER TABLE users ADD COLUMN language VARCHAR(16) NOT NULL DEFAULT ''`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
