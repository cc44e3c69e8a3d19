package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Session and app-token lifetimes become portal policy settings, with ASVS 4.0.3 3.3.2
// level 2 defaults for browser sessions (30 minutes unused, 12 hours at most); app
// tokens keep 14 days unused and 90 days at most. Each session keeps the idle limit it
// began under; those already open keep the ones they had (2 hours, 14 days).
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, q := range []string{
				`ALTER TABLE portals ADD COLUMN policy_session_idle_minutes INTEGER NOT NULL DEFAULT 30`,
				`ALTER TABLE portals ADD COLUMN policy_session_hours INTEGER NOT NULL DEFAULT 12`,
				`ALTER TABLE portals ADD COLUMN policy_app_idle_days INTEGER NOT NULL DEFAULT 14`,
				`ALTER TABLE portals ADD COLUMN policy_app_days INTEGER NOT NULL DEFAULT 90`,
				`ALTER TABLE sessions ADD COLUMN idle_seconds BIGINT NOT NULL DEFAULT 0`,
				`UPDATE sessions SET idle_seconds = 7200 WHERE kind = 'web'`,
				`UPDATE sessions SET idle_seconds = 1209600 WHERE kind = 'mobile'`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
