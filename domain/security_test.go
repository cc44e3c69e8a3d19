package domain_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
)

// The attacks of issue 11 as tests, on SQLite and PostgreSQL. Each failed on the code
// before the fix.

// TestSignInInFlightDiesWithReset holds a sign-in inside its password check, resets the
// password meanwhile, then lets the sign-in finish: the session it makes must not work
// (issue 11, item 2), on the web and in the app.
func TestSignInInFlightDiesWithReset(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for kind, who := range map[domain.SessionKind]string{domain.SessionWeb: "ed.mobile", domain.SessionMobile: "eve.employee"} {
			inside, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			hook := func(pw string) {
				if pw == demoPW {
					once.Do(func() { close(inside); <-release })
				}
			}
			e.hasher.onVerify.Store(&hook)
			type result struct {
				res *domain.SignInResult
				err error
			}
			done := make(chan result)
			go func() {
				res, err := e.svc.Auth.SignIn(context.Background(), domain.SignInRequest{Portal: e.acme, Identifier: who, Password: demoPW, Kind: kind})
				done <- result{res, err}
			}()
			select { // never wait forever: a sign-in refused before its check ends the test
			case <-inside:
			case r := <-done:
				t.Fatalf("the sign-in ended before its password check: %v", r.err)
			}
			_, err := e.svc.Admin.SetPassword(context.Background(), e.acme, e.user(t, "ada.admin"), e.user(t, who), "", true, false, "")
			require.NoError(t, err)
			close(release)
			r := <-done
			e.hasher.onVerify.Store(nil)
			require.NoError(t, r.err, "the old password was right when the check began")
			_, err = e.svc.Auth.Session(context.Background(), r.res.Token, kind)
			assert.ErrorIs(t, err, domain.ErrSessionEnded, "%s: a session begun before the reset is dead", kind)
		}
	})
}

// TestSignInLoopsRacingAReset runs 8 loops signing in with the old password, on the web
// and in the app, while an administrator sets a new password and the user completes a
// reset link: afterwards not one session or token made with the old password works.
func TestSignInLoopsRacingAReset(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		stop := make(chan struct{})
		var mu sync.Mutex
		var tokens []string
		var kinds []domain.SessionKind
		var wg sync.WaitGroup
		going := make(chan struct{}) // closed once the loops have made 8 sessions
		var goingOnce sync.Once
		for i := range 8 {
			kind := []domain.SessionKind{domain.SessionWeb, domain.SessionMobile}[i%2]
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					res, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: "ed.mobile", Password: demoPW, Kind: kind})
					if err == nil {
						mu.Lock()
						tokens, kinds = append(tokens, res.Token), append(kinds, kind)
						if len(tokens) >= 8 {
							goingOnce.Do(func() { close(going) })
						}
						mu.Unlock()
					}
				}
			})
		}
		select {
		case <-going:
		case <-time.After(time.Minute): // a bound, not a wait: the loops should be signing in
			close(stop)
			wg.Wait()
			t.Fatal("the sign-in loops made no sessions")
		}
		ada, ed := e.user(t, "ada.admin"), e.user(t, "ed.mobile")
		_, err := e.svc.Admin.SetPassword(ctx, e.acme, ada, ed, "", true, false, "")
		require.NoError(t, err)
		token := e.requestLink(t, "ed.mobile")
		require.NoError(t, e.complete(token, newPW))
		close(stop)
		wg.Wait()
		alive := 0
		for i, tok := range tokens {
			if _, err := e.svc.Auth.Session(ctx, tok, kinds[i]); err == nil {
				alive++
			}
		}
		t.Logf("%d sign-ins with the old password, %d still valid", len(tokens), alive)
		assert.Zero(t, alive)
	})
}

// TestParallelRightPasswordsLockNobody: one person signing in from several devices at once
// (here 8 at a time, 120 sign-ins) with the right password is never locked out nor told
// the password is wrong. Attempts beyond the allowance in flight used to make a lock, and
// one made after a right password had cleared the counters stood for the whole lockout.
func TestParallelRightPasswordsLockNobody(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var mu sync.Mutex
		outcomes := map[string]int{}
		var wg sync.WaitGroup
		for i := range 8 {
			kind := []domain.SessionKind{domain.SessionWeb, domain.SessionMobile}[i%2]
			wg.Go(func() {
				for range 15 {
					_, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: "ed.mobile", Password: demoPW, Kind: kind})
					outcome := "signed in"
					if errors.Is(err, domain.ErrBusy) {
						outcome = "busy"
					} else if err != nil {
						outcome = fmt.Sprintf("%T", err)
					}
					mu.Lock()
					outcomes[outcome]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		t.Log(outcomes)
		assert.Equal(t, 120, outcomes["signed in"]+outcomes["busy"], "only sessions, or busy while more than the allowance were in flight")
		assert.Positive(t, outcomes["signed in"])
		_, err := e.signIn("ed.mobile", demoPW)
		require.NoError(t, err, "not locked afterwards")
	})
}

