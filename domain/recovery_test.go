package domain_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

const passPW = "a long new passphrase for the guard"

func (e *env) ask(t testing.TB, ident string) *domain.HelpTicket {
	t.Helper()
	tk, err := e.svc.Recovery.Ask(ctx, e.acme, domain.HelpAsk{Identifier: ident, Problem: string(domain.ProblemLocked), Message: "locked out at the gate", Phone: "+1 555 0100", IP: "198.51.100.7"})
	require.NoError(t, err)
	return tk
}

// helpCase returns the one open request of ident in actor's inbox.
func (e *env) helpCase(t testing.TB, actor, ident string) domain.HelpCase {
	t.Helper()
	cases, err := e.svc.Recovery.Inbox(ctx, e.acme, e.user(t, actor))
	require.NoError(t, err)
	for _, c := range cases {
		if c.User.Username == ident {
			return c
		}
	}
	t.Fatalf("no request of %s in %s's inbox", ident, actor)
	return domain.HelpCase{}
}

// verified asks for ident and has max.manager check them in person.
func (e *env) verified(t testing.TB, ident string) (*domain.HelpTicket, int64) {
	t.Helper()
	tk := e.ask(t, ident)
	id := e.helpCase(t, "max.manager", ident).Request.ID
	require.NoError(t, e.svc.Recovery.Verify(ctx, e.acme, e.user(t, "max.manager"), id,
		domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "works my shift"}, "192.0.2.9"))
	return tk, id
}

func TestHelpAskAnswersTheSameForUnknownAccounts(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		real, made := e.ask(t, "eve.employee"), e.ask(t, "nobody.here")
		for _, tk := range []*domain.HelpTicket{real, made} {
			assert.Regexp(t, `^HR-[A-Z2-9]{6}$`, tk.Reference)
			assert.Regexp(t, `^[0-9]{6}$`, tk.Code)
			assert.True(t, domain.ValidTokenShape(tk.WaitToken))
			assert.True(t, domain.ValidTokenShape(tk.BrowserKey))
			assert.Equal(t, e.clock.Now().Add(24*time.Hour), tk.ExpiresAt)
		}
		// Both waiting pages read the same: waiting.
		for _, tk := range []*domain.HelpTicket{real, made} {
			w, err := e.svc.Recovery.Wait(ctx, e.acme, tk.WaitToken, tk.BrowserKey)
			require.NoError(t, err)
			assert.Equal(t, domain.HelpOpen, w.Status)
		}
		// Only the real one reaches helpers, by e-mail and in their inbox.
		assert.Len(t, e.mail(t, "help_request"), 2, "ada.admin and max.manager are told")
		cases, err := e.svc.Recovery.Inbox(ctx, e.acme, e.user(t, "ada.admin"))
		require.NoError(t, err)
		require.Len(t, cases, 1)
		assert.Equal(t, "eve.employee", cases[0].User.Username)

		// Past the per-identifier limit the answer is still a ticket, not an error.
		for range 5 {
			e.ask(t, "nobody.here")
		}
		_, err = e.svc.Recovery.Ask(ctx, e.acme, domain.HelpAsk{Identifier: "", Problem: "locked"})
		var ve *domain.ValidationError
		assert.ErrorAs(t, err, &ve, "an empty form is a field error")
	})
}

func TestHelpOneOpenRequestPerPerson(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		first := e.ask(t, "eve.employee")
		second := e.ask(t, "eve@acme.test")
		cases, err := e.svc.Recovery.Inbox(ctx, e.acme, e.user(t, "max.manager"))
		require.NoError(t, err)
		require.Len(t, cases, 1, "a new ask replaces the open one")
		assert.Equal(t, second.Reference, cases[0].Request.Reference)
		_, err = e.svc.Recovery.Wait(ctx, e.acme, first.WaitToken, first.BrowserKey)
		assert.ErrorIs(t, err, domain.ErrHelpRequestClosed)
	})
}

