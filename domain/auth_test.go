package domain_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
)

const demoPW = domain.DemoPassword

func TestSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.signIn("Eve.Employee ", demoPW)
		require.NoError(t, err)
		assert.Equal(t, "eve.employee", res.User.Username)
		assert.Len(t, res.Token, 43)

		byEmail, err := e.signIn("EVE@acme.test", demoPW)
		require.NoError(t, err)
		assert.Equal(t, res.User.ID, byEmail.User.ID)

		_, err = e.signIn("eve.employee", "not-the-password")
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials)
		_, err = e.signIn("nobody.here", demoPW)
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "unknown user gets the same error as a wrong password")

		// The session works, and only for its kind.
		s, err := e.svc.Auth.Session(context.Background(), res.Token, domain.SessionWeb)
		require.NoError(t, err)
		assert.Equal(t, "Employee", s.User.Role.Name)
		_, err = e.svc.Auth.Session(context.Background(), res.Token, domain.SessionMobile)
		assert.ErrorIs(t, err, domain.ErrSessionEnded)
	})
}

func TestSignInIsolatesPortals(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.Auth.SignIn(context.Background(), domain.SignInRequest{
			Portal: e.globex, Identifier: "eve.employee", Password: demoPW, Kind: domain.SessionWeb,
		})
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "an acme user cannot sign in to globex")
		_, err = e.store.UserByID(context.Background(), e.globex.ID, e.user(t, "eve.employee").ID)
		assert.ErrorIs(t, err, domain.ErrNotFound, "another portal's user id is not found")
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		e.clock.Advance(25 * time.Minute)
		_, err = e.svc.Auth.Session(context.Background(), res.Token, domain.SessionWeb)
		require.NoError(t, err, "used within the idle limit")
		e.clock.Advance(31 * time.Minute)
		_, err = e.svc.Auth.Session(context.Background(), res.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "idle too long: 30 minutes by default (ASVS 4.0.3 3.3.2, level 2)")

		res, err = e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		for range 37 { // keep it busy past the absolute lifetime of 12 hours
			e.clock.Advance(20 * time.Minute)
			_, err = e.svc.Auth.Session(context.Background(), res.Token, domain.SessionWeb)
		}
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "absolute lifetime")

		_, err = e.svc.Auth.Session(context.Background(), "junk", domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded)
	})
}

func TestSignOutOthers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		b, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		n, err := e.svc.Auth.SignOutOthers(context.Background(), a.Session, "")
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		_, err = e.svc.Auth.Session(context.Background(), b.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded)
		_, err = e.svc.Auth.Session(context.Background(), a.Token, domain.SessionWeb)
		assert.NoError(t, err)
	})
}

func TestRehashOnSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		old := e.user(t, "eve.employee").PasswordHash
		stronger := passwordhash.Params{MemoryKiB: 2048, Time: 1, Threads: 1}
		svc := domain.NewServices(e.store, passwordhash.NewPool(stronger, 0, time.Second), e.clock, domain.DefaultConfig(""))
		_, err := svc.Auth.SignIn(context.Background(), domain.SignInRequest{Portal: e.acme, Identifier: "eve.employee", Password: demoPW, Kind: domain.SessionWeb})
		require.NoError(t, err)
		now := e.user(t, "eve.employee").PasswordHash
		assert.NotEqual(t, old, now)
		assert.Contains(t, now, "m=2048,t=1,p=1")
	})
}

func TestLockout(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for i := range 4 {
			_, err := e.signIn("eve.employee", "wrong-password-"+string(rune('a'+i)))
			require.ErrorIs(t, err, domain.ErrInvalidCredentials)
		}
		_, err := e.signIn("eve.employee", "wrong-password-e")
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked, "the fifth failure locks")
		assert.Equal(t, 15, locked.MinutesLeft())
		assert.False(t, locked.Repeat)

		before := e.hasher.verifies.Load()
		e.clock.Advance(10 * time.Minute)
		_, err = e.signIn("eve.employee", demoPW)
		require.ErrorAs(t, err, &locked, "even the right password is refused while locked")
		assert.Equal(t, before, e.hasher.verifies.Load(), "no password check while locked")
		assert.Equal(t, 5, locked.MinutesLeft(), "attempts during the lock do not extend it")

		assert.Len(t, e.mail(t, "lockout"), 1, "the owner is told once")
		events, err := e.store.AuditEvents(context.Background(), e.acme.ID, domain.AuditFilter{UserID: e.user(t, "eve.employee").ID}, 50)
		require.NoError(t, err)
		assert.Equal(t, 1, countType(events, domain.EventLocked))

		e.clock.Advance(5 * time.Minute)
		_, err = e.signIn("eve.employee", demoPW)
		require.NoError(t, err, "the lock ends by itself")
	})
}