// TestManagerCannotUnlockAdministrator: unlocking an administrator would give a Manager
// unlimited guesses at that password (item 3).
func TestManagerCannotUnlockAdministrator(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for range 5 {
			_, _ = e.signIn("ada.admin", "wrong-password")
		}
		var fe *domain.ForbiddenError
		require.ErrorAs(t, e.svc.Admin.Unlock(context.Background(), e.user(t, "max.manager"), e.user(t, "ada.admin"), ""), &fe)
		_, err := e.signIn("ada.admin", demoPW)
		var locked *domain.LockedError
		assert.ErrorAs(t, err, &locked, "still locked")
		require.NoError(t, e.svc.Admin.Unlock(context.Background(), e.user(t, "max.manager"), e.user(t, "eve.employee"), ""), "an employee they cover, yes")
	})
}

// TestUnknownIdentifiersTakeTheHashPath: an unknown identifier, an account without a
// password yet, and a support name that does not exist each cost one real password
// check through the pool, as a known one does (item 4).
func TestUnknownIdentifiersTakeTheHashPath(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for _, ident := range []string{"eve.employee", "nobody.here"} {
			before := e.hasher.verifies.Load()
			_, err := e.signIn(ident, "wrong-password")
			require.ErrorIs(t, err, domain.ErrInvalidCredentials)
			assert.Equal(t, int64(1), e.hasher.verifies.Load()-before, ident)
		}
		for _, ident := range []string{"sam.support", "nobody.support"} {
			before := e.hasher.verifies.Load()
			_, err := e.svc.Support.SignIn(context.Background(), domain.SupportSignInRequest{Identifier: ident, Password: "wrong-password"})
			require.ErrorIs(t, err, domain.ErrInvalidCredentials)
			assert.Equal(t, int64(1), e.hasher.verifies.Load()-before, ident)
		}
	})
}

// TestAddressThrottledAcrossAccounts: one address trying a password on many accounts is
// refused after the limit, whatever it names, while other addresses sign in (item 5,
// ASVS 2.2.1).
func TestAddressThrottledAcrossAccounts(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		try := func(ident, pw, ip string) error {
			_, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: ident, Password: pw, IP: ip, Kind: domain.SessionWeb})
			return err
		}
		for i := range 50 {
			require.ErrorIs(t, try("sprayed"+string(rune('a'+i%26))+string(rune('a'+i/26)), "Winter2026!", "198.51.100.9"), domain.ErrInvalidCredentials)
		}
		before := e.hasher.verifies.Load()
		var th *domain.ThrottledError
		require.ErrorAs(t, try("eve.employee", demoPW, "198.51.100.9"), &th, "even a right password, from that address")
		require.ErrorAs(t, try("nobody.at.all", "x", "198.51.100.9"), &th, "the same answer for an unknown account")
		assert.Equal(t, before, e.hasher.verifies.Load(), "no hashing for a throttled address")
		assert.Equal(t, 15*60, th.SecondsLeft())
		require.NoError(t, try("eve.employee", demoPW, "198.51.100.10"), "another address is not affected")
		e.clock.Advance(15 * time.Minute)
		require.NoError(t, try("eve.employee", demoPW, "198.51.100.9"), "the window ends")
	})
}

// TestReenteringPasswordCounts: a stolen session is no guessing oracle; re-entering the
// current password counts against the account like sign-in (item 6).
func TestReenteringPasswordCounts(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.signIn("max.manager", demoPW)
		require.NoError(t, err)
		change := func(current string) error {
			return e.svc.Passwords.Change(context.Background(), e.acme, res.Session, current, domain.NewPassword{Password: newPW, Confirm: newPW}, "192.0.2.1")
		}
		for range 4 {
			assert.Contains(t, fieldErr(t, change("wrong-current-password"), "current"), "not right")
		}
		var locked *domain.LockedError
		require.ErrorAs(t, change("wrong-current-password"), &locked, "the fifth wrong password locks")
		before := e.hasher.verifies.Load()
		require.ErrorAs(t, change(demoPW), &locked, "even the right one, while locked")
		assert.Equal(t, before, e.hasher.verifies.Load())
		_, err = e.signIn("max.manager", demoPW)
		require.ErrorAs(t, err, &locked, "sign-in is locked too: one allowance per account")
		assert.Len(t, e.mail(t, "lockout"), 1)
	})
}