func TestHelpFiveWrongCodesLockTheRequest(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		tk := e.ask(t, "eve.employee")
		max := e.user(t, "max.manager")
		id := e.helpCase(t, "max.manager", "eve.employee").Request.ID
		wrong := "000000"
		if tk.Code == wrong {
			wrong = "111111"
		}
		for i := 1; i <= 4; i++ {
			err := e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: wrong, Method: domain.CheckInPerson, Note: "knows me"}, "")
			var ve *domain.ValidationError
			require.ErrorAs(t, err, &ve, "wrong code %d", i)
			assert.Equal(t, "recovery.errors.wrong_code", ve.Fields["request_code"])
		}
		// A wrong e-mailed code counts too, and is the fifth.
		require.NoError(t, e.svc.Recovery.SendEmailCode(ctx, e.acme, max, id, ""))
		err := e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckEmailCode, Code: "999 999"}, "")
		assert.ErrorIs(t, err, domain.ErrHelpRequestClosed)
		// Locked: even the right codes no longer work, and the inbox drops it.
		err = e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "knows me"}, "")
		assert.ErrorIs(t, err, domain.ErrHelpRequestClosed)
		cases, err := e.svc.Recovery.Inbox(ctx, e.acme, max)
		require.NoError(t, err)
		assert.Empty(t, cases)
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{Type: domain.EventHelpLocked}, 5)
		require.NoError(t, err)
		assert.Len(t, events, 1)
	})
}

func TestHelpEmailedCodeChecksIdentity(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		tk := e.ask(t, "eve.employee")
		max := e.user(t, "max.manager")
		id := e.helpCase(t, "max.manager", "eve.employee").Request.ID
		require.NoError(t, e.svc.Recovery.SendEmailCode(ctx, e.acme, max, id, ""))
		msgs := e.mail(t, "help_code")
		require.Len(t, msgs, 1)
		assert.Equal(t, "eve@acme.test", msgs[0].ToAddr)
		code := regexpFind(t, `([0-9]{3} [0-9]{3})`, msgs[0].TextBody)
		require.NoError(t, e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckEmailCode, Code: code}, ""))
		c, err := e.svc.Recovery.Case(ctx, e.acme, max, id)
		require.NoError(t, err)
		assert.Equal(t, domain.HelpVerified, c.Request.Status)
	})
}

func TestHelpAuthenticatorCodeChecksIdentity(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		tk := e.ask(t, "eve.employee")
		max := e.user(t, "max.manager")
		c := e.helpCase(t, "max.manager", "eve.employee")
		assert.True(t, c.TwoStep)
		require.NoError(t, e.svc.Recovery.Verify(ctx, e.acme, max, c.Request.ID, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckAuthCode, Code: code(t, secret, e.clock.Now())}, ""))
	})
}

func TestRecoveryPassWorksOnceAndExpires(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		max := e.user(t, "max.manager")
		// Before the check, no pass.
		tk := e.ask(t, "eve.employee")
		id := e.helpCase(t, "max.manager", "eve.employee").Request.ID
		_, err := e.svc.Recovery.IssuePass(ctx, e.acme, max, id, domain.PassOptions{}, "")
		assert.ErrorIs(t, err, domain.ErrNotVerified)
		require.NoError(t, e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "my team"}, ""))

		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, max, id, domain.PassOptions{}, "")
		require.NoError(t, err)
		assert.Regexp(t, `^[a-z2-9]{4}-[a-z2-9]{4}$`, pass.Code)
		assert.Equal(t, e.clock.Now().Add(15*time.Minute), pass.ExpiresAt)
		token := pass.Link[strings.LastIndex(pass.Link, "/")+1:]

		// The waiting page of the browser that asked shows it; another browser sees nothing.
		w, err := e.svc.Recovery.Wait(ctx, e.acme, tk.WaitToken, tk.BrowserKey)
		require.NoError(t, err)
		require.Equal(t, domain.HelpIssued, w.Status)
		assert.Equal(t, pass.Code, w.Pass.Code)
		_, err = e.svc.Recovery.Wait(ctx, e.acme, tk.WaitToken, "someone-elses-browser-key-aaaaaaaaaaaaaaaaa")
		assert.ErrorIs(t, err, domain.ErrHelpRequestClosed)

		// A weak password is refused and does not use up the pass.
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, token, "", domain.NewPassword{Password: "short", Confirm: "short"}, "")
		var ve *domain.ValidationError
		require.ErrorAs(t, err, &ve)
		// The old password is history.
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, token, "", domain.NewPassword{Password: demoPW, Confirm: demoPW}, "")
		require.ErrorAs(t, err, &ve)

		u, err := e.svc.Recovery.Redeem(ctx, e.acme, "", strings.ToUpper(pass.Code), domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		require.NoError(t, err)
		assert.Equal(t, "eve.employee", u.Username)
		_, err = e.signIn("eve.employee", passPW)
		require.NoError(t, err, "the new password works")

		// Once: neither the link nor the code works again.
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, token, "", domain.NewPassword{Password: passPW + "x", Confirm: passPW + "x"}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidToken)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, "", pass.Code, domain.NewPassword{Password: passPW + "x", Confirm: passPW + "x"}, "")
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "recovery.errors.pass_wrong", ve.Fields["code"])
		assert.Len(t, e.mail(t, "helped_back_in"), 1)
		assert.Empty(t, e.mail(t, "password_changed"), "the recovery's own notice replaces the generic one")

		// Expiry: a new request's pass is dead after 15 minutes.
		_, id2 := e.verified(t, "ed.mobile")
		pass2, err := e.svc.Recovery.IssuePass(ctx, e.acme, max, id2, domain.PassOptions{}, "")
		require.NoError(t, err)
		e.clock.Advance(15 * time.Minute)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, "", pass2.Code, domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		require.ErrorAs(t, err, &ve)

		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{UserID: u.ID}, 50)
		require.NoError(t, err)
		var types []string
		for _, ev := range events {
			types = append(types, ev.Type)
		}
		for _, want := range []string{domain.EventHelpRequested, domain.EventHelpChecked, domain.EventPassIssued, domain.EventPassRedeemed} {
			assert.Contains(t, types, want)
		}
	})
}

