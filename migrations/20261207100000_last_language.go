package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The language each person last used here ("" = not known yet): e-mail is written in it
// when they saved no preference.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, `ALTER TABLE users ADD COLUMN last_language VARCHAR(16) NOT NULL DEFAULT ''`)
		return err
	}, nil)
}
