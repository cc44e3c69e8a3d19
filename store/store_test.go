package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/migrations"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestMigrationsRunOnceUnderConcurrentStarts opens one fresh database from several
// "instances" at once: every one migrates without error and the schema is applied once.
func TestMigrationsRunOnceUnderConcurrentStarts(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Go(func() {
					db, err := store.Open(url)
					if err != nil {
						errs <- err
						return
					}
					defer db.Close()
					errs <- store.Migrate(context.Background(), db)
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				assert.NoError(t, err)
			}
			s := storetest.Open(t, url)
			var n int
			require.NoError(t, s.DB().NewRaw("SELECT COUNT(*) FROM bun_migrations").Scan(context.Background(), &n))
			assert.Equal(t, len(migrations.Migrations.Sorted()), n, "each migration applied once")
		})
	}
}

func TestHitWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now().UTC()
		for i := 1; i <= 3; i++ {
			n, err := s.Hit(ctx, "k", now, time.Minute)
			require.NoError(t, err)
			assert.Equal(t, i, n)
		}
		n, err := s.Hit(ctx, "k", now.Add(61*time.Second), time.Minute)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "a new window starts")
		n, err = s.Hit(ctx, "other", now, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "keys are separate")
	})
}

// TestTokenUseIsAtomic uses one token from many goroutines: exactly one wins.
func TestTokenUseIsAtomic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now().UTC()
		p := &domain.Portal{Code: "p", Name: "P", Policy: domain.DefaultPolicy(), CreatedAt: now}
		require.NoError(t, s.CreatePortal(ctx, p))
		r := &domain.Role{PortalID: p.ID, Name: "Employee"}
		require.NoError(t, s.CreateRole(ctx, r))
		u := &domain.User{PortalID: p.ID, Username: "u", Email: "u@p.test", DisplayName: "U", RoleID: r.ID, PasswordChangedAt: now, CreatedAt: now}
		require.NoError(t, s.CreateUser(ctx, u))
		_, hash := domain.NewToken()
		require.NoError(t, s.CreateResetToken(ctx, &domain.ResetToken{PortalID: p.ID, UserID: u.ID, Hash: hash, Purpose: domain.TokenReset, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 10 {
			wg.Go(func() {
				if _, err := s.UseResetToken(ctx, hash, now); err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				} else {
					assert.ErrorIs(t, err, domain.ErrNotFound)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, wins)

		_, err := s.UserByID(ctx, p.ID+1, u.ID)
		assert.ErrorIs(t, err, domain.ErrNotFound, "scoped by portal")
		err = s.CreateUser(ctx, &domain.User{PortalID: p.ID, Username: "u", Email: "x@p.test", DisplayName: "X", RoleID: r.ID, PasswordChangedAt: now, CreatedAt: now})
		assert.ErrorIs(t, err, domain.ErrConflict)
	})
}

// BenchmarkEmployeeSearch searches a portal of 10,000 people, as the employee list does.
func BenchmarkEmployeeSearch(b *testing.B) {
	s := storetest.Open(b, storetest.SQLiteURL(b))
	ctx, now := context.Background(), time.Now().UTC()
	p := &domain.Portal{Code: "big", Name: "Big", Policy: domain.DefaultPolicy(), CreatedAt: now}
	require.NoError(b, s.CreatePortal(ctx, p))
	r := &domain.Role{PortalID: p.ID, Name: "Employee"}
	require.NoError(b, s.CreateRole(ctx, r))
	users := make([]domain.User, 10000)
	for i := range users {
		name := "person" + string(rune('a'+i%26)) + time.Duration(i).String()
		users[i] = domain.User{PortalID: p.ID, Username: name, Email: name + "@big.test", DisplayName: "Person " + name, RoleID: r.ID, PasswordChangedAt: now, CreatedAt: now}
	}
	_, err := s.DB().NewInsert().Model(&users).Exec(ctx)
	require.NoError(b, err)
	for _, q := range []string{"", "personq"} {
		b.Run("query="+q, func(b *testing.B) {
			for b.Loop() {
				page, total, err := s.ListUsers(ctx, p.ID, domain.UserFilter{EmployeeFilter: domain.EmployeeFilter{Query: q}, Now: now}, 0, domain.EmployeesPerPage)
				if err != nil || total == 0 || len(page) == 0 {
					b.Fatal(total, err)
				}
			}
		})
	}
}

// TestDeliveredMailKeepsNoLink: once sent or given up on, a message's bodies (which hold
// reset and set-password links) are cleared (issue 11, item 13).
func TestDeliveredMailKeepsNoLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for _, status := range []domain.OutboxStatus{domain.OutboxSent, domain.OutboxFailed, domain.OutboxPending} {
			m := &domain.OutboxMessage{PortalID: 1, ToAddr: "eve@acme.test", Subject: "Reset", TextBody: "https://x.test/acme/reset/secret",
				HTMLBody: `<a href="https://x.test/acme/reset/secret">`, Category: "reset", Status: domain.OutboxPending, NextAttempt: now, CreatedAt: now}
			require.NoError(t, s.Enqueue(ctx, m))
			if status == domain.OutboxSent {
				require.NoError(t, s.MarkSent(ctx, m.ID, now))
			} else {
				require.NoError(t, s.MarkRetry(ctx, m.ID, status, now, "refused"))
			}
			got, err := s.OutboxMessage(ctx, m.ID)
			require.NoError(t, err)
			if status == domain.OutboxPending {
				assert.Contains(t, got.TextBody, "secret", "kept while it may still be sent")
				continue
			}
			assert.Empty(t, got.TextBody, status)
			assert.Empty(t, got.HTMLBody, status)
		}
	})
}