func TestRecoveryEndsLockAndSessionsKeepsTwoStep(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		_, err := e.second(need.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		for range 5 {
			_, _ = e.signIn("eve.employee", "wrong password here")
		}
		_, err = e.signIn("eve.employee", demoPW)
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked)

		_, id := e.verified(t, "eve.employee")
		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, e.user(t, "max.manager"), id, domain.PassOptions{}, "")
		require.NoError(t, err)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, "", pass.Code, domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		require.NoError(t, err)
		assert.Zero(t, e.sessions(t, "eve.employee"), "every session is signed out")
		e.clock.Advance(30 * time.Second)
		e.challenge(t, "eve.employee", passPW) // unlocked, and two-step still asked for
		assert.Contains(t, e.mail(t, "helped_back_in")[0].TextBody, "stays as it was")
	})
}

func TestRecoveryResetsTwoStepOnlyWithThePermission(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.enrol(t, "eve.employee")
		_, id := e.verified(t, "eve.employee")
		// A role that may handle help but not reset two-step cannot add that to a pass.
		limited := e.user(t, "max.manager")
		limited.Role.Permissions = strings.ReplaceAll(limited.Role.Permissions, string(domain.PermResetTwoStep), "")
		_, err := e.svc.Recovery.IssuePass(ctx, e.acme, limited, id, domain.PassOptions{ResetTwoStep: true}, "")
		var fe *domain.ForbiddenError
		require.ErrorAs(t, err, &fe)

		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, e.user(t, "max.manager"), id, domain.PassOptions{ResetTwoStep: true}, "")
		require.NoError(t, err)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, "", pass.Code, domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		require.NoError(t, err)
		res, err := e.signIn("eve.employee", passPW)
		require.NoError(t, err, "two-step was removed, the password alone signs in")
		assert.NotNil(t, res)
	})
}

func TestRecoveryCorrectsTheEmail(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, id := e.verified(t, "eve.employee")
		acct := e.user(t, "amy.accounts")
		acct.Role.Permissions += " " + string(domain.PermHandleHelp)
		_, err := e.svc.Recovery.IssuePass(ctx, e.acme, acct, id, domain.PassOptions{NewEmail: "eve.new@acme.test"}, "")
		var fe *domain.ForbiddenError
		require.ErrorAs(t, err, &fe, "correcting the e-mail needs the change-e-mail permission")

		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, e.user(t, "max.manager"), id, domain.PassOptions{NewEmail: "Eve.New@acme.test"}, "")
		require.NoError(t, err)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, "", pass.Code, domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		require.NoError(t, err)
		assert.Equal(t, "eve.new@acme.test", e.user(t, "eve.employee").Email)
		var to []string
		for _, m := range e.mail(t, "helped_back_in") {
			to = append(to, m.ToAddr)
		}
		assert.ElementsMatch(t, []string{"eve@acme.test", "eve.new@acme.test"}, to, "old and new address are told")
	})
}

