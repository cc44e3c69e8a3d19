package domain_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

var ctx = context.Background()

// code is what an authenticator app shows for secret at t.
func code(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return c
}

// enrol turns two-step on for ident and returns the secret and the recovery codes.
func (e *env) enrol(t testing.TB, ident string) (string, []string) {
	t.Helper()
	sess := e.as(e.user(t, ident))
	en, err := e.svc.TwoStep.Begin(ctx, e.acme, sess)
	require.NoError(t, err)
	codes, err := e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, code(t, en.Secret, e.clock.Now()), domain.Reauth{Password: demoPW}, "192.0.2.1")
	require.NoError(t, err)
	e.clock.Advance(30 * time.Second) // the confirming code is used up
	return en.Secret, codes
}

// challenge signs in with the password and returns the second step's token.
func (e *env) challenge(t testing.TB, ident, pw string) *domain.TwoStepRequiredError {
	t.Helper()
	res, err := e.signIn(ident, pw)
	require.Nil(t, res, "the password alone makes no session")
	var need *domain.TwoStepRequiredError
	require.ErrorAs(t, err, &need)
	return need
}

func (e *env) second(token, code, recovery string) (*domain.TwoStepResult, error) {
	return e.svc.TwoStep.Complete(ctx, domain.TwoStepInput{Portal: e.acme, Token: token, Code: code, Recovery: recovery, IP: "192.0.2.1", Kind: domain.SessionWeb})
}

func (e *env) sessions(t testing.TB, ident string) int {
	t.Helper()
	u := e.user(t, ident)
	list, err := e.store.UserSessions(ctx, e.acme.ID, u.ID, e.clock.Now())
	require.NoError(t, err)
	return len(list)
}

func (e *env) requireTwoStep(t testing.TB, roles string) {
	t.Helper()
	e.acme.Policy.TwoStepRoles = roles
	require.NoError(t, e.store.UpdatePolicy(ctx, e.acme.ID, e.acme.Policy))
}

func TestTwoStepEnrolment(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		u := e.user(t, "eve.employee")
		sess, proof := e.as(u), domain.Reauth{Password: demoPW}
		en, err := e.svc.TwoStep.Begin(ctx, e.acme, sess)
		require.NoError(t, err)
		assert.Len(t, en.Secret, 32)
		assert.Contains(t, en.URI, "otpauth://totp/Acme%20Security:eve.employee?")
		shown, err := e.svc.TwoStep.Flow(ctx, e.acme, sess, en.Flow)
		require.NoError(t, err)
		assert.Equal(t, en.Secret, shown.Secret, "a form sent back shows its flow's secret again")

		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, "12345", proof, "")
		assert.ErrorIs(t, err, domain.ErrCodeFormat)
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, "abcdef", proof, "")
		assert.ErrorIs(t, err, domain.ErrCodeFormat)
		wrong := code(t, en.Secret, e.clock.Now().Add(-5*time.Minute))
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, wrong, proof, "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, code(t, en.Secret, e.clock.Now()), domain.Reauth{Password: "not-the-password"}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "turning it on asks for the password")
		st, err := e.svc.TwoStep.Status(ctx, e.acme, u)
		require.NoError(t, err)
		assert.False(t, st.Enrolled, "a wrong code saves nothing")
		_, err = e.signIn("eve.employee", demoPW)
		assert.NoError(t, err, "not enrolled yet: the password suffices")

		c := code(t, en.Secret, e.clock.Now())
		codes, err := e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, c[:3]+" "+c[3:], proof, "192.0.2.1")
		require.NoError(t, err)
		assert.Len(t, codes, 10)
		assert.Regexp(t, `^[a-z2-9]{5}-[a-z2-9]{5}$`, codes[0])
		st, err = e.svc.TwoStep.Status(ctx, e.acme, u)
		require.NoError(t, err)
		assert.True(t, st.Enrolled)
		assert.Equal(t, 10, st.RecoveryLeft)
		assert.Len(t, e.mail(t, "two_step_enabled"), 1)
		_, err = e.svc.TwoStep.Confirm(ctx, e.acme, sess, en.Flow, c, proof, "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "a flow confirms once")

		ts, err := e.store.TwoStep(ctx, e.acme.ID, u.ID)
		require.NoError(t, err)
		assert.NotContains(t, ts.Secret, en.Secret, "the secret is stored sealed")
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{UserID: u.ID, Type: domain.EventTwoStepEnabled}, 10)
		require.NoError(t, err)
		assert.Len(t, events, 1)
	})
}

func TestTwoStepSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		assert.False(t, need.Enrol)
		assert.Zero(t, e.sessions(t, "eve.employee"), "the password alone makes no session")

		_, err := e.second(need.Token, "12 34", "")
		assert.ErrorIs(t, err, domain.ErrCodeFormat)
		_, err = e.second("not-a-token", code(t, secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded)

		c := code(t, secret, e.clock.Now())
		res, err := e.second(need.Token, c, "")
		require.NoError(t, err)
		assert.Equal(t, "eve.employee", res.User.Username)
		assert.Equal(t, 1, e.sessions(t, "eve.employee"))

		_, err = e.second(need.Token, c, "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "a challenge works once")

		again := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(again.Token, c, "")
		assert.ErrorIs(t, err, domain.ErrWrongCode, "a code works once")
		e.clock.Advance(30 * time.Second)
		_, err = e.second(again.Token, code(t, secret, e.clock.Now().Add(-30*time.Second)), "")
		assert.ErrorIs(t, err, domain.ErrWrongCode, "an older code after a newer one is a replay too")
		_, err = e.second(again.Token, code(t, secret, e.clock.Now().Add(30*time.Second)), "")
		assert.NoError(t, err, "one step of clock skew is accepted")

		late := e.challenge(t, "eve.employee", demoPW)
		e.clock.Advance(6 * time.Minute)
		_, err = e.second(late.Token, code(t, secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "the pending state is short-lived")
	})
}

func TestTwoStepParallelCodeOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		a, b := e.challenge(t, "eve.employee", demoPW), e.challenge(t, "eve.employee", demoPW)
		c := code(t, secret, e.clock.Now())
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, tok := range []string{a.Token, b.Token} {
			wg.Go(func() { _, errs[i] = e.second(tok, c, "") })
		}
		wg.Wait()
		passed := 0
		for _, err := range errs {
			if err == nil {
				passed++
			} else {
				assert.ErrorIs(t, err, domain.ErrWrongCode)
			}
		}
		assert.Equal(t, 1, passed, "of two parallel submissions of one code, one passes")
	})
}

func TestTwoStepWrongCodesLock(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW) // attempt 1 of 5
		wrong := code(t, secret, e.clock.Now().Add(-10*time.Minute))
		for range 3 {
			_, err := e.second(need.Token, wrong, "")
			require.ErrorIs(t, err, domain.ErrWrongCode)
		}
		_, err := e.second(need.Token, wrong, "")
		var locked *domain.LockedError
		require.ErrorAs(t, err, &locked, "wrong codes count toward the password lockout")
		assert.Len(t, e.mail(t, "lockout"), 1)

		_, err = e.signIn("eve.employee", demoPW)
		assert.ErrorAs(t, err, &locked, "the password is refused unchecked while locked")
		_, err = e.second(need.Token, code(t, secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "the locked sign-in is over")

		e.clock.Advance(16 * time.Minute)
		fresh := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(fresh.Token, code(t, secret, e.clock.Now()), "")
		assert.NoError(t, err)
	})
}

func TestRecoveryCodesSingleUse(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, codes := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		_, err := e.second(need.Token, "", "not-a-code!")
		assert.ErrorIs(t, err, domain.ErrRecoveryCodeFormat)
		res, err := e.second(need.Token, "", " "+codes[3]+" ")
		require.NoError(t, err)
		assert.True(t, res.UsedRecovery)
		assert.Equal(t, 9, res.RecoveryLeft)
		assert.Len(t, e.mail(t, "two_step_recovery"), 1, "the person is told a recovery code was used")

		again := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(again.Token, "", codes[3])
		assert.ErrorIs(t, err, domain.ErrWrongCode, "a recovery code works once")
		_, err = e.second(again.Token, "", codes[4])
		assert.NoError(t, err)
	})
}

func TestTwoStepRequiredByRole(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		assert.Equal(t, []string{"Administrator", "Manager"}, domain.DefaultPolicy().TwoStepRoleList(), "new portals")
		assert.Empty(t, e.acme.Policy.TwoStepRoles, "the demo portals leave it optional")
		e.requireTwoStep(t, "Administrator, Manager")

		_, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err, "an employee's role does not require it")

		need := e.challenge(t, "ada.admin", demoPW)
		assert.True(t, need.Enrol, "an administrator without it is taken to enrolment")
		assert.Zero(t, e.sessions(t, "ada.admin"))
		en, _, err := e.svc.TwoStep.EnrolmentFor(ctx, e.acme, need.Token)
		require.NoError(t, err)
		_, err = e.second(need.Token, code(t, en.Secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "an enrolment challenge is not a code challenge")
		in := domain.TwoStepInput{Portal: e.acme, Token: need.Token, Code: code(t, en.Secret, e.clock.Now().Add(-5*time.Minute))}
		_, err = e.svc.TwoStep.ConfirmEnrolment(ctx, in)
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		in.Code = code(t, en.Secret, e.clock.Now())
		res, err := e.svc.TwoStep.ConfirmEnrolment(ctx, in)
		require.NoError(t, err)
		assert.Len(t, res.RecoveryCodes, 10)
		assert.Equal(t, 1, e.sessions(t, "ada.admin"))
		_, err = e.svc.TwoStep.ConfirmEnrolment(ctx, in)
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "an enrolment challenge works once")

		sess, err := e.svc.Auth.Session(ctx, res.Token, domain.SessionWeb)
		require.NoError(t, err)
		c := code(t, en.Secret, e.clock.Now().Add(30*time.Second))
		assert.ErrorIs(t, e.svc.TwoStep.Disable(ctx, e.acme, sess, domain.Reauth{Password: demoPW, Code: c}, ""), domain.ErrTwoStepRequired, "the role requires it")
	})
}

