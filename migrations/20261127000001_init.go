package migrations

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// table is one model with the foreign keys and indexes it needs.
type table struct {
	model   any
	fks     []string // foreign key clauses
	indexes [][]string
}

var initTables = []table{
	{model: (*v1Portal)(nil)},
	{model: (*v1Role)(nil), fks: []string{`("portal_id") REFERENCES "portals" ("id") ON DELETE CASCADE`}},
	{model: (*v1User)(nil), fks: []string{
		`("portal_id") REFERENCES "portals" ("id") ON DELETE CASCADE`,
		`("role_id") REFERENCES "roles" ("id")`,
	}, indexes: [][]string{{"role_id"}}},
	{model: (*v1PasswordHistory)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id", "created_at"}}},
	{model: (*v1Session)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id"}}},
	{model: (*v1LoginAttempt)(nil)},
	{model: (*v1ResetToken)(nil), fks: []string{`("user_id") REFERENCES "users" ("id") ON DELETE CASCADE`},
		indexes: [][]string{{"portal_id", "user_id"}}},
	{model: (*v1OutboxMessage)(nil), indexes: [][]string{{"status", "next_attempt"}}},
	{model: (*v1AuditEvent)(nil), indexes: [][]string{{"portal_id", "created_at"}, {"portal_id", "user_id"}}},
	{model: (*v1SupportUser)(nil)},
	{model: (*v1RateCounter)(nil)},
	{model: (*v1AppSecret)(nil)},
	{model: (*v1HelpConversation)(nil)},
	{model: (*v1HelpFeedback)(nil), indexes: [][]string{{"portal_id", "topic"}}},
}

// The models below are frozen copies of the domain's structs as they were when this
// migration was written (2026-11-27). They must never change: editing a domain struct
// later must not change what migration 1 creates. Later changes are new migrations.
type (
	v1Portal struct {
		bun.BaseModel `bun:"table:portals"`
		ID            int64     `bun:",pk,autoincrement"`
		Code          string    `bun:",unique,notnull"`
		Name          string    `bun:",notnull"`
		Policy        v1Policy  `bun:"embed:policy_"`
		CreatedAt     time.Time `bun:",notnull"`
	}
	v1Policy struct {
		MaxFailedAttempts    int    `bun:",notnull"`
		FailureWindowMinutes int    `bun:",notnull"`
		LockoutMinutes       int    `bun:",notnull"`
		HistoryDepth         int    `bun:",notnull"`
		MinLength            int    `bun:",notnull"`
		ResetLinkMinutes     int    `bun:",notnull"`
		TempPasswordHours    int    `bun:",notnull"`
		AdminContact         string `bun:",notnull"`
	}
	v1Role struct {
		bun.BaseModel `bun:"table:roles"`
		ID            int64  `bun:",pk,autoincrement"`
		PortalID      int64  `bun:",notnull,unique:role_portal_name"`
		Name          string `bun:",notnull,unique:role_portal_name"`
		Permissions   string `bun:",notnull"`
	}
	v1User struct {
		bun.BaseModel         `bun:"table:users"`
		ID                    int64     `bun:",pk,autoincrement"`
		PortalID              int64     `bun:",notnull,unique:user_portal_username,unique:user_portal_email"`
		Username              string    `bun:",notnull,unique:user_portal_username"`
		Email                 string    `bun:",notnull,unique:user_portal_email"`
		DisplayName           string    `bun:",notnull"`
		RoleID                int64     `bun:",notnull"`
		PasswordHash          string    `bun:",notnull"`
		MustChangePassword    bool      `bun:",notnull"`
		TempPasswordExpiresAt time.Time `bun:",nullzero"`
		Disabled              bool      `bun:",notnull"`
		PasswordChangedAt     time.Time `bun:",notnull"`
		CreatedAt             time.Time `bun:",notnull"`
	}
	v1PasswordHistory struct {
		bun.BaseModel `bun:"table:password_histories"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull"`
		UserID        int64     `bun:",notnull"`
		Hash          string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
	}
	v1Session struct {
		bun.BaseModel `bun:"table:sessions"`
		ID            string    `bun:",pk"`
		PortalID      int64     `bun:",notnull"`
		UserID        int64     `bun:",notnull"`
		Kind          string    `bun:",notnull"`
		Device        string    `bun:",notnull"`
		IP            string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
		LastSeenAt    time.Time `bun:",notnull"`
		ExpiresAt     time.Time `bun:",notnull"`
	}
	v1LoginAttempt struct {
		bun.BaseModel `bun:"table:login_attempts"`
		PortalID      int64     `bun:",pk"`
		Ident         string    `bun:",pk"`
		Failures      int       `bun:",notnull"`
		WindowStart   time.Time `bun:",notnull"`
		LockedUntil   time.Time `bun:",nullzero"`
		LastLockedAt  time.Time `bun:",nullzero"`
		PrevLockedAt  time.Time `bun:",nullzero"`
	}
	v1ResetToken struct {
		bun.BaseModel `bun:"table:reset_tokens"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull"`
		UserID        int64     `bun:",notnull"`
		Hash          string    `bun:",notnull,unique"`
		Purpose       string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
		ExpiresAt     time.Time `bun:",notnull"`
		UsedAt        time.Time `bun:",nullzero"`
	}
	v1OutboxMessage struct {
		bun.BaseModel `bun:"table:outbox_messages"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull"`
		ToAddr        string    `bun:",notnull"`
		Subject       string    `bun:",notnull"`
		TextBody      string    `bun:",notnull"`
		HTMLBody      string    `bun:",notnull"`
		Category      string    `bun:",notnull"`
		Status        string    `bun:",notnull"`
		Attempts      int       `bun:",notnull"`
		NextAttempt   time.Time `bun:",notnull"`
		LastError     string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
		SentAt        time.Time `bun:",nullzero"`
	}
	v1AuditEvent struct {
		bun.BaseModel `bun:"table:audit_events"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull"`
		UserID        int64     `bun:",nullzero"`
		ActorID       int64     `bun:",nullzero"`
		Type          string    `bun:",notnull"`
		Detail        string    `bun:",notnull"`
		IP            string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
	}
	v1SupportUser struct {
		bun.BaseModel `bun:"table:support_users"`
		ID            int64     `bun:",pk,autoincrement"`
		Username      string    `bun:",notnull,unique"`
		Email         string    `bun:",notnull"`
		DisplayName   string    `bun:",notnull"`
		PasswordHash  string    `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
	}
	v1RateCounter struct {
		bun.BaseModel `bun:"table:rate_counters"`
		Key           string    `bun:",pk"`
		WindowStart   time.Time `bun:",notnull"`
		Count         int       `bun:",notnull"`
	}
	v1AppSecret struct {
		bun.BaseModel `bun:"table:app_secrets"`
		Name          string `bun:",pk"`
		Value         string `bun:",notnull"`
	}
	v1HelpConversation struct {
		bun.BaseModel `bun:"table:help_conversations"`
		ID            string    `bun:",pk"`
		PortalID      int64     `bun:",notnull"`
		State         string    `bun:",notnull"`
		UpdatedAt     time.Time `bun:",notnull"`
	}
	v1HelpFeedback struct {
		bun.BaseModel `bun:"table:help_feedbacks"`
		ID            int64     `bun:",pk,autoincrement"`
		PortalID      int64     `bun:",notnull"`
		Topic         string    `bun:",notnull"`
		Helpful       bool      `bun:",notnull"`
		CreatedAt     time.Time `bun:",notnull"`
	}
)

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