func TestHelpNoEscalationAndNotOneself(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		tk := e.ask(t, "ada.admin")
		max, ada, amy := e.user(t, "max.manager"), e.user(t, "ada.admin"), e.user(t, "amy.accounts")
		cases, err := e.svc.Recovery.Inbox(ctx, e.acme, max)
		require.NoError(t, err)
		assert.Empty(t, cases, "a manager does not see an administrator's request")
		adaCases, err := e.svc.Recovery.Inbox(ctx, e.acme, ada)
		require.NoError(t, err)
		assert.Empty(t, adaCases, "nobody sees their own request")

		id := e.openID(t, ada)
		var fe *domain.ForbiddenError
		err = e.svc.Recovery.Verify(ctx, e.acme, max, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "boss"}, "")
		require.ErrorAs(t, err, &fe, "a manager cannot help an administrator")
		assert.Equal(t, domain.ForbidTargetOutranks, fe.Rule)
		err = e.svc.Recovery.Verify(ctx, e.acme, ada, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "me"}, "")
		require.ErrorAs(t, err, &fe, "nobody acts on their own request")
		assert.Equal(t, domain.ForbidOwnAccount, fe.Rule)
		_, err = e.svc.Recovery.Inbox(ctx, e.acme, amy)
		require.ErrorAs(t, err, &fe, "an Account Manager lacks the permission")

		// Another administrator may help, but the default policy refuses "in person" for
		// an administrator's account: a code is needed.
		other := e.newAdmin(t)
		err = e.svc.Recovery.Verify(ctx, e.acme, other, id, domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "boss"}, "")
		var ve *domain.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "recovery.errors.in_person_admin", ve.Fields["method"])

		// Another portal's administrator never finds it.
		gus, err := e.store.UserByIdentifier(ctx, e.globex.ID, "gus.admin")
		require.NoError(t, err)
		_, err = e.svc.Recovery.Case(ctx, e.globex, gus, id)
		assert.ErrorIs(t, err, domain.ErrNotFound)
	})
}

// openID is the id of u's open request, read from the store (nobody's inbox shows it).
func (e *env) openID(t testing.TB, u *domain.User) int64 {
	t.Helper()
	reqs, err := e.store.OpenHelpRequests(ctx, e.acme.ID, e.clock.Now(), 10)
	require.NoError(t, err)
	for _, r := range reqs {
		if r.UserID == u.ID {
			return r.ID
		}
	}
	t.Fatalf("no open request of %s", u.Username)
	return 0
}

// newAdmin creates a second administrator of acme.
func (e *env) newAdmin(t testing.TB) *domain.User {
	t.Helper()
	_, _, err := e.svc.Admin.CreateProfile(ctx, e.acme, e.user(t, "ada.admin"), domain.ProfileInput{DisplayName: "Other Admin", Username: "other.admin", Email: "other@acme.test", Role: domain.RoleAdministrator, Generate: true}, "")
	require.NoError(t, err)
	return e.user(t, "other.admin")
}

func regexpFind(t testing.TB, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	require.NotNil(t, m, "%q in %q", pattern, s)
	return m[1]
}

func TestHelpPolicyMayAcceptInPersonForAdministrators(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ada := e.user(t, "ada.admin")
		pol := e.acme.Policy
		pol.HelpInPersonForAdmins = true
		require.NoError(t, e.svc.Settings.UpdatePolicy(ctx, ada, e.acme, pol, ""))
		tk := e.ask(t, "ada.admin")
		other := e.newAdmin(t)
		// One administrator is the other's peer (issue 21, item 14): "in person" needs
		// the policy's same-rank switch too.
		err := e.svc.Recovery.Verify(ctx, e.acme, other, e.openID(t, ada),
			domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "sits next to me"}, "")
		var ve *domain.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "devices.recovery.in_person_peer", ve.Fields["method"])
		pol.PeerCredentials = true
		require.NoError(t, e.svc.Settings.UpdatePolicy(ctx, ada, e.acme, pol, ""))
		reloaded, err := e.store.PortalByID(ctx, e.acme.ID)
		require.NoError(t, err)
		assert.True(t, reloaded.Policy.HelpInPersonForAdmins)
		assert.Equal(t, 24, reloaded.Policy.HelpRequestHours)
		require.NoError(t, e.svc.Recovery.Verify(ctx, reloaded, other, e.openID(t, ada),
			domain.HelpCheck{RequestCode: tk.Code, Method: domain.CheckInPerson, Note: "sits next to me"}, ""))
	})
}

