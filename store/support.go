package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// SupportUserByUsername finds a vendor support account by username or e-mail.
func (s *Store) SupportUserByUsername(ctx context.Context, ident string) (*domain.SupportUser, error) {
	u := new(domain.SupportUser)
	err := s.idb.NewSelect().Model(u).Where("username = ? OR email = ?", ident, ident).Limit(1).Scan(ctx)
	return one(u, err)
}

// CreateSupportSession inserts a support session.
func (s *Store) CreateSupportSession(ctx context.Context, sess *domain.SupportSession) error {
	_, err := s.idb.NewInsert().Model(sess).Exec(ctx)
	return mapErr(err)
}

// SupportSessionByID loads a support session with its account.
func (s *Store) SupportSessionByID(ctx context.Context, id string) (*domain.SupportSession, error) {
	sess := new(domain.SupportSession)
	err := s.idb.NewSelect().Model(sess).Relation("SupportUser").Where("?TableAlias.id = ?", id).Scan(ctx)
	return one(sess, err)
}

// TouchSupportSession records that the support session was used.
func (s *Store) TouchSupportSession(ctx context.Context, id string, now time.Time) error {
	_, err := s.idb.NewUpdate().Model((*domain.SupportSession)(nil)).Set("last_seen_at = ?", now).Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

// DeleteSupportSession ends a support session.
func (s *Store) DeleteSupportSession(ctx context.Context, id string) error {
	_, err := s.idb.NewDelete().Model((*domain.SupportSession)(nil)).Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

// Portals lists every portal by code.
func (s *Store) Portals(ctx context.Context) ([]domain.Portal, error) {
	var out []domain.Portal
	err := s.idb.NewSelect().Model(&out).OrderExpr("code").Scan(ctx)
	return out, mapErr(err)
}