// TestUsernameAndEmailShareOneAllowance: switching between username and e-mail gives no
// extra guesses (item 7), and the warning before the last attempt is the same for an
// unknown identifier.
func TestUsernameAndEmailShareOneAllowance(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		before := e.hasher.verifies.Load()
		var last error
		for i := range 5 {
			ident := []string{"eve.employee", "eve@acme.test"}[i%2]
			_, last = e.signIn(ident, "wrong-password")
		}
		var locked *domain.LockedError
		require.ErrorAs(t, last, &locked, "five failures through either name lock the account")
		for _, ident := range []string{"eve.employee", "eve@acme.test"} {
			_, err := e.signIn(ident, demoPW)
			require.ErrorAs(t, err, &locked, ident)
		}
		assert.Equal(t, int64(5), e.hasher.verifies.Load()-before)

		for _, ident := range []string{"amy.accounts", "no.such.amy"} {
			var wrong *domain.InvalidCredentialsError
			for i := range 4 {
				_, err := e.signIn(ident, "wrong-password")
				require.ErrorAs(t, err, &wrong)
				assert.Equal(t, 4-i, wrong.AttemptsLeft, ident)
			}
			assert.True(t, wrong.LastTry(), "%s: the fourth answer warns", ident)
			assert.Equal(t, 15, wrong.LockMinutes)
		}
	})
}

// TestSecurityEventsNeedAuditPermission: an Account Manager may view employees but not
// their security events and addresses (item 8).
func TestSecurityEventsNeedAuditPermission(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		eve := e.user(t, "eve.employee")
		var fe *domain.ForbiddenError
		_, err := e.svc.Admin.Events(context.Background(), e.user(t, "amy.accounts"), eve, 10)
		require.ErrorAs(t, err, &fe)
		_, err = e.svc.Admin.Events(context.Background(), e.user(t, "ada.admin"), eve, 10)
		require.NoError(t, err)
	})
}

// TestLastAdministratorRuleIsAtomic: two administrators demoting, or disabling, each
// other at the same moment leave one who can manage roles (item 9).
func TestLastAdministratorRuleIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, act := range map[string]func(e *env, actor, target *domain.User) error{
		"demote": func(e *env, a, tg *domain.User) error {
			return e.svc.Admin.ChangeRole(ctx, a, tg, domain.RoleEmployee, "")
		},
		"disable": func(e *env, a, tg *domain.User) error { return e.svc.Admin.SetDisabled(ctx, a, tg, true, "") },
	} {
		t.Run(name, func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				ada := e.user(t, "ada.admin")
				_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, ada, domain.ProfileInput{DisplayName: "Bea Second", Username: "bea.second", Email: "bea@acme.test", Role: domain.RoleAdministrator, Generate: true}, "")
				require.NoError(t, err)
				admins := []*domain.User{ada, e.user(t, "bea.second")}
				var wg sync.WaitGroup
				errs := make([]error, 2)
				start := make(chan struct{})
				for i := range 2 {
					// Each administrator's request loads its own copies, as a handler does:
					// the services update the target they are given.
					actor, target := *admins[i], *admins[1-i]
					wg.Go(func() {
						<-start
						errs[i] = act(e, &actor, &target)
					})
				}
				close(start)
				wg.Wait()
				n, err := e.store.CountUsersWithPermission(ctx, e.acme.ID, domain.PermManageRoles, 0)
				require.NoError(t, err)
				assert.Equal(t, 1, n, "exactly one can still manage roles (errors %v)", errs)
				var fe *domain.ForbiddenError
				assert.True(t, errors.As(errs[0], &fe) != errors.As(errs[1], &fe), "one of the two is refused: %v", errs)
			})
		})
	}
}

// TestAdministratorRoleKeepsEveryPermission: an administrator cannot edit the built-in
// role, nor anyone their own role, into a dead end (item 10).
func TestAdministratorRoleKeepsEveryPermission(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada := e.user(t, "ada.admin")
		var fe *domain.ForbiddenError
		all := domain.AllPermissions
		require.ErrorAs(t, e.svc.Settings.SetRolePermissions(ctx, ada, ada.RoleID, all[1:], ""), &fe)
		assert.Equal(t, ada.Role.Permissions, e.user(t, "ada.admin").Role.Permissions)

		manager := e.user(t, "max.manager").Role
		grant := append([]domain.Permission{domain.PermManageRoles}, domain.PermViewEmployees, domain.PermResetPassword, domain.PermUnlock, domain.PermChangeEmail, domain.PermCreateProfile)
		require.NoError(t, e.svc.Settings.SetRolePermissions(ctx, ada, manager.ID, grant, ""))
		max := e.user(t, "max.manager")
		require.ErrorAs(t, e.svc.Settings.SetRolePermissions(ctx, max, manager.ID, grant[1:], ""), &fe, "not on one's own role")
		require.NoError(t, e.svc.Settings.SetRolePermissions(ctx, ada, manager.ID, grant[1:], ""), "another administrator can")
	})
}

