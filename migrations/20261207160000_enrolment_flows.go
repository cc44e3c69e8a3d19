package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Enrolment flows: the secret shown to set up an authenticator belongs to the flow that
// showed it (a sign-in challenge, or one opening of the account page bound to its
// session), no longer to the person. The person-wide pending secret goes, and with it
// any secret shown under the old rule.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, q := range []string{
				`ALTER TABLE two_step_challenges ADD COLUMN secret VARCHAR NOT NULL DEFAULT ''`,
				`ALTER TABLE two_step_challenges ADD COLUMN session_id VARCHAR NOT NULL DEFAULT ''`,
				`CREATE INDEX two_step_challenges_session_id_idx ON two_step_challenges (portal_id, session_id)`,
				`DELETE FROM two_step_challenges WHERE purpose = 'enrol'`,
				`ALTER TABLE two_steps DROP COLUMN pending_secret`,
				`ALTER TABLE two_steps DROP COLUMN pending_at`,
				`DELETE FROM two_steps WHERE secret = ''`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
