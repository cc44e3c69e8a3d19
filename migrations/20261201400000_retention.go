package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// v4JobLease is frozen as of this migration (see v1Portal).
type v4JobLease struct {
	bun.BaseModel `bun:"table:job_leases"`
	Name          string    `bun:",pk"`
	Holder        string    `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`
}

// Retention: each portal keeps its audit events for a number of days (default 400); a
// lease row lets one app instance at a time run the purge job; and the purge finds
// expired rows by index.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE portals ADD COLUMN policy_audit_retention_days BIGINT NOT NULL DEFAULT 400`); err != nil {
				return err
			}
			if err := createTable(ctx, tx, table{model: (*v4JobLease)(nil)}); err != nil {
				return err
			}
			for _, stmt := range []string{
				`CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`,
				`CREATE INDEX support_sessions_expires_at_idx ON support_sessions (expires_at)`,
				`CREATE INDEX reset_tokens_expires_at_idx ON reset_tokens (expires_at)`,
				`CREATE INDEX help_conversations_updated_at_idx ON help_conversations (updated_at)`,
				`CREATE INDEX rate_counters_window_start_idx ON rate_counters (window_start)`,
			} {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
