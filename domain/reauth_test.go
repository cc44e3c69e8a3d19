package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// Issue 21, item 1: whoever opened an enrolment page first saw the secret the person
// later confirmed. Each flow now has its own secret, and only that flow confirms it.
func TestEnrolmentSecretBelongsToItsFlow(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		proof := domain.Reauth{Password: demoPW}
		a, err := e.signIn("eve.employee", demoPW) // the person
		require.NoError(t, err)
		b, err := e.signIn("eve.employee", demoPW) // someone with her password or a copy of a session
		require.NoError(t, err)
		enB, err := e.svc.TwoStep.Begin(ctx, e.acme, b.Session)
		require.NoError(t, err)
		enA, err := e.svc.TwoStep.Begin(ctx, e.acme, a.Session)
		require.NoError(t, err)
		assert.NotEqual(t, enB.Secret, enA.Secret, "another session never sees this session's secret")

		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, b.Session, enA.Flow, code(t, enA.Secret, e.clock.Now()), proof, "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "another session's flow cannot be confirmed")
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, b.Session, enB.Flow, code(t, enA.Secret, e.clock.Now()), proof, "")
		assert.ErrorIs(t, err, domain.ErrWrongCode, "a code from another flow's secret does not confirm this one")

		again, err := e.svc.TwoStep.Begin(ctx, e.acme, a.Session)
		require.NoError(t, err)
		assert.NotEqual(t, enA.Secret, again.Secret, "a second opening of the page gets its own secret")
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, a.Session, enA.Flow, code(t, enA.Secret, e.clock.Now()), proof, "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "opening the page again ends the session's earlier flow")

		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, a.Session, again.Flow, code(t, again.Secret, e.clock.Now()), proof, "")
		require.NoError(t, err)
		e.clock.Advance(30 * time.Second)
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, b.Session, enB.Flow, code(t, enB.Secret, e.clock.Now()), proof, "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "once enrolled, the other flows are over")

		need := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(need.Token, code(t, enB.Secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrWrongCode, "a code from the other session's secret does not sign in")
		_, err = e.second(need.Token, code(t, again.Secret, e.clock.Now()), "")
		assert.NoError(t, err)
	})
}

// Issue 21, item 1, at the enrolment a required role is taken to after the password:
// each sign-in's challenge shows its own secret.
func TestRequiredEnrolmentSecretBelongsToItsSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.requireTwoStep(t, "Administrator")
		early := e.challenge(t, "ada.admin", demoPW) // someone who has the password, first
		enEarly, _, err := e.svc.TwoStep.EnrolmentFor(ctx, e.acme, early.Token)
		require.NoError(t, err)
		real := e.challenge(t, "ada.admin", demoPW)
		en, _, err := e.svc.TwoStep.EnrolmentFor(ctx, e.acme, real.Token)
		require.NoError(t, err)
		assert.NotEqual(t, enEarly.Secret, en.Secret, "the person never sees a secret shown to an earlier sign-in")
		again, _, err := e.svc.TwoStep.EnrolmentFor(ctx, e.acme, real.Token)
		require.NoError(t, err)
		assert.Equal(t, en.Secret, again.Secret, "a reload of the same sign-in shows the secret already scanned")

		in := domain.TwoStepInput{Portal: e.acme, Token: real.Token, Code: code(t, enEarly.Secret, e.clock.Now())}
		_, err = e.svc.TwoStep.ConfirmEnrolment(ctx, in)
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		in.Code = code(t, en.Secret, e.clock.Now())
		_, err = e.svc.TwoStep.ConfirmEnrolment(ctx, in)
		require.NoError(t, err)

		late := domain.TwoStepInput{Portal: e.acme, Token: early.Token, Code: code(t, enEarly.Secret, e.clock.Now())}
		_, err = e.svc.TwoStep.ConfirmEnrolment(ctx, late)
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "the earlier sign-in cannot replace the person's authenticator")
		e.clock.Advance(30 * time.Second)
		need := e.challenge(t, "ada.admin", demoPW)
		_, err = e.second(need.Token, code(t, enEarly.Secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
	})
}

// Issue 21, items 2 and 4: from a session alone, nobody moves two-step to a new app or
// gets new recovery codes; wrong codes there count toward the lockout and are audited.
func TestTwoStepChangesNeedReauthentication(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, recovery := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		res, err := e.second(need.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		stolen := res.Session
		other := e.challenge(t, "eve.employee", demoPW)
		e.clock.Advance(30 * time.Second)
		_, err = e.second(other.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		require.Equal(t, 2, e.sessions(t, "eve.employee"))
		e.clock.Advance(30 * time.Second)

		now := code(t, secret, e.clock.Now())
		_, err = e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, stolen, domain.Reauth{Code: now}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "a current code alone shows no new recovery codes")
		en, err := e.svc.TwoStep.Begin(ctx, e.acme, stolen)
		require.NoError(t, err)
		mine := code(t, en.Secret, e.clock.Now())
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, stolen, en.Flow, mine, domain.Reauth{Password: demoPW}, "")
		assert.ErrorIs(t, err, domain.ErrCodeFormat, "moving to a new app asks for a current code too")
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, stolen, en.Flow, mine, domain.Reauth{Code: now}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "and for the password")

		// Wrong codes on "new recovery codes" count like sign-in attempts (two wrong
		// passwords above already did) and are audited.
		wrong := domain.Reauth{Password: demoPW, Code: code(t, secret, e.clock.Now().Add(-time.Hour))}
		_, err = e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, stolen, wrong, "192.0.2.7")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		_, err = e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, stolen, wrong, "192.0.2.7")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		_, err = e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, stolen, wrong, "192.0.2.7")
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked, "the fifth wrong proof locks")
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{Type: domain.EventTwoStepFailed}, 10)
		require.NoError(t, err)
		assert.Len(t, events, 2, "wrong codes are audited two_step_failed")
		_, err = e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, stolen, domain.Reauth{Password: demoPW, Code: now}, "")
		assert.ErrorAs(t, err, &locked, "refused unchecked while locked")

		// The person, once the lock ended: password and a recovery code move two-step to
		// the new app and sign out every other session.
		e.clock.Advance(16 * time.Minute)
		en, err = e.svc.TwoStep.Begin(ctx, e.acme, stolen)
		require.NoError(t, err)
		codes, err := e.svc.TwoStep.Confirm(ctx, e.acme, stolen, en.Flow, code(t, en.Secret, e.clock.Now()), domain.Reauth{Password: demoPW, Code: recovery[0]}, "")
		require.NoError(t, err)
		assert.Len(t, codes, 10)
		assert.Equal(t, 1, e.sessions(t, "eve.employee"), "the other sessions are signed out")
	})
}

