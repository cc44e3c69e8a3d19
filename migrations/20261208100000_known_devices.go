package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Known devices (issue 24), and the policy switch that lets people of one rank set each
// other's credentials (issue 21, item 14; off: a Manager no longer resets a Manager).
//
// A browser or app install that finished a sign-in gets its
// own allowance of failed attempts, so a stranger guessing a guard's password no longer
// locks the guard's phone. The links in "was this you?" and lockout e-mails ("unlock",
// "this wasn't me") get their own table, apart from reset links: voiding one kind never
// voids the other. Sign-in events keep the device's readable name for the activity page.
//
// The models are frozen copies of the domain's structs as they were on 2026-12-08.
type (
	v13KnownDevice struct {
		bun.BaseModel `bun:"table:known_devices"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull,unique:known_devices_owner_hash"`
		UserID        int64     `bun:",notnull,unique:known_devices_owner_hash"`
		Hash          string    `bun:",notnull,unique:known_devices_owner_hash"`
		Name          string    `bun:",notnull"`
		FirstUsedAt   time.Time `bun:",notnull"`
		LastUsedAt    time.Time `bun:",notnull"`
		LastIP        string    `bun:",notnull"`
	}
	v13NoticeLink struct {
		bun.BaseModel `bun:"table:notice_links"`
		Hash          string    `bun:",pk"`
		PortalID      int64     `bun:",notnull"`
		UserID        int64     `bun:",notnull"`
		Purpose       string    `bun:",notnull"`
		Email         string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
		ExpiresAt     time.Time `bun:",notnull"`
		UsedAt        time.Time `bun:",nullzero"`
	}
)

func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, t := range []table{
				{model: (*v13KnownDevice)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
					indexes: [][]string{{"portal_id", "hash"}, {"last_used_at"}}},
				{model: (*v13NoticeLink)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
					indexes: [][]string{{"portal_id", "user_id"}, {"expires_at"}}},
			} {
				if err := createTable(ctx, tx, t); err != nil {
					return err
				}
			}
			for _, q := range []string{
				`ALTER TABLE audit_events ADD COLUMN device VARCHAR NOT NULL DEFAULT ''`,
				`ALTER TABLE portals ADD COLUMN policy_peer_credentials BOOLEAN NOT NULL DEFAULT FALSE`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