// TestResetMailCannotBeSilencedByAStranger: requests from another address do not use up
// the owner's allowance (item 11), and a global ceiling still bounds the mail.
func TestResetMailCannotBeSilencedByAStranger(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for range 5 {
			require.NoError(t, e.svc.Reset.Request(ctx, e.acme, "eve.employee", "203.0.113.66"))
		}
		require.Len(t, e.mail(t, "reset"), 3)
		require.NoError(t, e.svc.Reset.Request(ctx, e.acme, "eve.employee", "192.0.2.44"))
		assert.Len(t, e.mail(t, "reset"), 4, "the owner still gets a link")
		for i := range 12 {
			_ = e.svc.Reset.Request(ctx, e.acme, "eve.employee", "203.0.113."+string(rune('a'+i)))
		}
		assert.Len(t, e.mail(t, "reset"), 11, "the global ceiling, and one more per identifier every few minutes (issue 21, item 12)")
	})
}

// TestSupportSessionsIdle: a support session left idle ends, like a web session (item
// 15; the rotation at sign-in is TestSupportSignInRotatesTheSession over HTTP).
func TestSupportSessionsIdle(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, err := e.svc.Support.SignIn(ctx, domain.SupportSignInRequest{Identifier: "sam.support", Password: demoPW})
		var need *domain.TwoStepRequiredError
		require.ErrorAs(t, err, &need)
		token, err := e.svc.TwoStep.CompleteSupport(ctx, e.svc.Support, need.Token, code(t, domain.DemoSupportTwoStepSecret, e.clock.Now()), "", "")
		require.NoError(t, err)
		e.clock.Advance(25 * time.Minute)
		_, err = e.svc.Support.Session(ctx, token)
		require.NoError(t, err, "used within the idle limit")
		e.clock.Advance(31 * time.Minute)
		_, err = e.svc.Support.Session(ctx, token)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "idle too long")
	})
}

// TestSupportLockoutIsTheRealRule: the support console's lock ends when the rule says,
// not at a made-up time.
func TestSupportLockoutIsTheRealRule(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var locked *domain.LockedError
		for range 5 {
			_, err := e.svc.Support.SignIn(ctx, domain.SupportSignInRequest{Identifier: "sam.support", Password: "wrong-password"})
			errors.As(err, &locked)
		}
		require.NotNil(t, locked)
		e.clock.Advance(10 * time.Minute)
		_, err := e.svc.Support.SignIn(ctx, domain.SupportSignInRequest{Identifier: "sam.support", Password: demoPW})
		require.ErrorAs(t, err, &locked)
		assert.Equal(t, 5, locked.MinutesLeft(), "the lock's real end, not ten minutes from now")
	})
}

// TestNamesRejectControlCharacters: a display name with a line break would write its own
// lines into e-mail (item 16).
func TestNamesRejectControlCharacters(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for _, name := range []string{"Eve\r\nBcc: all@acme.test", "Tab\tName", "Nul\x00Name", "Line\u2028Sep"} {
			_, _, err := e.svc.Admin.CreateProfile(context.Background(), e.acme, e.user(t, "ada.admin"),
				domain.ProfileInput{DisplayName: name, Username: "ctl.name", Email: "ctl@acme.test", Role: domain.RoleEmployee, Generate: true}, "")
			assert.Contains(t, fieldErr(t, err, "display_name"), "control characters", "%q", name)
		}
	})
}

// TestParallelAttemptsAcrossNamesAreCounted fires 50 wrong attempts at once, half by
// username and half by e-mail: the account's one allowance lets at most 5 reach a
// password check (item 7, under concurrency).
func TestParallelAttemptsAcrossNamesAreCounted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		before := e.hasher.verifies.Load()
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				_, err := e.signIn([]string{"amy.accounts", "amy@acme.test"}[i%2], "wrong-password")
				var locked *domain.LockedError
				if !errors.As(err, &locked) && !errors.Is(err, domain.ErrBusy) {
					assert.ErrorIs(t, err, domain.ErrInvalidCredentials)
				}
			})
		}
		wg.Wait()
		assert.LessOrEqual(t, e.hasher.verifies.Load()-before, int64(5))
		for _, ident := range []string{"amy.accounts", "amy@acme.test"} {
			_, err := e.signIn(ident, demoPW)
			var locked *domain.LockedError
			assert.ErrorAs(t, err, &locked, ident)
		}
	})
}

