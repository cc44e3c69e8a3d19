package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/domain"
)

// openStatuses are the states of a request that still waits for a helper or its pass.
var openStatuses = []domain.HelpStatus{domain.HelpOpen, domain.HelpVerified, domain.HelpIssued}

// CreateHelpRequest replaces the person's open request, if any, and stores r. Callers
// run it in a transaction; the partial unique index keeps one open request per person
// even when two arrive at once.
func (s *Store) CreateHelpRequest(ctx context.Context, r *domain.HelpRequest) error {
	if r.UserID != 0 {
		if _, err := s.idb.NewUpdate().Model((*domain.HelpRequest)(nil)).Set("status = ?", domain.HelpReplaced).Set("pass_sealed = ''").
			Where("portal_id = ? AND user_id = ? AND status IN (?)", r.PortalID, r.UserID, bun.List(openStatuses)).Exec(ctx); err != nil {
			return mapErr(err)
		}
	}
	_, err := s.idb.NewInsert().Model(r).Exec(ctx)
	return mapErr(err)
}

// SetHelpCodeHash stores the request code's hash.
func (s *Store) SetHelpCodeHash(ctx context.Context, portalID, id int64, hash string) error {
	_, err := s.idb.NewUpdate().Model((*domain.HelpRequest)(nil)).Set("code_hash = ?", hash).
		Where("portal_id = ? AND id = ?", portalID, id).Exec(ctx)
	return mapErr(err)
}

// HelpRequestByID loads one request of the portal.
func (s *Store) HelpRequestByID(ctx context.Context, portalID, id int64) (*domain.HelpRequest, error) {
	r := new(domain.HelpRequest)
	err := s.idb.NewSelect().Model(r).Where("portal_id = ? AND id = ?", portalID, id).Scan(ctx)
	return one(r, err)
}

// HelpRequestByWait finds a request by its waiting page's token hash.
func (s *Store) HelpRequestByWait(ctx context.Context, portalID int64, waitHash string) (*domain.HelpRequest, error) {
	r := new(domain.HelpRequest)
	err := s.idb.NewSelect().Model(r).Where("portal_id = ? AND wait_hash = ?", portalID, waitHash).Scan(ctx)
	return one(r, err)
}

// OpenHelpRequests lists the open requests of people with accounts, newest first.
func (s *Store) OpenHelpRequests(ctx context.Context, portalID int64, now time.Time, limit int) ([]domain.HelpRequest, error) {
	var out []domain.HelpRequest
	err := s.idb.NewSelect().Model(&out).
		Where("portal_id = ? AND user_id IS NOT NULL AND status IN (?) AND expires_at > ?", portalID, bun.List(openStatuses), now).
		OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, mapErr(err)
}

// UpdateHelpRequest writes the request's changing columns if its status is still from.
func (s *Store) UpdateHelpRequest(ctx context.Context, r *domain.HelpRequest, from domain.HelpStatus) error {
	n, err := affected(s.idb.NewUpdate().Model(r).
		Column("status", "checks", "check_note", "email_code_hash", "email_code_until", "reset_two_step", "new_email",
			"pass_hash", "pass_code_hash", "pass_sealed", "pass_expires_at", "resolver_id").
		Where("portal_id = ? AND id = ? AND status = ?", r.PortalID, r.ID, from).Exec(ctx))
	if err == nil && n != 1 {
		return domain.ErrConflict
	}
	return err
}

// FailHelpCheck counts a wrong code and locks the request at max, in one statement.
func (s *Store) FailHelpCheck(ctx context.Context, portalID, id int64, max int, now time.Time) (*domain.HelpRequest, error) {
	r := new(domain.HelpRequest)
	err := s.idb.NewRaw(`UPDATE help_requests SET wrong_checks = wrong_checks + 1,
		status = CASE WHEN wrong_checks + 1 >= ? THEN ? ELSE status END,
		pass_sealed = CASE WHEN wrong_checks + 1 >= ? THEN '' ELSE pass_sealed END
		WHERE portal_id = ? AND id = ? AND status IN (?) AND expires_at > ? RETURNING *`,
		max, domain.HelpLocked, max, portalID, id, bun.List(openStatuses), now).Scan(ctx, r)
	return one(r, err)
}

// HelpRequestByPass finds the request whose live pass has this hash.
func (s *Store) HelpRequestByPass(ctx context.Context, portalID int64, hash string, now time.Time) (*domain.HelpRequest, error) {
	r := new(domain.HelpRequest)
	err := s.idb.NewSelect().Model(r).
		Where("portal_id = ? AND status = ? AND pass_expires_at > ? AND expires_at > ?", portalID, domain.HelpIssued, now, now).
		Where("(pass_hash = ? OR pass_code_hash = ?)", hash, hash).Limit(1).Scan(ctx)
	return one(r, err)
}

// UseRecoveryPass resolves the request while its pass is live, in one statement.
func (s *Store) UseRecoveryPass(ctx context.Context, portalID, id int64, now time.Time) (*domain.HelpRequest, error) {
	r := new(domain.HelpRequest)
	err := s.idb.NewRaw(`UPDATE help_requests SET status = ?, resolved_at = ?, pass_sealed = ''
		WHERE portal_id = ? AND id = ? AND status = ? AND pass_expires_at > ? AND expires_at > ? RETURNING *`,
		domain.HelpResolved, now, portalID, id, domain.HelpIssued, now, now).Scan(ctx, r)
	return one(r, err)
}

// UsersWithPermission lists the portal's enabled users whose role grants p.
func (s *Store) UsersWithPermission(ctx context.Context, portalID int64, p domain.Permission) ([]domain.User, error) {
	var out []domain.User
	err := s.idb.NewSelect().Model(&out).Relation("Role").
		Where("?TableAlias.portal_id = ? AND NOT ?TableAlias.disabled", portalID).
		Where("(' ' || role.permissions || ' ') LIKE ?", "% "+string(p)+" %").
		OrderExpr("?TableAlias.id").Limit(200).Scan(ctx)
	return out, mapErr(err)
}

// PurgeHelpRequests deletes the help requests that expired before before.
func (s *Store) PurgeHelpRequests(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.HelpRequest)(nil)).Where("expires_at < ?", before).Exec(ctx))
}