// Issue 21, item 2: a manager's session alone cannot change the manager's own e-mail
// address (then send itself a reset link); with the password it can, and the other
// sessions end. Changing someone else's address asks for nothing more.
func TestOwnEmailChangeNeedsReauthentication(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.signIn("max.manager", demoPW)
		require.NoError(t, err)
		_, err = e.signIn("max.manager", demoPW)
		require.NoError(t, err)
		max := e.user(t, "max.manager")
		err = e.svc.Admin.ChangeEmail(ctx, e.acme, res.Session, max, "thief@evil.test", domain.Reauth{}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials)
		assert.Equal(t, "max@acme.test", e.user(t, "max.manager").Email)
		for range 4 {
			err = e.svc.Admin.ChangeEmail(ctx, e.acme, res.Session, max, "thief@evil.test", domain.Reauth{Password: "guess-guess-guess"}, "")
		}
		var locked *domain.LockedError
		assert.ErrorAs(t, err, &locked, "wrong passwords here count like sign-in attempts")
		e.clock.Advance(16 * time.Minute)

		require.NoError(t, e.svc.Admin.ChangeEmail(ctx, e.acme, res.Session, max, "max.new@acme.test", domain.Reauth{Password: demoPW}, ""))
		assert.Equal(t, "max.new@acme.test", e.user(t, "max.manager").Email)
		assert.Equal(t, 1, e.sessions(t, "max.manager"), "the other session is signed out")
		require.NoError(t, e.svc.Admin.ChangeEmail(ctx, e.acme, res.Session, e.user(t, "eve.employee"), "eve.new@acme.test", domain.Reauth{}, ""))
		_, err = e.svc.Admin.SetPassword(ctx, e.acme, max, max, "chosen-by-a-thief-2026", false, false, "")
		var fe *domain.ForbiddenError
		assert.ErrorAs(t, err, &fe, "nor set one's own password from the profile page")
	})
}

// Issue 21, item 10: an administrator's two-step reset (lost phone) left the person's
// sessions and app tokens working, for whoever holds the phone; turning two-step on
// left older sessions alive. Both now sign the other sessions out.
func TestTwoStepResetAndEnrolmentSignOutSessions(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		web, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		app, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: "eve.employee", Password: demoPW, IP: "192.0.2.1", Device: "phone", Kind: domain.SessionMobile})
		require.NoError(t, err)
		secret, _ := e.enrol(t, "eve.employee") // from a third session
		_, err = e.svc.Auth.Session(ctx, web.Token, domain.SessionWeb)
		assert.Error(t, err, "turning two-step on signs out the older sessions")

		need := e.challenge(t, "eve.employee", demoPW)
		web2, err := e.second(need.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		require.NoError(t, e.svc.TwoStep.Reset(ctx, e.user(t, "max.manager"), e.user(t, "eve.employee").ID, ""))
		_, err = e.svc.Auth.Session(ctx, web2.Token, domain.SessionWeb)
		assert.Error(t, err, "an administrator's reset signs out every session")
		_, err = e.svc.Auth.Session(ctx, app.Token, domain.SessionMobile)
		assert.Error(t, err, "and every app token")
	})
}

// Issue 21, item 11: wrong codes after a right password locked with an e-mail that said
// "wrong password", never telling the owner that their password is known.
func TestCodeLockMailSaysPasswordIsKnown(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		wrong := code(t, secret, e.clock.Now().Add(-time.Hour))
		var err error
		for range 4 {
			_, err = e.second(need.Token, wrong, "")
		}
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked)
		mails := e.mail(t, "lockout")
		require.Len(t, mails, 1)
		assert.Contains(t, mails[0].TextBody, "entered the right password")
		assert.Contains(t, mails[0].TextBody, "Your password is known to someone else: change it now")
		assert.NotContains(t, mails[0].TextBody, "with a wrong password")
	})
}

// Issue 21, item 11: a code entered again after a right password (a replay of what
// someone saw) sent nothing; the person is now told.
func TestReplayedCodeTellsThePerson(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		c := code(t, secret, e.clock.Now())
		need := e.challenge(t, "eve.employee", demoPW)
		_, err := e.second(need.Token, c, "")
		require.NoError(t, err)
		again := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(again.Token, c, "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		mails := e.mail(t, "two_step_replayed")
		require.Len(t, mails, 1)
		assert.Contains(t, mails[0].TextBody, "a two-step code that had already been used")
		_, err = e.second(again.Token, code(t, secret, e.clock.Now().Add(-time.Hour)), "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		assert.Len(t, e.mail(t, "two_step_replayed"), 1, "a plainly wrong code sends nothing")
	})
}
