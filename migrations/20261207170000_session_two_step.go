package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Sessions record whether they passed a second step, so that a role's new two-step
// requirement reaches sessions and app tokens made before it. Existing sessions of
// people who use two-step passed one (the password alone made no session for them).
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, q := range []string{
				`ALTER TABLE sessions ADD COLUMN two_step BOOLEAN NOT NULL DEFAULT FALSE`,
				`UPDATE sessions SET two_step = TRUE WHERE EXISTS (SELECT 1 FROM two_steps t
					WHERE t.portal_id = sessions.portal_id AND t.user_id = sessions.user_id AND t.secret <> '')`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
