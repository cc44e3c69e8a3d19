package domain_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

const passkeyOrigin = "https://watchpost.example"

// addPasskey registers a passkey named name for ident on portal p, through the real
// service and library, and returns the authenticator's key.
func (e *env) addPasskey(t testing.TB, a *softAuthenticator, p *domain.Portal, ident, name string) *softKey {
	t.Helper()
	u, err := e.store.UserByIdentifier(ctx, p.ID, ident)
	require.NoError(t, err)
	sess := e.as(u)
	start, err := e.svc.Passkeys.BeginRegistration(ctx, p, sess, name, domain.Reauth{Password: demoPW}, "192.0.2.1")
	require.NoError(t, err)
	resp, k := a.create(t, start.Options)
	_, err = e.svc.Passkeys.FinishRegistration(ctx, p, sess, start.Flow, resp, "192.0.2.1")
	require.NoError(t, err)
	return k
}

// passkeySignIn signs in on p with key k.
func (e *env) passkeySignIn(t testing.TB, a *softAuthenticator, p *domain.Portal, k *softKey) (*domain.SignInResult, error) {
	t.Helper()
	start, err := e.svc.Passkeys.BeginSignIn(ctx, p, "192.0.2.1")
	require.NoError(t, err)
	return e.svc.Passkeys.SignIn(ctx, domain.PasskeySignInRequest{Portal: p, Flow: start.Flow, Response: a.get(t, start.Options, k), IP: "192.0.2.1", Device: "test", Kind: domain.SessionWeb})
}

func TestPasskeyAddAndSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "  My   laptop ")
		eve := e.user(t, "eve.employee")
		keys, err := e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		require.Len(t, keys, 1)
		assert.Equal(t, "My laptop", keys[0].Name)
		assert.Equal(t, "internal", keys[0].Transports)
		assert.True(t, keys[0].LastUsedAt.IsZero())
		require.Len(t, e.mail(t, "passkey_added"), 1)
		assert.Equal(t, "eve@acme.test", e.mail(t, "passkey_added")[0].ToAddr)
		assert.Equal(t, []string{"internal"}, []string{keys[0].Transports})

		e.clock.Advance(time.Minute)
		res, err := e.passkeySignIn(t, a, e.acme, k)
		require.NoError(t, err)
		assert.Equal(t, eve.ID, res.User.ID)
		assert.True(t, res.Session.TwoStep, "a passkey with user verification is a second step")
		keys, err = e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		assert.Equal(t, e.clock.Now().Unix(), keys[0].LastUsedAt.Unix())
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{UserID: eve.ID}, 20)
		require.NoError(t, err)
		var types []string
		for _, ev := range events {
			types = append(types, ev.Type)
		}
		assert.Contains(t, types, domain.EventPasskeyAdded)
		assert.Contains(t, types, domain.EventPasskeySignIn)
	})
}

func TestPasskeyAddingAsksForThePersonAndSignsOutOthers(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		other, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		eve := e.user(t, "eve.employee")
		_, err = e.svc.Passkeys.BeginRegistration(ctx, e.acme, e.as(eve), "laptop", domain.Reauth{Password: "wrong password"}, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrInvalidCredentials)
		_, err = e.svc.Passkeys.BeginRegistration(ctx, e.acme, e.as(eve), " ", domain.Reauth{Password: demoPW}, "192.0.2.1")
		var invalid *domain.ValidationError
		require.ErrorAs(t, err, &invalid)
		assert.Equal(t, 1, e.sessions(t, "eve.employee"))

		a := &softAuthenticator{origin: passkeyOrigin}
		e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		_, err = e.svc.Auth.Session(ctx, other.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "adding a passkey signs out the other sessions")

		// With two-step verification on, the password alone is not enough.
		e.enrol(t, "max.manager")
		max := e.user(t, "max.manager")
		_, err = e.svc.Passkeys.BeginRegistration(ctx, e.acme, e.as(max), "phone", domain.Reauth{Password: demoPW}, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrCodeFormat)
	})
}

func TestPasskeyUserVerificationIsRequired(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		eve := e.user(t, "eve.employee")
		sess := e.as(eve)
		start, err := e.svc.Passkeys.BeginRegistration(ctx, e.acme, sess, "key", domain.Reauth{Password: demoPW}, "192.0.2.1")
		require.NoError(t, err)
		assert.Contains(t, string(start.Options), `"userVerification":"required"`)
		assert.Contains(t, string(start.Options), `"residentKey":"required"`)
		noUV := &softAuthenticator{origin: passkeyOrigin, noUV: true}
		resp, _ := noUV.create(t, start.Options)
		_, err = e.svc.Passkeys.FinishRegistration(ctx, e.acme, sess, start.Flow, resp, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeyRefused)

		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		a.noUV = true
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused, "a sign-in without user verification is refused")
	})
}

func TestPasskeyCeremonyIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		start, err := e.svc.Passkeys.BeginSignIn(ctx, e.acme, "192.0.2.1")
		require.NoError(t, err)
		resp := a.get(t, start.Options, k)
		req := domain.PasskeySignInRequest{Portal: e.acme, Flow: start.Flow, Response: resp, IP: "192.0.2.1", Kind: domain.SessionWeb}
		_, err = e.svc.Passkeys.SignIn(ctx, req)
		require.NoError(t, err)
		_, err = e.svc.Passkeys.SignIn(ctx, req)
		require.ErrorIs(t, err, domain.ErrPasskeyEnded, "the same answer replayed")

		start, err = e.svc.Passkeys.BeginSignIn(ctx, e.acme, "192.0.2.1")
		require.NoError(t, err)
		resp = a.get(t, start.Options, k)
		e.clock.Advance(5*time.Minute + time.Second)
		_, err = e.svc.Passkeys.SignIn(ctx, domain.PasskeySignInRequest{Portal: e.acme, Flow: start.Flow, Response: resp, Kind: domain.SessionWeb})
		require.ErrorIs(t, err, domain.ErrPasskeyEnded, "an expired ceremony")

		// A ceremony of one portal does not finish on another, nor one of another kind.
		start, err = e.svc.Passkeys.BeginSignIn(ctx, e.globex, "192.0.2.1")
		require.NoError(t, err)
		_, err = e.svc.Passkeys.SignIn(ctx, domain.PasskeySignInRequest{Portal: e.acme, Flow: start.Flow, Response: a.get(t, start.Options, k), Kind: domain.SessionWeb})
		require.ErrorIs(t, err, domain.ErrPasskeyEnded)
		_, err = e.svc.Passkeys.SignIn(ctx, domain.PasskeySignInRequest{Portal: e.acme, Flow: "not-a-token", Kind: domain.SessionWeb})
		require.ErrorIs(t, err, domain.ErrPasskeyEnded)

		// A registration belongs to the session that began it.
		eve := e.user(t, "eve.employee")
		reg, err := e.svc.Passkeys.BeginRegistration(ctx, e.acme, e.as(eve), "phone", domain.Reauth{Password: demoPW}, "192.0.2.1")
		require.NoError(t, err)
		resp, _ = a.create(t, reg.Options)
		thief := &domain.Session{ID: "another-session", PortalID: eve.PortalID, UserID: eve.ID, User: eve, Kind: domain.SessionWeb}
		_, err = e.svc.Passkeys.FinishRegistration(ctx, e.acme, thief, reg.Flow, resp, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeyEnded)
		_, err = e.svc.Passkeys.FinishRegistration(ctx, e.acme, e.as(eve), reg.Flow, resp, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeyEnded, "the thief's try used it up")
	})
}

func TestPasskeyCounterAndCloneWarning(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "security key")
		k.counts = true
		for range 2 {
			_, err := e.passkeySignIn(t, a, e.acme, k)
			require.NoError(t, err)
		}
		eve := e.user(t, "eve.employee")
		keys, err := e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		assert.EqualValues(t, 2, keys[0].SignCount)
		assert.False(t, keys[0].CloneWarning)

		k.count = 0 // a copy of the key that signed less often
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused)
		keys, err = e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		assert.True(t, keys[0].CloneWarning)
		assert.EqualValues(t, 2, keys[0].SignCount)
		require.Len(t, e.mail(t, "passkey_cloned"), 1)

		k.count = 10
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused, "a passkey under a clone warning stays refused")
		require.Len(t, e.mail(t, "passkey_cloned"), 1, "told once")
	})
}

func TestPasskeyOfAnotherPortalIsRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.globex, "gail.guard", "phone")
		_, err := e.passkeySignIn(t, a, e.globex, k)
		require.NoError(t, err)
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused)

		// Its handle rewritten to name an Acme account: the credential is still Globex's.
		eve := e.user(t, "eve.employee")
		acmeKey := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		forged := *k
		forged.handle = acmeKey.handle
		_, err = e.passkeySignIn(t, a, e.acme, &forged)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused)
		sessions, err := e.store.UserSessions(ctx, e.acme.ID, eve.ID, e.clock.Now())
		require.NoError(t, err)
		assert.Empty(t, sessions)

		// Another site's origin (a phishing copy) is refused by the library.
		phish := &softAuthenticator{origin: "https://watchpost.example.evil.test", keys: a.keys}
		_, err = e.passkeySignIn(t, phish, e.acme, acmeKey)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused)
	})
}

