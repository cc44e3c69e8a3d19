package migrations

import (
	"context"

	"time"

	"github.com/uptrace/bun"
)

// v2SupportSession is frozen as of this migration (see v1Portal).
type v2SupportSession struct {
	bun.BaseModel `bun:"table:support_sessions"`
	ID            string    `bun:",pk"`
	SupportUserID int64     `bun:",notnull"`
	CreatedAt     time.Time `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`
}

// Support sessions live apart from portal sessions: support staff belong to no portal.
func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTable(ctx, tx, table{model: (*v2SupportSession)(nil),
				fks: []string{`("support_user_id") REFERENCES "support_users" ("id") ON DELETE CASCADE`}})
		})
	}, nil)
}
