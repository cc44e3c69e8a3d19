package migrations

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// Support sessions live apart from portal sessions: support staff belong to no portal.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTable(ctx, tx, table{model: (*domain.SupportSession)(nil),
				fks: []string{`("support_user_id") REFERENCES "support_users" ("id") ON DELETE CASCADE`}})
		})
	}, nil)
}