// TestRehashDoesNotUndoAPasswordChange: a sign-in that upgrades the old password's hash
// while an administrator sets a new password must not write the old password back.
func TestRehashDoesNotUndoAPasswordChange(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		stronger := &countingHasher{Pool: passwordhash.NewPool(passwordhash.Params{MemoryKiB: 2048, Time: 1, Threads: 1}, 0, 2*time.Second)}
		inside, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		hook := func(pw string) {
			if pw == demoPW {
				once.Do(func() { close(inside); <-release })
			}
		}
		stronger.onVerify.Store(&hook)
		svc := domain.NewServices(e.store, stronger, e.clock, domain.DefaultConfig(""))
		done := make(chan error)
		go func() {
			_, err := svc.Auth.SignIn(context.Background(), domain.SignInRequest{Portal: e.acme, Identifier: "eve.employee", Password: demoPW, Kind: domain.SessionWeb})
			done <- err
		}()
		select {
		case <-inside:
		case err := <-done:
			t.Fatalf("the sign-in ended before its password check: %v", err)
		}
		pw, err := e.svc.Admin.SetPassword(context.Background(), e.acme, e.user(t, "ada.admin"), e.user(t, "eve.employee"), newPW, false, false, "")
		require.NoError(t, err)
		close(release)
		require.NoError(t, <-done)
		_, err = e.signIn("eve.employee", pw)
		assert.NoError(t, err, "the new password still works")
		_, err = e.signIn("eve.employee", demoPW)
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "the old one does not")
	})
}

// TestPeersCannotTakeOverEachOther is issue 21, item 14: a Manager could set the password
// of, unlock, change the e-mail of and reset two-step for another Manager (the rule
// accepted equals), and an Administrator another Administrator. Each now needs a higher
// role, unless the portal's policy lets peers act for each other.
func TestPeersCannotTakeOverEachOther(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ada, maxm := e.user(t, "ada.admin"), e.user(t, "max.manager")
		for _, p := range []struct{ role, name string }{{domain.RoleManager, "mia.manager"}, {domain.RoleAdministrator, "alf.admin"}} {
			_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, ada, domain.ProfileInput{DisplayName: p.name, Username: p.name, Email: p.name + "@acme.test", Role: p.role, Temporary: demoPW}, "")
			require.NoError(t, err)
		}
		mia, alf := e.user(t, "mia.manager"), e.user(t, "alf.admin")
		e.enrol(t, "mia.manager")
		e.enrol(t, "alf.admin")
		peer := func(err error) bool {
			var fe *domain.ForbiddenError
			return errors.As(err, &fe) && fe.Rule == domain.ForbidPeer
		}
		attempts := func(actor, target *domain.User) []error {
			_, errPw := e.svc.Admin.SetPassword(ctx, e.acme, actor, target, "", true, true, "")
			errEmail := e.svc.Admin.ChangeEmail(ctx, e.acme, e.as(actor), target, "taken."+target.Username+"@evil.test", domain.Reauth{}, "")
			return []error{errPw, e.svc.Admin.Unlock(ctx, actor, target, ""), errEmail, e.svc.TwoStep.Reset(ctx, actor, target.ID, "")}
		}
		for _, c := range []struct{ actor, target *domain.User }{{maxm, mia}, {ada, alf}} {
			for i, err := range attempts(c.actor, c.target) {
				assert.True(t, peer(err), "%s on %s, action %d: %v", c.actor.Username, c.target.Username, i, err)
			}
		}
		assert.Equal(t, "mia.manager@acme.test", e.user(t, "mia.manager").Email, "nothing changed")
		for i, err := range attempts(ada, e.user(t, "mia.manager")) {
			assert.NoError(t, err, "a higher role may, action %d", i)
		}

		pol := e.acme.Policy
		pol.PeerCredentials = true
		require.NoError(t, e.svc.Settings.UpdatePolicy(ctx, ada, e.acme, pol, ""))
		for i, err := range attempts(ada, e.user(t, "alf.admin")) {
			assert.NoError(t, err, "with the policy switch, peers may, action %d", i)
		}
	})
}
