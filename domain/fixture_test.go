package domain_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
	"github.com/watchpost/watchpost/views/emails"
)

// countingHasher is the real argon2id hasher that also counts password checks, so tests
// can prove that refused attempts never reach a hash.
type countingHasher struct {
	*passwordhash.Pool
	verifies atomic.Int64
	// onVerify, when set, runs before each password check (a test holds a sign-in
	// there to race it against something else).
	onVerify atomic.Pointer[func(pw string)]
	// busy, when set, answers every check as a saturated pool does.
	busy atomic.Bool
}

func (h *countingHasher) Verify(ctx context.Context, pw, hash string) (bool, bool, error) {
	if h.busy.Load() {
		return false, false, domain.ErrBusy
	}
	h.verifies.Add(1)
	if f := h.onVerify.Load(); f != nil {
		(*f)(pw)
	}
	return h.Pool.Verify(ctx, pw, hash)
}

// env is a seeded store with services on a manual clock.
type env struct {
	store  *store.Store
	svc    *domain.Services
	clock  *domain.ManualClock
	hasher *countingHasher
	acme   *domain.Portal
	globex *domain.Portal
}

var cheap = passwordhash.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func newEnv(t testing.TB, s *store.Store) *env {
	t.Helper()
	e := &env{store: s, clock: domain.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))}
	e.hasher = &countingHasher{Pool: passwordhash.NewPool(cheap, 0, 2*time.Second)}
	cfg := domain.DefaultConfig("https://watchpost.example")
	cfg.ResponseFloor = 0
	cfg.Mail = emails.Renderer{}
	cfg.HashPerAddress = 0 // every test attempt comes from one address; TestAdmissionIsFair covers the limit
	e.svc = domain.NewServices(s, e.hasher, e.clock, cfg)
	_, err := e.svc.Portals.SeedDemo(context.Background())
	require.NoError(t, err)
	e.acme, err = s.PortalByCode(context.Background(), "acme")
	require.NoError(t, err)
	e.globex, err = s.PortalByCode(context.Background(), "globex")
	require.NoError(t, err)
	return e
}

// each runs fn on SQLite and PostgreSQL with a fresh seeded environment.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, s *store.Store) { fn(t, newEnv(t, s)) })
}

func (e *env) signIn(ident, pw string) (*domain.SignInResult, error) {
	return e.svc.Auth.SignIn(context.Background(), domain.SignInRequest{
		Portal: e.acme, Identifier: ident, Password: pw, IP: "192.0.2.1", Device: "test", Kind: domain.SessionWeb,
	})
}

func (e *env) user(t testing.TB, ident string) *domain.User {
	t.Helper()
	u, err := e.store.UserByIdentifier(context.Background(), e.acme.ID, ident)
	require.NoError(t, err)
	return u
}

func (e *env) mail(t testing.TB, category string) []domain.OutboxMessage {
	t.Helper()
	all, err := e.store.Outbox(context.Background(), 1000)
	require.NoError(t, err)
	var out []domain.OutboxMessage
	for _, m := range all {
		if m.Category == category {
			out = append(out, m)
		}
	}
	return out
}

// as is a web session of u that never signed in: for the services that take the
// signed-in person's session.
func (e *env) as(u *domain.User) *domain.Session {
	return &domain.Session{ID: "session-of-" + u.Username, PortalID: u.PortalID, UserID: u.ID, User: u, Kind: domain.SessionWeb}
}
