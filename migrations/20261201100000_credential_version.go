package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A credential version on each user, copied into every session when it is made: a
// password change, reset, "sign out everywhere" or disabling bumps the user's version,
// so a session made by a sign-in that was still checking the old password is dead on
// arrival. Support sessions gain a last-seen time for their idle limit.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		ts := "TIMESTAMP"
		if db.Dialect().Name().String() == "pg" {
			ts = "TIMESTAMPTZ"
		}
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, q := range []string{
				`ALTER TABLE users ADD COLUMN credential_version BIGINT NOT NULL DEFAULT 0`,
				`ALTER TABLE sessions ADD COLUMN credential_version BIGINT NOT NULL DEFAULT 0`,
				`ALTER TABLE support_sessions ADD COLUMN last_seen_at ` + ts,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
