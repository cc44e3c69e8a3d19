package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/watchpost/watchpost/domain"
)

// Store implements domain.Store over bun. The same value works on a database or, inside
// InTx, on one transaction.
type Store struct {
	db     *bun.DB
	idb    bun.IDB
	inTx   bool
	bodies *domain.BodySealer // seals outbox bodies; nil keeps them as they are
}

var _ domain.Store = (*Store)(nil)

// New wraps an open database.
func New(db *bun.DB) *Store { return &Store{db: db, idb: db} }

// SealOutbox makes the outbox keep the bodies of e-mails sealed with b while they wait
// (they hold live links); set once, before the store is used.
func (s *Store) SealOutbox(b *domain.BodySealer) { s.bodies = b }

// DB returns the underlying database handle.
func (s *Store) DB() *bun.DB { return s.db }

// InTx runs fn in a transaction; nested calls join the outer one.
func (s *Store) InTx(ctx context.Context, fn func(domain.Store) error) error {
	if s.inTx {
		return fn(s)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(&Store{db: s.db, idb: tx, inTx: true, bodies: s.bodies})
	})
}

// Ping tells whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return mapErr(s.db.PingContext(ctx)) }

// mapErr turns driver errors into the domain's errors.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return domain.ErrNotFound
	case isUniqueViolation(err):
		return domain.ErrConflict
	case isUnavailable(err):
		return fmt.Errorf("%w: %v", domain.ErrUnavailable, err)
	}
	return err
}

// isUnavailable tells a database that is down, restarting or unreachable from a bad query.
func isUnavailable(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	// SQLSTATE class 57P: the server is shutting down or starting; class 08: the
	// connection failed.
	state := sqlState(err)
	return strings.HasPrefix(state, "57P") || strings.HasPrefix(state, "08")
}

// isUniqueViolation recognises a unique or primary-key conflict by the drivers' codes:
// SQLSTATE 23505 on PostgreSQL, the extended result codes on SQLite.
func isUniqueViolation(err error) bool {
	if sqlState(err) == "23505" {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isBusy recognises SQLite's "database is locked" (SQLITE_BUSY).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// sqlState is the PostgreSQL error code carried by err, or "".
func sqlState(err error) string {
	var pe pgdriver.Error
	if errors.As(err, &pe) {
		return pe.Field('C')
	}
	return ""
}

// affected reports how many rows a statement changed.
func affected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, mapErr(err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Hit counts one event for key in its fixed window, in one atomic statement.
func (s *Store) Hit(ctx context.Context, key string, now time.Time, window time.Duration) (int, error) {
	var count int
	err := s.idb.NewRaw(`INSERT INTO rate_counters ("key", window_start, "count") VALUES (?, ?, 1)
		ON CONFLICT ("key") DO UPDATE SET
		  "count" = CASE WHEN rate_counters.window_start <= ? THEN 1 ELSE rate_counters."count" + 1 END,
		  window_start = CASE WHEN rate_counters.window_start <= ? THEN ? ELSE rate_counters.window_start END
		RETURNING "count"`, key, now, now.Add(-window), now.Add(-window), now).Scan(ctx, &count)
	return count, mapErr(err)
}

// RateCount reads key's count in its current window without counting, and when that
// window began; a window that ended counts zero.
func (s *Store) RateCount(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	var rc domain.RateCounter
	err := s.idb.NewSelect().Model(&rc).Where(`"key" = ?`, key).Scan(ctx)
	if err = mapErr(err); errors.Is(err, domain.ErrNotFound) || (err == nil && !rc.WindowStart.After(now.Add(-window))) {
		return 0, now, nil
	}
	return rc.Count, rc.WindowStart, err
}

// Secret returns the named secret, creating it on first use; concurrent first uses agree.
func (s *Store) Secret(ctx context.Context, name string, generate func() string) (string, error) {
	_, err := s.idb.NewInsert().Model(&domain.AppSecret{Name: name, Value: generate()}).On("CONFLICT (name) DO NOTHING").Exec(ctx)
	if err != nil {
		return "", mapErr(err)
	}
	var sec domain.AppSecret
	err = s.idb.NewSelect().Model(&sec).Where("name = ?", name).Scan(ctx)
	return sec.Value, mapErr(err)
}

// one returns a loaded row, or nil with the domain error: never a half-filled value.
func one[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	return v, nil
}
