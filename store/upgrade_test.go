package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/migrations"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestUpgradeFromFirstMigrationKeepsData builds a database with only migration 1, fills
// every table with rows in the shape that migration created, migrates to the latest and
// reads the rows back through today's models: nothing is lost, and every later column
// has a value the models accept.
func TestUpgradeFromFirstMigrationKeepsData(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(b.URL(t))
			require.NoError(t, err)
			defer db.Close()

			first := migrate.NewMigrations()
			first.Add(migrations.Migrations.Sorted()[0])
			m := migrate.NewMigrator(db, first)
			require.NoError(t, m.Init(ctx))
			_, err = m.Migrate(ctx)
			require.NoError(t, err)

			now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
			counts := insertV1Rows(t, db, now)

			require.NoError(t, store.Migrate(ctx, db))

			for table, n := range counts {
				var got int
				require.NoError(t, db.NewRaw("SELECT COUNT(*) FROM ?", bun.Ident(table)).Scan(ctx, &got))
				assert.Equalf(t, n, got, "rows in %s", table)
			}
			s := store.New(db)
			p, err := s.PortalByCode(ctx, "acme")
			require.NoError(t, err)
			assert.Equal(t, "Acme", p.Name)
			assert.Equal(t, 7, p.Policy.MaxFailedAttempts)
			u, err := s.UserByID(ctx, p.ID, 1)
			require.NoError(t, err)
			assert.Equal(t, "ada", u.Username)
			assert.Equal(t, "ada@acme.test", u.Email)
			assert.Equal(t, "argon2id$old", u.PasswordHash)
			assert.True(t, u.MustChangePassword)
			assert.True(t, u.PasswordChangedAt.Equal(now))
			for _, m := range store.Models {
				_, err := db.NewSelect().Model(m).Count(ctx)
				require.NoErrorf(t, err, "read %T with today's model", m)
			}
			var sessions []domain.Session
			require.NoError(t, db.NewSelect().Model(&sessions).Scan(ctx))
			require.Len(t, sessions, 1)
			assert.Equal(t, "phone", sessions[0].Device)
			var outbox []domain.OutboxMessage
			require.NoError(t, db.NewSelect().Model(&outbox).Scan(ctx))
			require.Len(t, outbox, 1)
			assert.Equal(t, "Reset your password", outbox[0].Subject)
		})
	}
}

// insertV1Rows writes one row into every table of migration 1, in its columns, and
// returns the row count per table.
func insertV1Rows(t *testing.T, db *bun.DB, now time.Time) map[string]int {
	t.Helper()
	ctx := context.Background()
	later := now.Add(time.Hour)
	rows := []struct {
		table string
		sql   string
		args  []any
	}{
		{"portals", `INSERT INTO portals (id, code, name, policy_max_failed_attempts, policy_failure_window_minutes,
			policy_lockout_minutes, policy_history_depth, policy_min_length, policy_reset_link_minutes,
			policy_temp_password_hours, policy_admin_contact, created_at) VALUES (1, 'acme', 'Acme', 7, 15, 15, 5, 12, 60, 72, 'IT', ?)`,
			[]any{now}},
		{"roles", `INSERT INTO roles (id, portal_id, name, permissions) VALUES (1, 1, 'Administrator', 'view_employees reset_password')`, nil},
		{"users", `INSERT INTO users (id, portal_id, username, email, display_name, role_id, password_hash,
			must_change_password, temp_password_expires_at, disabled, password_changed_at, created_at)
			VALUES (1, 1, 'ada', 'ada@acme.test', 'Ada', 1, 'argon2id$old', TRUE, ?, FALSE, ?, ?)`, []any{later, now, now}},
		{"password_histories", `INSERT INTO password_histories (portal_id, user_id, hash, created_at) VALUES (1, 1, 'argon2id$older', ?)`, []any{now}},
		{"sessions", `INSERT INTO sessions (id, portal_id, user_id, kind, device, ip, created_at, last_seen_at, expires_at)
			VALUES ('s1', 1, 1, 'mobile', 'phone', '10.0.0.1', ?, ?, ?)`, []any{now, now, later}},
		{"login_attempts", `INSERT INTO login_attempts (portal_id, ident, failures, window_start, locked_until)
			VALUES (1, 'ada', 3, ?, ?)`, []any{now, later}},
		{"reset_tokens", `INSERT INTO reset_tokens (portal_id, user_id, hash, purpose, created_at, expires_at)
			VALUES (1, 1, 'h1', 'reset', ?, ?)`, []any{now, later}},
		{"outbox_messages", `INSERT INTO outbox_messages (portal_id, to_addr, subject, text_body, html_body, category,
			status, attempts, next_attempt, last_error, created_at) VALUES (1, 'ada@acme.test', 'Reset your password',
			'text', '<p>html</p>', 'reset', 'pending', 0, ?, '', ?)`, []any{now, now}},
		{"audit_events", `INSERT INTO audit_events (portal_id, user_id, type, detail, ip, created_at)
			VALUES (1, 1, 'signin_succeeded', '', '10.0.0.1', ?)`, []any{now}},
		{"support_users", `INSERT INTO support_users (username, email, display_name, password_hash, created_at)
			VALUES ('sam', 'sam@watchpost.test', 'Sam', 'argon2id$s', ?)`, []any{now}},
		{"rate_counters", `INSERT INTO rate_counters (key, window_start, count) VALUES ('ip:10.0.0.1', ?, 2)`, []any{now}},
		{"app_secrets", `INSERT INTO app_secrets (name, value) VALUES ('csrf', 'secret')`, nil},
		{"help_conversations", `INSERT INTO help_conversations (id, portal_id, state, updated_at) VALUES ('c1', 1, '{}', ?)`, []any{now}},
		{"help_feedbacks", `INSERT INTO help_feedbacks (portal_id, topic, helpful, created_at) VALUES (1, 'lockout', TRUE, ?)`, []any{now}},
	}
	counts := map[string]int{}
	for _, r := range rows {
		_, err := db.NewRaw(r.sql, r.args...).Exec(ctx)
		require.NoErrorf(t, err, "insert into %s", r.table)
		counts[r.table]++
	}
	if db.Dialect().Name().String() == "pg" {
		// Rows written with explicit ids leave the sequences behind; move them on, as a
		// real database's would be.
		for _, table := range []string{"portals", "roles", "users"} {
			_, err := db.NewRaw("SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT MAX(id) FROM ?))", table, bun.Ident(table)).Exec(ctx)
			require.NoError(t, err)
		}
	}
	return counts
}