// TestRecoveryPassBelongsToItsPortal: a pass, a waiting page and a request of one portal
// mean nothing in another.
func TestRecoveryPassBelongsToItsPortal(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		tk, id := e.verified(t, "eve.employee")
		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, e.user(t, "max.manager"), id, domain.PassOptions{}, "")
		require.NoError(t, err)
		token := pass.Link[strings.LastIndex(pass.Link, "/")+1:]
		_, err = e.svc.Recovery.Wait(ctx, e.globex, tk.WaitToken, tk.BrowserKey)
		assert.ErrorIs(t, err, domain.ErrHelpRequestClosed)
		_, err = e.svc.Recovery.Redeem(ctx, e.globex, token, "", domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidToken)
		_, err = e.svc.Recovery.Redeem(ctx, e.globex, "", pass.Code, domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		var ve *domain.ValidationError
		assert.ErrorAs(t, err, &ve)
		_, err = e.svc.Recovery.Redeem(ctx, e.acme, token, "", domain.NewPassword{Password: passPW, Confirm: passPW}, "")
		assert.NoError(t, err, "the pass still works in its own portal")
	})
}

// TestRecoveryPassRedeemedOnceUnderRace: of two redemptions at once, exactly one sets
// the password.
func TestRecoveryPassRedeemedOnceUnderRace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, id := e.verified(t, "eve.employee")
		pass, err := e.svc.Recovery.IssuePass(ctx, e.acme, e.user(t, "max.manager"), id, domain.PassOptions{}, "")
		require.NoError(t, err)
		errs := make(chan error, 2)
		for _, pw := range []string{passPW, passPW + " two"} {
			go func() {
				_, err := e.svc.Recovery.Redeem(ctx, e.acme, "", pass.Code, domain.NewPassword{Password: pw, Confirm: pw}, "")
				errs <- err
			}()
		}
		ok := 0
		for range 2 {
			if err := <-errs; err == nil {
				ok++
			}
		}
		assert.Equal(t, 1, ok)
		assert.Len(t, e.mail(t, "helped_back_in"), 1)
	})
}

// TestRecoveryPassCodeGuessesAreCounted: typed pass codes count per address.
func TestRecoveryPassCodeGuessesAreCounted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		var throttled *domain.ThrottledError
		for i := range 11 {
			_, err := e.svc.Recovery.Redeem(ctx, e.acme, "", "zzzz-zzzz", domain.NewPassword{Password: passPW, Confirm: passPW}, "203.0.113.5")
			if i < 10 {
				var ve *domain.ValidationError
				require.ErrorAs(t, err, &ve, "guess %d", i+1)
			} else {
				require.ErrorAs(t, err, &throttled, "the eleventh guess from one address is refused")
			}
		}
	})
}

// TestHelpAskLimits: past the limits a request is dropped without a word (the answer is
// still a ticket), and a stranger's asks from elsewhere do not use up the owner's own.
func TestHelpAskLimits(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		from := func(ip string) *domain.HelpTicket {
			tk, err := e.svc.Recovery.Ask(ctx, e.acme, domain.HelpAsk{Identifier: "eve.employee", Problem: "locked", IP: ip})
			require.NoError(t, err)
			return tk
		}
		stored := func(tk *domain.HelpTicket) bool {
			_, err := e.svc.Recovery.Wait(ctx, e.acme, tk.WaitToken, tk.BrowserKey)
			return err == nil
		}
		for i := range 3 {
			assert.True(t, stored(from("203.0.113.9")), "ask %d from the stranger", i+1)
		}
		assert.False(t, stored(from("203.0.113.9")), "the fourth from one address is dropped")
		assert.True(t, stored(from("198.51.100.20")), "the owner's own address still asks")
	})
}