func TestRepeatLockoutSendsToAdministrator(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		lock := func() *domain.LockedError {
			var locked *domain.LockedError
			for range 5 {
				_, err := e.signIn("max.manager", "wrong-password")
				errors.As(err, &locked)
			}
			require.NotNil(t, locked)
			return locked
		}
		assert.False(t, lock().Repeat)
		e.clock.Advance(16 * time.Minute)
		assert.True(t, lock().Repeat, "locked again right after the first lock ended")
	})
}

func TestUnknownIdentifierLocksLikeARealOne(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		var real, fake error
		for range 5 {
			_, real = e.signIn("eve.employee", "wrong-password")
			_, fake = e.signIn("no.such.person", "wrong-password")
		}
		var a, b *domain.LockedError
		require.ErrorAs(t, real, &a)
		require.ErrorAs(t, fake, &b)
		assert.Equal(t, a.Until, b.Until)
		for _, m := range e.mail(t, "lockout") {
			t.Log(m.ID, m.ToAddr, m.CreatedAt)
		}
		assert.Len(t, e.mail(t, "lockout"), 1, "only the real account gets an e-mail")
	})
}

func TestUnlockAndResetEndTheLock(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for range 5 {
			_, _ = e.signIn("eve@acme.test", "wrong-password")
		}
		_, err := e.signIn("eve@acme.test", demoPW)
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked)
		require.NoError(t, e.svc.Auth.Unlock(context.Background(), e.user(t, "eve.employee"), e.user(t, "ada.admin").ID, ""))
		_, err = e.signIn("eve@acme.test", demoPW)
		assert.NoError(t, err)
	})
}

// TestParallelAttemptsAreCounted fires 50 wrong attempts at once: the atomic counter lets
// at most 5 of them reach a password check, and the account ends up locked.
func TestParallelAttemptsAreCounted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		before := e.hasher.verifies.Load()
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Go(func() {
				_, err := e.signIn("amy.accounts", "wrong-password")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		refused := 0 // unchecked: busy while the allowance is in flight, locked after
		for err := range errs {
			var locked *domain.LockedError
			if errors.As(err, &locked) || errors.Is(err, domain.ErrBusy) {
				refused++
			} else {
				require.ErrorIs(t, err, domain.ErrInvalidCredentials)
			}
		}
		assert.LessOrEqual(t, e.hasher.verifies.Load()-before, int64(5))
		assert.GreaterOrEqual(t, refused, 45)
		_, err := e.signIn("amy.accounts", demoPW)
		var locked *domain.LockedError
		assert.ErrorAs(t, err, &locked)
	})
}

func countType(events []domain.AuditEvent, typ string) int {
	n := 0
	for _, ev := range events {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

// Issue 21, item 20: session and app-token lifetimes are portal settings, with ASVS
// level 2 defaults for browsers; a session keeps the limits it began under.
func TestSessionLifetimesFollowPolicy(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		p := e.acme.Policy
		assert.Equal(t, []int{30, 12, 14, 90}, []int{p.SessionIdleMinutes, p.SessionHours, p.AppIdleDays, p.AppDays})
		p.SessionIdleMinutes, p.SessionHours, p.AppIdleDays, p.AppDays = 60, 2, 1, 3
		require.NoError(t, e.svc.Settings.UpdatePolicy(ctx, e.user(t, "ada.admin"), e.acme, p, ""))
		web, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		app, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: "ed.mobile", Password: demoPW, Device: "phone", Kind: domain.SessionMobile})
		require.NoError(t, err)
		e.clock.Advance(50 * time.Minute)
		_, err = e.svc.Auth.Session(ctx, web.Token, domain.SessionWeb)
		assert.NoError(t, err, "the portal's 60 minutes")
		e.clock.Advance(70 * time.Minute)
		_, err = e.svc.Auth.Session(ctx, app.Token, domain.SessionMobile)
		assert.NoError(t, err, "two hours unused: within the app's day")
		_, err = e.svc.Auth.Session(ctx, web.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "the browser's 2 hours at most")
		for range 4 {
			e.clock.Advance(23 * time.Hour)
			_, err = e.svc.Auth.Session(ctx, app.Token, domain.SessionMobile)
		}
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "the app's 3 days at most")

		p.SessionIdleMinutes = 600
		var ve *domain.ValidationError
		assert.ErrorAs(t, e.svc.Settings.UpdatePolicy(ctx, e.user(t, "ada.admin"), e.acme, p, ""), &ve, "8 hours unused at most")
	})
}
