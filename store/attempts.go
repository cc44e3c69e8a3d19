package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// RegisterAttempts counts one attempt on each key in a single multi-row upsert, so
// parallel attempts each get their own number. The rule itself lives in domain/lockout.go;
// what is here is only what must happen in the same statement to be atomic: a key under a
// lock is left alone (attempts during a lock do not extend it), a key whose window began
// at or before windowStart, or whose lock has ended, starts counting again at 1.
func (s *Store) RegisterAttempts(ctx context.Context, portalID int64, keys []string, now, windowStart time.Time) ([]domain.LoginAttempt, error) {
	var rows []domain.LoginAttempt
	if len(keys) == 0 {
		return rows, nil
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?, 1, ?), ", len(keys)), ", ")
	args := make([]any, 0, 3*len(keys)+5)
	for _, k := range sorted(keys) {
		args = append(args, portalID, k, now)
	}
	args = append(args, now, windowStart, now, windowStart, now)
	err := s.idb.NewRaw(`INSERT INTO login_attempts (portal_id, ident, failures, window_start) VALUES `+values+`
		ON CONFLICT (portal_id, ident) DO UPDATE SET
		  failures = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.failures
		    WHEN login_attempts.locked_until IS NOT NULL OR login_attempts.window_start <= ? THEN 1
		    ELSE login_attempts.failures + 1 END,
		  window_start = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.window_start
		    WHEN login_attempts.locked_until IS NOT NULL OR login_attempts.window_start <= ? THEN EXCLUDED.window_start
		    ELSE login_attempts.window_start END,
		  locked_until = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.locked_until ELSE NULL END
		RETURNING *`, args...).Scan(ctx, &rows)
	return rows, mapErr(err)
}

// ReleaseAttempts gives back one reserved attempt on each key, one row per statement in
// the keys' sorted order. A key whose window began after reservedAt counts a new window
// the attempt was never part of, and a locked key stays as it is.
func (s *Store) ReleaseAttempts(ctx context.Context, portalID int64, keys []string, reservedAt time.Time) error {
	for _, k := range sorted(keys) {
		_, err := s.idb.NewRaw(`UPDATE login_attempts SET failures = failures - 1
			WHERE portal_id = ? AND ident = ? AND failures > 0 AND window_start <= ? AND locked_until IS NULL`,
			portalID, k, reservedAt).Exec(ctx)
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// Statements that touch several counters take their row locks in the keys' sorted order
// (one row per statement, or a VALUES list in that order), so that two of them never wait
// for each other on PostgreSQL.
func sorted(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return out
}

// LockAttempts locks the keys that are not locked yet and whose count is at least spent
// (a count cleared meanwhile and begun again is not the one that was spent), remembering
// when each one's previous lock began; made tells whether this call locked any. With no row changed it
// returns the rows as they are (ErrNotFound when they were cleared meanwhile). Call it
// inside a transaction to lock the keys together.
func (s *Store) LockAttempts(ctx context.Context, portalID int64, keys []string, spent int, now, until time.Time) ([]domain.LoginAttempt, bool, error) {
	var rows []domain.LoginAttempt
	made := false
	for _, k := range sorted(keys) {
		var row domain.LoginAttempt
		err := s.idb.NewRaw(`UPDATE login_attempts SET locked_until = ?, prev_locked_at = last_locked_at, last_locked_at = ?
			WHERE portal_id = ? AND ident = ? AND (locked_until IS NULL OR locked_until <= ?) AND failures >= ?
			RETURNING *`, until, now, portalID, k, now, spent).Scan(ctx, &row)
		if err == nil {
			made = true
		} else if err = mapErr(err); !errors.Is(err, domain.ErrNotFound) {
			return nil, false, err
		} else if err = s.idb.NewSelect().Model(&row).Where("portal_id = ? AND ident = ?", portalID, k).Scan(ctx); err != nil {
			if err = mapErr(err); errors.Is(err, domain.ErrNotFound) {
				continue // cleared meanwhile
			}
			return nil, false, err
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, false, domain.ErrNotFound
	}
	return rows, made, nil
}

// ClearAttempts forgets failures and locks for the keys.
func (s *Store) ClearAttempts(ctx context.Context, portalID int64, keys ...string) error {
	for _, k := range sorted(keys) {
		_, err := s.idb.NewDelete().Model((*domain.LoginAttempt)(nil)).Where("portal_id = ? AND ident = ?", portalID, k).Exec(ctx)
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// Locks returns when the locks in force for the keys end.
func (s *Store) Locks(ctx context.Context, portalID int64, keys []string, now time.Time) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []domain.LoginAttempt
	err := s.idb.NewSelect().Model(&rows).
		Where("portal_id = ? AND ident IN (?) AND locked_until > ?", portalID, bun.List(keys), now).Scan(ctx)
	for _, r := range rows {
		out[r.Ident] = r.LockedUntil
	}
	return out, mapErr(err)
}
