package store

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// RegisterAttempt counts one attempt in a single upsert, so parallel attempts each get
// their own number.
func (s *Store) RegisterAttempt(ctx context.Context, portalID int64, ident string, now time.Time, window time.Duration) (domain.LoginAttempt, error) {
	var row domain.LoginAttempt
	cutoff := now.Add(-window)
	err := s.idb.NewRaw(`INSERT INTO login_attempts (portal_id, ident, failures, window_start) VALUES (?, ?, 1, ?)
		ON CONFLICT (portal_id, ident) DO UPDATE SET
		  failures = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.failures
		    WHEN login_attempts.locked_until IS NOT NULL OR login_attempts.window_start <= ? THEN 1
		    ELSE login_attempts.failures + 1 END,
		  window_start = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.window_start
		    WHEN login_attempts.locked_until IS NOT NULL OR login_attempts.window_start <= ? THEN ?
		    ELSE login_attempts.window_start END,
		  locked_until = CASE WHEN login_attempts.locked_until > ? THEN login_attempts.locked_until ELSE NULL END
		RETURNING *`, portalID, ident, now, now, cutoff, now, cutoff, now, now).Scan(ctx, &row)
	return row, mapErr(err)
}

// Lock locks ident unless a lock is in force, remembering when the previous lock began.
func (s *Store) Lock(ctx context.Context, portalID int64, ident string, now, until time.Time) (domain.LoginAttempt, bool, error) {
	var row domain.LoginAttempt
	err := s.idb.NewRaw(`UPDATE login_attempts SET locked_until = ?, prev_locked_at = last_locked_at, last_locked_at = ?
		WHERE portal_id = ? AND ident = ? AND (locked_until IS NULL OR locked_until <= ?)
		RETURNING *`, until, now, portalID, ident, now).Scan(ctx, &row)
	if err == nil {
		return row, true, nil
	}
	if err = mapErr(err); !errors.Is(err, domain.ErrNotFound) {
		return row, false, err
	}
	err = s.idb.NewSelect().Model(&row).Where("portal_id = ? AND ident = ?", portalID, ident).Scan(ctx)
	return row, false, mapErr(err)
}

// ClearAttempts forgets failures and locks for the identifiers.
func (s *Store) ClearAttempts(ctx context.Context, portalID int64, idents ...string) error {
	_, err := s.idb.NewDelete().Model((*domain.LoginAttempt)(nil)).
		Where("portal_id = ? AND ident IN (?)", portalID, bun.List(idents)).Exec(ctx)
	return mapErr(err)
}

// Locks returns when the locks in force for the identifiers end.
func (s *Store) Locks(ctx context.Context, portalID int64, idents []string, now time.Time) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(idents) == 0 {
		return out, nil
	}
	var rows []domain.LoginAttempt
	err := s.idb.NewSelect().Model(&rows).
		Where("portal_id = ? AND ident IN (?) AND locked_until > ?", portalID, bun.List(idents), now).Scan(ctx)
	for _, r := range rows {
		out[r.Ident] = r.LockedUntil
	}
	return out, mapErr(err)
}
