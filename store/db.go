// Package store keeps Watchpost's data with bun, on embedded SQLite or on PostgreSQL,
// through one code path.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"
	_ "modernc.org/sqlite" // the embedded database driver

	"github.com/watchpost/watchpost/migrations"
)

// Open connects to the database named by url: a postgres:// URL, or a file path (or
// sqlite:// URL) for embedded SQLite, whose folder is created if missing.
func Open(url string) (*bun.DB, error) {
	if IsPostgres(url) {
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url)))
		sqldb.SetMaxOpenConns(32)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	}
	path := strings.TrimPrefix(url, "sqlite://")
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	// WAL lets readers work beside a writer; the busy timeout makes writers queue instead
	// of failing; immediate transactions take the write lock up front, so a transaction
	// never fails half-way when it tries to upgrade a read lock.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(8)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres tells whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// migrationLockKey is the PostgreSQL advisory lock that serialises migrations.
const migrationLockKey = 7_204_331_190

// Migrate applies pending migrations under a lock, so instances that start together
// apply each migration once: a PostgreSQL advisory lock, or on SQLite bun's lock row,
// waited for.
func Migrate(ctx context.Context, db *bun.DB) error {
	m := migrate.NewMigrator(db, migrations.Migrations)
	if db.Dialect().Name().String() != "pg" {
		return migrateWithLockRow(ctx, m)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey) //nolint:errcheck
	return migrateLocked(ctx, m)
}

// migrateWithLockRow takes bun's migration lock, waiting up to a minute for another
// process that holds it. SQLite answers SQLITE_BUSY at once, without waiting its busy
// timeout, to processes opening a new file while another turns on its write-ahead log:
// creating the migrations' tables is tried again meanwhile.
func migrateWithLockRow(ctx context.Context, m *migrate.Migrator) error {
	deadline := time.Now().Add(time.Minute)
	for {
		err := m.Init(ctx)
		if err == nil {
			break
		}
		if !isBusy(err) || time.Now().After(deadline) {
			return fmt.Errorf("init migrations: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	for m.Lock(ctx) != nil {
		if time.Now().After(deadline) {
			return fmt.Errorf("another process has been migrating this database for a minute; if none is running, delete the row in bun_migration_locks")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck
	return migrateLocked(ctx, m)
}

func migrateLocked(ctx context.Context, m *migrate.Migrator) error {
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("init migrations: %w", err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
