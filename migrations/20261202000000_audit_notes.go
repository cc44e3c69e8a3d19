package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Audit notes: an event's detail is also kept as catalogue messages with their values
// (JSON), so the audit screens show it in the reader's language. Older events keep
// their English text and show it.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, `ALTER TABLE audit_events ADD COLUMN notes VARCHAR NOT NULL DEFAULT ''`)
		return err
	}, nil)
}
