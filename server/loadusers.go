package server

import (
	"context"
	"fmt"

	"github.com/watchpost/watchpost/domain"
)

// AddLoadUsers adds n employees named load.user000… to acme (password: the demo
// password), skipping those that exist, so that load tests and benchmarks sign in as
// many people rather than one. It returns their usernames.
func (s *Server) AddLoadUsers(ctx context.Context, n int) ([]string, error) {
	p, err := s.Store.PortalByCode(ctx, "acme")
	if err != nil {
		return nil, err
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("load.user%03d", i)
		if _, err := s.Store.UserByIdentifier(ctx, p.ID, names[i]); err == nil {
			continue
		}
		err := s.Store.InTx(ctx, func(tx domain.Store) error {
			_, err := s.Services.Portals.CreateUser(ctx, tx, p, domain.NewUser{
				Username: names[i], Email: names[i] + "@acme.test", DisplayName: "Load User", Role: domain.RoleEmployee, Password: domain.DemoPassword,
			})
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}