func TestPasskeyWorksWhilePasswordIsLocked(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		for range e.acme.Policy.MaxFailedAttempts {
			_, _ = e.signIn("eve.employee", "wrong password")
		}
		_, err := e.signIn("eve.employee", demoPW)
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked)

		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.NoError(t, err, "the lock is about password guessing")
		_, err = e.signIn("eve.employee", demoPW)
		require.NoError(t, err, "the passkey cleared the lock and the failed count")
	})
}

func TestPasskeyAndARoleThatRequiresTwoStep(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		secret, _ := e.enrol(t, "max.manager")
		max := e.user(t, "max.manager")
		sess := e.as(max)
		start, err := e.svc.Passkeys.BeginRegistration(ctx, e.acme, sess, "phone", domain.Reauth{Password: demoPW, Code: code(t, secret, e.clock.Now())}, "192.0.2.1")
		require.NoError(t, err)
		resp, k := a.create(t, start.Options)
		_, err = e.svc.Passkeys.FinishRegistration(ctx, e.acme, sess, start.Flow, resp, "192.0.2.1")
		require.NoError(t, err)

		// Voluntary two-step: the passkey is the second step.
		res, err := e.passkeySignIn(t, a, e.acme, k)
		require.NoError(t, err)
		assert.True(t, res.Session.TwoStep)

		// Required for Managers and not accepted in its place: a code follows.
		e.requireTwoStep(t, domain.RoleManager)
		_, err = e.passkeySignIn(t, a, e.acme, k)
		var need *domain.TwoStepRequiredError
		require.ErrorAs(t, err, &need)
		e.clock.Advance(30 * time.Second)
		done, err := e.second(need.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		assert.Equal(t, max.ID, done.User.ID)

		// Accepted for the role: the passkey is enough.
		e.acme.Policy.PasskeyRoles = domain.RoleManager
		require.NoError(t, e.store.UpdatePolicy(ctx, e.acme.ID, e.acme.Policy))
		res, err = e.passkeySignIn(t, a, e.acme, k)
		require.NoError(t, err)
		assert.True(t, res.Session.TwoStep)

		// The policy turns passkeys off.
		e.acme.Policy.PasskeysOff = true
		_, err = e.svc.Passkeys.BeginSignIn(ctx, e.acme, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeysOff)
	})
}

func TestPasskeyRemoval(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		e.addPasskey(t, a, e.acme, "eve.employee", "phone")
		eve := e.user(t, "eve.employee")
		keys, err := e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		require.Len(t, keys, 2)

		// Someone else's passkey id is not found.
		ada := e.user(t, "ada.admin")
		proof := domain.Reauth{Password: demoPW}
		require.ErrorIs(t, e.svc.Passkeys.Remove(ctx, e.acme, e.as(ada), keys[0].ID, proof, "192.0.2.1"), domain.ErrNotFound)
		require.ErrorIs(t, e.svc.Passkeys.Remove(ctx, e.acme, e.as(eve), keys[0].ID, domain.Reauth{Password: "wrong"}, "192.0.2.1"), domain.ErrInvalidCredentials)
		other, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		require.NoError(t, e.svc.Passkeys.Remove(ctx, e.acme, e.as(eve), keys[0].ID, proof, "192.0.2.1"))
		_, err = e.svc.Auth.Session(ctx, other.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "removing a passkey signs out the other sessions")
		require.Len(t, e.mail(t, "passkey_removed"), 1)
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.ErrorIs(t, err, domain.ErrPasskeyRefused, "a removed passkey signs nobody in")

		// Without a password, the last passkey is the last way in.
		noPassword := *eve
		noPassword.PasswordHash = ""
		require.ErrorIs(t, e.svc.Passkeys.Remove(ctx, e.acme, e.as(&noPassword), keys[1].ID, proof, "192.0.2.1"), domain.ErrLastWayIn)

		// Administration: an employee may not, the administrator may, not for themselves.
		amy := e.user(t, "amy.accounts")
		_, err = e.svc.Passkeys.RemoveAllFor(ctx, amy, eve.ID, "192.0.2.1")
		var forbidden *domain.ForbiddenError
		require.ErrorAs(t, err, &forbidden)
		_, err = e.svc.Passkeys.RemoveAllFor(ctx, ada, ada.ID, "192.0.2.1")
		require.ErrorAs(t, err, &forbidden)
		n, err := e.svc.Passkeys.RemoveAllFor(ctx, ada, eve.ID, "192.0.2.1")
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		_, err = e.svc.Passkeys.RemoveAllFor(ctx, ada, eve.ID, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrNoPasskeys)
		require.Len(t, e.mail(t, "passkey_removed_by_admin"), 1)
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{UserID: eve.ID}, 50)
		require.NoError(t, err)
		var byAdmin bool
		for _, ev := range events {
			byAdmin = byAdmin || (ev.Type == domain.EventPasskeyRemoved && ev.ActorID == ada.ID)
		}
		assert.True(t, byAdmin, "the administrator's removal is audited with them as actor")
	})
}

