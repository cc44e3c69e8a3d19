package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Assisted recovery: help requests with their identity checks and recovery passes; the
// policy's request and pass lifetimes and whether "known to me in person" is enough for
// an administrator; and the "Handle help requests" permission for the Administrator and
// Manager roles of existing portals (new portals get it from the domain's defaults).
// A person has at most one open request (a partial unique index).
//
// The model is a frozen copy of the domain's struct as it was on 2026-12-08.
type v13HelpRequest struct {
	bun.BaseModel  `bun:"table:help_requests"`
	ID             int64     `bun:",pk,autoincrement"`
	PortalID       int64     `bun:",notnull"`
	UserID         int64     `bun:",nullzero"`
	Identifier     string    `bun:",notnull"`
	Problem        string    `bun:",notnull"`
	Message        string    `bun:",notnull"`
	Phone          string    `bun:",notnull"`
	Reference      string    `bun:",notnull"`
	CodeHash       string    `bun:",notnull"`
	WaitHash       string    `bun:",notnull,unique"`
	BrowserKey     string    `bun:",notnull"`
	Status         string    `bun:",notnull"`
	WrongChecks    int       `bun:",notnull"`
	Checks         string    `bun:",notnull"`
	CheckNote      string    `bun:",notnull"`
	EmailCodeHash  string    `bun:",notnull"`
	EmailCodeUntil time.Time `bun:",nullzero"`
	ResetTwoStep   bool      `bun:",notnull"`
	NewEmail       string    `bun:",notnull"`
	PassHash       string    `bun:",notnull"`
	PassCodeHash   string    `bun:",notnull"`
	PassSealed     string    `bun:",notnull"`
	PassExpiresAt  time.Time `bun:",nullzero"`
	CreatedAt      time.Time `bun:",notnull"`
	ExpiresAt      time.Time `bun:",notnull"`
	ResolvedAt     time.Time `bun:",nullzero"`
	ResolverID     int64     `bun:",nullzero"`
}

func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			err := createTable(ctx, tx, table{model: (*v13HelpRequest)(nil), fks: []string{`("portal_id") REFERENCES "portals" ("id") ON DELETE CASCADE`},
				indexes: [][]string{{"portal_id", "status", "created_at"}, {"portal_id", "pass_hash"}, {"portal_id", "pass_code_hash"}, {"expires_at"}}})
			if err != nil {
				return err
			}
			for _, q := range []string{
				`CREATE UNIQUE INDEX help_requests_one_open_idx ON help_requests (portal_id, user_id) WHERE status IN ('open', 'verified', 'issued')`,
				`ALTER TABLE portals ADD COLUMN policy_help_request_hours INTEGER NOT NULL DEFAULT 24`,
				`ALTER TABLE portals ADD COLUMN policy_recovery_pass_minutes INTEGER NOT NULL DEFAULT 15`,
				`ALTER TABLE portals ADD COLUMN policy_help_in_person_for_admins BOOLEAN NOT NULL DEFAULT false`,
				`UPDATE roles SET permissions = TRIM(permissions || ' handle_help')
					WHERE name IN ('Administrator', 'Manager') AND (' ' || permissions || ' ') NOT LIKE '% handle_help %'`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