func TestTwoStepDisable(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		need := e.challenge(t, "eve.employee", demoPW)
		res, err := e.second(need.Token, code(t, secret, e.clock.Now()), "")
		require.NoError(t, err)
		e.clock.Advance(30 * time.Second)
		c := code(t, secret, e.clock.Now())
		assert.ErrorIs(t, e.svc.TwoStep.Disable(ctx, e.acme, res.Session, domain.Reauth{Password: "wrong-password", Code: c}, ""), domain.ErrInvalidCredentials)
		assert.ErrorIs(t, e.svc.TwoStep.Disable(ctx, e.acme, res.Session, domain.Reauth{Password: demoPW, Code: "000000"}, ""), domain.ErrWrongCode)
		require.NoError(t, e.svc.TwoStep.Disable(ctx, e.acme, res.Session, domain.Reauth{Password: demoPW, Code: c}, "192.0.2.1"))
		assert.Len(t, e.mail(t, "two_step_disabled"), 1)
		_, err = e.signIn("eve.employee", demoPW)
		assert.NoError(t, err, "turned off: the password suffices again")
	})
}

func TestTwoStepAdminReset(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.enrol(t, "ada.admin")
		e.enrol(t, "eve.employee")
		max, amy := e.user(t, "max.manager"), e.user(t, "amy.accounts")
		var fe *domain.ForbiddenError
		assert.ErrorAs(t, e.svc.TwoStep.Reset(ctx, max, e.user(t, "ada.admin").ID, ""), &fe, "a manager cannot reset an administrator")
		assert.ErrorAs(t, e.svc.TwoStep.Reset(ctx, amy, e.user(t, "eve.employee").ID, ""), &fe, "an account manager lacks the permission")
		gus, err := e.store.UserByIdentifier(ctx, e.globex.ID, "gus.admin")
		require.NoError(t, err)
		assert.ErrorIs(t, e.svc.TwoStep.Reset(ctx, max, gus.ID, ""), domain.ErrNotFound, "another portal's person is not found")

		require.NoError(t, e.svc.TwoStep.Reset(ctx, max, e.user(t, "eve.employee").ID, "192.0.2.9"))
		assert.Len(t, e.mail(t, "two_step_reset"), 1)
		assert.ErrorIs(t, e.svc.TwoStep.Reset(ctx, max, e.user(t, "eve.employee").ID, ""), domain.ErrNotEnrolled)
		_, err = e.signIn("eve.employee", demoPW)
		assert.NoError(t, err)
		events, err := e.store.AuditEvents(ctx, e.acme.ID, domain.AuditFilter{Type: domain.EventTwoStepReset}, 10)
		require.NoError(t, err)
		require.Len(t, events, 1)
		assert.Equal(t, max.ID, events[0].ActorID)
	})
}

func TestResetEmailKeepsTwoStep(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		pending := e.challenge(t, "eve.employee", demoPW)
		token := e.requestLink(t, "eve.employee")
		require.NoError(t, e.complete(token, newPW))

		_, err := e.second(pending.Token, code(t, secret, e.clock.Now()), "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "a password change ends the pending second step")
		need := e.challenge(t, "eve.employee", newPW)
		assert.False(t, need.Enrol, "the reset neither removed nor bypassed the second step")
		_, err = e.second(need.Token, code(t, secret, e.clock.Now()), "")
		assert.NoError(t, err)
	})
}

func TestSupportTwoStep(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.Support.SignIn(ctx, domain.SupportSignInRequest{Identifier: "sam.support", Password: domain.DemoPassword})
		var need *domain.TwoStepRequiredError
		require.ErrorAs(t, err, &need, "support always takes a second step")
		assert.False(t, need.Enrol, "the demo support account is enrolled")
		_, err = e.svc.TwoStep.CompleteSupport(ctx, e.svc.Support, need.Token, "000000", "", "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		tok, err := e.svc.TwoStep.CompleteSupport(ctx, e.svc.Support, need.Token, code(t, domain.DemoSupportTwoStepSecret, e.clock.Now()), "", "")
		require.NoError(t, err)
		_, err = e.svc.Support.Session(ctx, tok)
		assert.NoError(t, err)
	})
}