func TestPasskeysNeedADomain(t *testing.T) {
	t.Parallel()
	for base, ok := range map[string]bool{
		"https://watchpost.example": true, "http://localhost:8080": true,
		"http://127.0.0.1:8080": false, "http://[::1]:80": false, "": false,
	} {
		_, _, got := domain.RelyingPartyID(base)
		assert.Equal(t, ok, got, base)
	}
}

func TestPasskeyPolicyIsSaved(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		assert.True(t, e.acme.Policy.PasskeysAllowed(), "passkeys are on by default")
		ada := e.user(t, "ada.admin")
		pol := e.acme.Policy
		pol.PasskeysOff, pol.PasskeyRoles = true, domain.RoleManager+",No such role"
		require.NoError(t, e.svc.Settings.UpdatePolicy(ctx, ada, e.acme, pol, "192.0.2.1"))
		saved, err := e.store.PortalByCode(ctx, "acme")
		require.NoError(t, err)
		assert.True(t, saved.Policy.PasskeysOff)
		assert.Equal(t, domain.RoleManager, saved.Policy.PasskeyRoles)
		_, err = e.svc.Passkeys.BeginSignIn(ctx, saved, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeysOff)
		eve := e.user(t, "eve.employee")
		_, err = e.svc.Passkeys.BeginRegistration(ctx, saved, e.as(eve), "laptop", domain.Reauth{Password: demoPW}, "192.0.2.1")
		require.ErrorIs(t, err, domain.ErrPasskeysOff)
	})
}

func TestPasskeyCeremonyIsUsedOnceUnderRace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		k := e.addPasskey(t, a, e.acme, "eve.employee", "laptop")
		start, err := e.svc.Passkeys.BeginSignIn(ctx, e.acme, "192.0.2.1")
		require.NoError(t, err)
		req := domain.PasskeySignInRequest{Portal: e.acme, Flow: start.Flow, Response: a.get(t, start.Options, k), IP: "192.0.2.1", Kind: domain.SessionWeb}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, ended := 0, 0
		for range 4 {
			wg.Go(func() {
				_, err := e.svc.Passkeys.SignIn(ctx, req)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, domain.ErrPasskeyEnded):
					ended++
				default:
					t.Errorf("unexpected: %v", err)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, ok, "one answer, one session")
		assert.Equal(t, 3, ended)
	})
}

func TestPasskeySignInBeginningsAreBounded(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for range 60 {
			_, err := e.svc.Passkeys.BeginSignIn(ctx, e.acme, "198.51.100.7")
			require.NoError(t, err)
		}
		_, err := e.svc.Passkeys.BeginSignIn(ctx, e.acme, "198.51.100.7")
		var throttled *domain.ThrottledError
		require.ErrorAs(t, err, &throttled)
		_, err = e.svc.Passkeys.BeginSignIn(ctx, e.acme, "203.0.113.9")
		require.NoError(t, err, "another address is not held back")
		e.clock.Advance(time.Minute + time.Second)
		_, err = e.svc.Passkeys.BeginSignIn(ctx, e.acme, "198.51.100.7")
		require.NoError(t, err, "the next minute")
	})
}

// TestPasskeysSurviveAPasswordReset: a reset by e-mail neither removes passkeys nor
// bypasses the second step; the passkey still signs in afterwards.
func TestPasskeysSurviveAPasswordReset(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a := &softAuthenticator{origin: passkeyOrigin}
		secret, _ := e.enrol(t, "eve.employee")
		eve := e.user(t, "eve.employee")
		start, err := e.svc.Passkeys.BeginRegistration(ctx, e.acme, e.as(eve), "laptop", domain.Reauth{Password: demoPW, Code: code(t, secret, e.clock.Now())}, "192.0.2.1")
		require.NoError(t, err)
		resp, k := a.create(t, start.Options)
		_, err = e.svc.Passkeys.FinishRegistration(ctx, e.acme, e.as(eve), start.Flow, resp, "192.0.2.1")
		require.NoError(t, err)

		require.NoError(t, e.complete(e.requestLink(t, "eve.employee"), "a brand new passphrase 2027"))
		keys, err := e.svc.Passkeys.List(ctx, e.acme, eve)
		require.NoError(t, err)
		assert.Len(t, keys, 1, "the reset removes no passkey")
		e.challenge(t, "eve.employee", "a brand new passphrase 2027") // the code is still asked
		_, err = e.passkeySignIn(t, a, e.acme, k)
		require.NoError(t, err)
	})
}
