package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// table is one model with the foreign keys and indexes it needs.
type table struct {
	model   any
	fks     []string // foreign key clauses
	indexes [][]string
}

var initTables = []table{
	{model: (*domain.Portal)(nil)},
	{model: (*domain.Role)(nil), fks: []string{`("portal_id") REFERENCES "portals" ("id") ON DELETE CASCADE`}},
	{model: (*domain.User)(nil), fks: []string{
		`("portal_id") REFERENCES "portals" ("id") ON DELETE CASCADE`,
		`("role_id") REFERENCES "roles" ("id")`,
	}, indexes: [][]string{{"role_id"}}},
	{model: (*domain.PasswordHistory)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id", "created_at"}}},
	{model: (*domain.Session)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id"}}},
	{model: (*domain.LoginAttempt)(nil)},
	{model: (*domain.ResetToken)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id"}}},
	{model: (*domain.OutboxMessage)(nil), indexes: [][]string{{"status", "next_attempt"}}},
	{model: (*domain.AuditEvent)(nil), indexes: [][]string{{"portal_id", "created_at"}, {"portal_id", "user_id"}}},
	{model: (*domain.SupportUser)(nil)},
	{model: (*domain.RateCounter)(nil)},
	{model: (*domain.AppSecret)(nil)},
	{model: (*domain.HelpConversation)(nil)},
	{model: (*domain.HelpFeedback)(nil), indexes: [][]string{{"portal_id", "topic"}}},
}

func init() {
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, t := range initTables {
				if err := createTable(ctx, tx, t); err != nil {
					return err
				}
			}
			return nil
		})
	}, nil)
}

func createTable(ctx context.Context, tx bun.Tx, t table) error {
	q := tx.NewCreateTable().Model(t.model)
	for _, fk := range t.fks {
		q = q.ForeignKey(fk)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("create %T: %w", t.model, err)
	}
	name := tx.Dialect().Tables().Get(tableType(t.model)).Name
	for _, cols := range t.indexes {
		idx := fmt.Sprintf("%s_%s_idx", name, joinCols(cols))
		if _, err := tx.NewCreateIndex().Model(t.model).Index(idx).Column(cols...).Exec(ctx); err != nil {
			return fmt.Errorf("index %s: %w", idx, err)
		}
	}
	return nil
}
