package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Passkeys: the registered credentials, the server half of each WebAuthn ceremony
// (single-use, expiring), and the portal policy's switch for passkeys (on by default)
// with the roles for which a passkey counts as the required second step (none by default).
//
// The models are frozen copies of the domain's structs as they were on 2026-12-08.
type (
	v12Passkey struct {
		bun.BaseModel  `bun:"table:passkeys"`
		ID             int64     `bun:",pk,autoincrement"`
		PortalID       int64     `bun:",notnull,unique:passkey_portal_credential"`
		UserID         int64     `bun:",notnull"`
		CredentialID   string    `bun:",notnull,unique:passkey_portal_credential"`
		PublicKey      []byte    `bun:",notnull"`
		AAGUID         []byte    `bun:"aaguid,notnull"`
		SignCount      int64     `bun:",notnull"`
		CloneWarning   bool      `bun:",notnull"`
		BackupEligible bool      `bun:",notnull"`
		BackupState    bool      `bun:",notnull"`
		Transports     string    `bun:",notnull"`
		Name           string    `bun:",notnull"`
		CreatedAt      time.Time `bun:",notnull"`
		LastUsedAt     time.Time `bun:",nullzero"`
	}
	v12PasskeyCeremony struct {
		bun.BaseModel `bun:"table:passkey_ceremonies"`
		ID            string    `bun:",pk"`
		PortalID      int64     `bun:",notnull"`
		Purpose       string    `bun:",notnull"`
		UserID        int64     `bun:",notnull"`
		SessionID     string    `bun:",notnull"`
		Name          string    `bun:",notnull"`
		Data          string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
		ExpiresAt     time.Time `bun:",notnull"`
	}
)

func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, t := range []table{
				{model: (*v12Passkey)(nil), indexes: [][]string{{"portal_id", "user_id"}}},
				{model: (*v12PasskeyCeremony)(nil), indexes: [][]string{{"expires_at"}}},
			} {
				if err := createTable(ctx, tx, t); err != nil {
					return err
				}
			}
			for _, q := range []string{
				`ALTER TABLE portals ADD COLUMN policy_passkeys_off BOOLEAN NOT NULL DEFAULT FALSE`,
				`ALTER TABLE portals ADD COLUMN policy_passkey_roles VARCHAR NOT NULL DEFAULT ''`,
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}
