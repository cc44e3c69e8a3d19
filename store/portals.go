package store

import (
	"context"

	"github.com/watchpost/watchpost/domain"
)

// CreatePortal inserts a portal.
func (s *Store) CreatePortal(ctx context.Context, p *domain.Portal) error {
	_, err := s.idb.NewInsert().Model(p).Exec(ctx)
	return mapErr(err)
}

// PortalByCode finds a portal by its code.
func (s *Store) PortalByCode(ctx context.Context, code string) (*domain.Portal, error) {
	p := new(domain.Portal)
	err := s.idb.NewSelect().Model(p).Where("code = ?", code).Scan(ctx)
	return one(p, err)
}

// PortalByID finds a portal by id.
func (s *Store) PortalByID(ctx context.Context, id int64) (*domain.Portal, error) {
	p := new(domain.Portal)
	err := s.idb.NewSelect().Model(p).Where("id = ?", id).Scan(ctx)
	return one(p, err)
}

// CreateRole inserts a role.
func (s *Store) CreateRole(ctx context.Context, r *domain.Role) error {
	_, err := s.idb.NewInsert().Model(r).Exec(ctx)
	return mapErr(err)
}

// RoleByName finds a portal's role by name.
func (s *Store) RoleByName(ctx context.Context, portalID int64, name string) (*domain.Role, error) {
	r := new(domain.Role)
	err := s.idb.NewSelect().Model(r).Where("portal_id = ? AND name = ?", portalID, name).Scan(ctx)
	return one(r, err)
}

// CreateSupportUser inserts a vendor support account.
func (s *Store) CreateSupportUser(ctx context.Context, u *domain.SupportUser) error {
	_, err := s.idb.NewInsert().Model(u).Exec(ctx)
	return mapErr(err)
}
