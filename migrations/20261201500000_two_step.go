package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Two-step verification: enrolments, recovery codes and the challenges between a
// correct password and the second step; the portal policy's roles that must use it; and
// the "Reset two-step verification" permission for Administrators and Managers.
// Existing portals keep two-step optional (their administrators turn it on in the
// policy); new portals get Administrator and Manager from the domain's defaults.
//
// The models are frozen copies of the domain's structs as they were on 2026-12-01.
type (
	v5TwoStep struct {
		bun.BaseModel `bun:"table:two_steps"`
		PortalID      int64     `bun:",pk"`
		UserID        int64     `bun:",pk"`
		Secret        string    `bun:",notnull"`
		ConfirmedAt   time.Time `bun:",nullzero"`
		LastStep      int64     `bun:",notnull"`
		PendingSecret string    `bun:",notnull"`
		PendingAt     time.Time `bun:",nullzero"`
	}
	v5RecoveryCode struct {
		bun.BaseModel `bun:"table:recovery_codes"`
		PortalID      int64     `bun:",pk"`
		UserID        int64     `bun:",pk"`
		Hash          string    `bun:",pk"`
		CreatedAt     time.Time `bun:",notnull"`
		UsedAt        time.Time `bun:",nullzero"`
	}
	v5TwoStepChallenge struct {
		bun.BaseModel     `bun:"table:two_step_challenges"`
		ID                string    `bun:",pk"`
		PortalID          int64     `bun:",notnull"`
		UserID            int64     `bun:",notnull"`
		Ident             string    `bun:",notnull"`
		Kind              string    `bun:",notnull"`
		Purpose           string    `bun:",notnull"`
		Device            string    `bun:",notnull"`
		IP                string    `bun:",notnull"`
		PasswordChangedAt time.Time `bun:",notnull"`
		CreatedAt         time.Time `bun:",notnull"`
		ExpiresAt         time.Time `bun:",notnull"`
	}
)

func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, t := range []table{
				{model: (*v5TwoStep)(nil)},
				{model: (*v5RecoveryCode)(nil)},
				{model: (*v5TwoStepChallenge)(nil), indexes: [][]string{{"portal_id", "user_id"}, {"expires_at"}}},
			} {
				if err := createTable(ctx, tx, t); err != nil {
					return err
				}
			}
			for _, q := range []string{
				`ALTER TABLE portals ADD COLUMN policy_two_step_roles VARCHAR NOT NULL DEFAULT ''`,
				`UPDATE roles SET permissions = TRIM(permissions || ' reset_two_step') WHERE name IN ('Administrator', 'Manager')`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