func TestNewRecoveryCodes(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, old := e.enrol(t, "eve.employee")
		sess := e.as(e.user(t, "eve.employee"))
		_, err := e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, sess, domain.Reauth{Password: demoPW, Code: "000000"}, "")
		assert.ErrorIs(t, err, domain.ErrWrongCode)
		fresh, err := e.svc.TwoStep.NewRecoveryCodes(ctx, e.acme, sess, domain.Reauth{Password: demoPW, Code: code(t, secret, e.clock.Now())}, "")
		require.NoError(t, err)
		assert.Len(t, e.mail(t, "two_step_codes"), 1)
		need := e.challenge(t, "eve.employee", demoPW)
		_, err = e.second(need.Token, "", old[0])
		assert.ErrorIs(t, err, domain.ErrWrongCode, "the earlier codes no longer work")
		_, err = e.second(need.Token, "", fresh[0])
		assert.NoError(t, err)
	})
}

func TestSupportEnrolsAtFirstSignIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		hash, err := e.hasher.Hash(ctx, demoPW)
		require.NoError(t, err)
		require.NoError(t, e.store.CreateSupportUser(ctx, &domain.SupportUser{Username: "sue.support", Email: "sue@watchpost.test", DisplayName: "Sue", PasswordHash: hash, CreatedAt: e.clock.Now()}))
		_, err = e.svc.Support.SignIn(ctx, domain.SupportSignInRequest{Identifier: "sue.support", Password: demoPW})
		var need *domain.TwoStepRequiredError
		require.ErrorAs(t, err, &need)
		assert.True(t, need.Enrol, "support without an authenticator sets one up first")
		_, err = e.svc.TwoStep.CompleteSupport(ctx, e.svc.Support, need.Token, "123456", "", "")
		assert.ErrorIs(t, err, domain.ErrChallengeEnded, "an enrolment challenge takes no code")
		en, err := e.svc.TwoStep.SupportEnrolment(ctx, need.Token)
		require.NoError(t, err)
		assert.Contains(t, en.URI, "Watchpost%20support:sue.support")
		tok, codes, err := e.svc.TwoStep.ConfirmSupportEnrolment(ctx, e.svc.Support, need.Token, code(t, en.Secret, e.clock.Now()), "")
		require.NoError(t, err)
		assert.Len(t, codes, 10)
		_, err = e.svc.Support.Session(ctx, tok)
		assert.NoError(t, err)
	})
}

// TestPasswordDoesNotResetCodeGuesses is the attack of someone who knows the password:
// guess a code, sign in again with the password, guess again. The correct password must
// not clear the failures while a second step is pending, or the guesses never lock. (A
// right password holds one attempt while its second step is open, at most one per
// person: the fifth attempt is the fourth wrong code.)
func TestPasswordDoesNotResetCodeGuesses(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		secret, _ := e.enrol(t, "eve.employee")
		wrong := code(t, secret, e.clock.Now().Add(-10*time.Minute))
		var locked *domain.LockedError
		for round := 1; round <= 4; round++ {
			res, err := e.signIn("eve.employee", demoPW)
			if errors.As(err, &locked) {
				break
			}
			require.Nil(t, res)
			var need *domain.TwoStepRequiredError
			require.ErrorAs(t, err, &need, "round %d", round)
			if _, err = e.second(need.Token, wrong, ""); errors.As(err, &locked) {
				break
			}
		}
		require.NotNil(t, locked, "password, code, password, code... locks within the allowance of 5")
	})
}

// TestTwoStepResetMailSpeaksThePersonsLanguage: the e-mail about an administrator's
// reset is written in the person's saved language, not the administrator's.
func TestTwoStepResetMailSpeaksThePersonsLanguage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.enrol(t, "eve.employee")
		eve := e.user(t, "eve.employee")
		require.NoError(t, e.store.UpdateUserLanguage(ctx, e.acme.ID, eve.ID, "fr"))
		adminCtx := i18n.WithLang(ctx, i18n.English)
		require.NoError(t, e.svc.TwoStep.Reset(adminCtx, e.user(t, "max.manager"), eve.ID, ""))
		mails := e.mail(t, "two_step_reset")
		require.Len(t, mails, 1)
		assert.Equal(t, i18n.French.T("twostep.mail.reset.subject", "Portal", e.acme.Name), mails[0].Subject)
	})
}
