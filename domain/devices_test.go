package domain_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// from signs in to acme as ident from an address, with the device token a browser kept.
func (e *env) from(ident, pw, ip, device string) (*domain.SignInResult, error) {
	return e.svc.Auth.SignIn(context.Background(), domain.SignInRequest{
		Portal: e.acme, Identifier: ident, Password: pw, IP: ip, Device: "Mozilla/5.0 (Linux; Android 14) Chrome/131.0", DeviceToken: device, Kind: domain.SessionWeb,
	})
}

// outcome describes a sign-in's answer the way a client sees it: its kind and every
// number it carries.
func outcome(err error) string {
	var wrong *domain.InvalidCredentialsError
	var locked *domain.LockedError
	var throttled *domain.ThrottledError
	switch {
	case errors.As(err, &wrong):
		return fmt.Sprintf("wrong left=%d minutes=%d", wrong.AttemptsLeft, wrong.LockMinutes)
	case errors.As(err, &locked):
		return fmt.Sprintf("locked until=%s repeat=%v", locked.Until.Format(time.RFC3339), locked.Repeat)
	case errors.As(err, &throttled):
		return fmt.Sprintf("throttled left=%s", throttled.Left)
	}
	return fmt.Sprint(err)
}

// TestStrangerCannotLockTheGuardsDevice is the attack of issue 24: from another address
// and without eve's device cookie, 50 wrong passwords for eve.employee. Her known browser
// still signs in at once, even from the attacker's (throttled) address, as on a shared
// site connection; it still locks after five wrong passwords of its own; and a made-up
// name gets exactly the same answers as eve's through all of it.
func TestStrangerCannotLockTheGuardsDevice(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		first, err := e.from("eve.employee", demoPW, "192.0.2.10", "")
		require.NoError(t, err)
		require.True(t, domain.ValidTokenShape(first.DeviceToken), "a finished sign-in gives the browser a device token")
		phone := first.DeviceToken

		var real, madeUp []string
		for range 50 {
			_, err := e.from("eve.employee", "wrong-password", "198.51.100.7", "")
			real = append(real, outcome(err))
			_, err = e.from("nobody.here", "wrong-password", "203.0.113.9", "")
			madeUp = append(madeUp, outcome(err))
			e.clock.Advance(time.Second)
		}
		assert.Equal(t, madeUp, real, "a real name and a made-up one get the same answers")
		assert.Contains(t, real[len(real)-1], "locked", "unknown devices are locked out of eve's account")
		_, err = e.from("eve.employee", demoPW, "198.51.100.7", "")
		assert.True(t, as[*domain.ThrottledError](err) || as[*domain.LockedError](err), "the attacker's address is refused even with the right password: %v", err)

		// eve's known phone, on the attacker's address (one shared connection): in at once.
		res, err := e.from("eve.employee", demoPW, "198.51.100.7", phone)
		require.NoError(t, err, "the known device signs in through the stranger's lock and the address throttle")
		assert.Equal(t, phone, res.DeviceToken, "the browser keeps its token")

		// Its own allowance still locks it after five wrong passwords.
		for i := range 5 {
			_, err = e.from("eve.employee", "wrong-password", "192.0.2.10", phone)
			if i < 4 {
				require.ErrorIs(t, err, domain.ErrInvalidCredentials)
			}
		}
		require.True(t, as[*domain.LockedError](err), "the fifth wrong password on the phone locks it: %v", err)
		_, err = e.from("eve.employee", demoPW, "192.0.2.10", phone)
		assert.True(t, as[*domain.LockedError](err), "the locked device waits like anyone: %v", err)
	})
}

func as[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// TestDeviceTokenOfAnotherPersonCountsAsUnknown: a browser known for one person is an
// unknown device for another, and a token from another portal means nothing here.
func TestDeviceTokenOfAnotherPersonCountsAsUnknown(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.from("ed.mobile", demoPW, "192.0.2.10", "")
		require.NoError(t, err)
		shared := res.DeviceToken
		for range 5 {
			_, err = e.from("eve.employee", "wrong-password", "198.51.100.7", "")
		}
		require.True(t, as[*domain.LockedError](err))
		_, err = e.from("eve.employee", demoPW, "192.0.2.10", shared)
		assert.True(t, as[*domain.LockedError](err), "ed's browser is no known device of eve's: %v", err)

		// Once eve finished a sign-in there, the same browser (one token) is hers too.
		e.clock.Advance(16 * time.Minute)
		res, err = e.from("eve.employee", demoPW, "192.0.2.10", shared)
		require.NoError(t, err)
		assert.Equal(t, shared, res.DeviceToken, "one token per browser, whoever signs in on it")
		devices, err := e.store.DevicesByHash(context.Background(), e.acme.ID, domain.HashToken(shared))
		require.NoError(t, err)
		assert.Len(t, devices, 2)
		other, err := e.store.DevicesByHash(context.Background(), e.globex.ID, domain.HashToken(shared))
		require.NoError(t, err)
		assert.Empty(t, other, "another portal knows nothing of it")
	})
}

var (
	unlockRe = regexp.MustCompile(`/acme/unlock/([A-Za-z0-9_-]{43})`)
	notMeRe  = regexp.MustCompile(`/acme/not-me/([A-Za-z0-9_-]{43})`)
)

func linkIn(t testing.TB, re *regexp.Regexp, m domain.OutboxMessage) string {
	t.Helper()
	found := re.FindStringSubmatch(m.TextBody)
	require.NotNil(t, found, "no link like %s in: %s", re, m.TextBody)
	return found[1]
}

// TestUnlockLinkEndsTheLockOnce: the lockout e-mail's unlock link ends the lock without
// a reset, works once, and ends with the lock.
func TestUnlockLinkEndsTheLockOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		lock := func() string {
			var err error
			for range 5 {
				_, err = e.from("eve.employee", "wrong-password", "198.51.100.7", "")
			}
			require.True(t, as[*domain.LockedError](err))
			msgs := e.mail(t, "lockout")
			require.NotEmpty(t, msgs)
			return linkIn(t, unlockRe, msgs[0])
		}
		token := lock()
		require.Len(t, e.mail(t, "lockout"), 1, "one lockout e-mail")
		h, err := e.svc.Notices.Peek(ctx, e.acme, token, domain.NoticeUnlock)
		require.NoError(t, err)
		assert.Equal(t, "eve.employee", h.User.Username)
		_, err = e.svc.Notices.Peek(ctx, e.acme, token, domain.NoticeNotMe)
		assert.ErrorIs(t, err, domain.ErrLinkEnded, "an unlock link is no 'this wasn't me' link")
		_, err = e.svc.Notices.Peek(ctx, e.globex, token, domain.NoticeUnlock)
		assert.ErrorIs(t, err, domain.ErrLinkEnded, "nor a link of another portal")

		_, err = e.svc.Notices.Unlock(ctx, e.acme, token, "192.0.2.10")
		require.NoError(t, err)
		_, err = e.svc.Notices.Unlock(ctx, e.acme, token, "192.0.2.10")
		assert.ErrorIs(t, err, domain.ErrLinkEnded, "it works once")
		_, err = e.from("eve.employee", demoPW, "192.0.2.10", "")
		require.NoError(t, err, "unlocked without a reset")

		// A second lock's link dies when that lock ends.
		e.clock.Advance(time.Minute)
		token = lock()
		e.clock.Advance(16 * time.Minute)
		_, err = e.svc.Notices.Unlock(ctx, e.acme, token, "192.0.2.10")
		assert.ErrorIs(t, err, domain.ErrLinkEnded, "the link ends with the lock")
	})
}

// TestNotMeRevokesEverything: a sign-in from a new device is told in the person's
// language with "this wasn't me"; confirming it ends every session and app token,
// forgets the devices, stops the password, sends a reset link and tells the
// administrators, once.
func TestNotMeRevokesEverything(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		eve := e.user(t, "eve.employee")
		require.NoError(t, e.store.UpdateUserLanguage(ctx, e.acme.ID, eve.ID, "es"))
		web, err := e.from("eve.employee", demoPW, "192.0.2.10", "")
		require.NoError(t, err)
		assert.Empty(t, e.mail(t, "new_device"), "a first device is no news")
		app, err := e.svc.Auth.SignIn(ctx, domain.SignInRequest{Portal: e.acme, Identifier: "eve.employee", Password: demoPW, IP: "198.51.100.7", Device: "Pixel 8", Kind: domain.SessionMobile})
		require.NoError(t, err)
		_, err = e.from("eve.employee", demoPW, "192.0.2.10", web.DeviceToken)
		require.NoError(t, err)
		notices := e.mail(t, "new_device")
		require.Len(t, notices, 1, "one notice, for the one new device")
		assert.Contains(t, notices[0].Subject, "Nuevo inicio de sesión", "in eve's saved language")
		assert.Contains(t, notices[0].TextBody, "Pixel 8")
		token := linkIn(t, notMeRe, notices[0])

		sentTo, err := e.svc.Notices.NotMe(ctx, e.acme, token, "192.0.2.10")
		require.NoError(t, err)
		assert.Equal(t, "eve@acme.test", sentTo)
		for _, s := range []struct {
			token string
			kind  domain.SessionKind
		}{{web.Token, domain.SessionWeb}, {app.Token, domain.SessionMobile}} {
			_, err := e.svc.Auth.Session(ctx, s.token, s.kind)
			assert.ErrorIs(t, err, domain.ErrSessionEnded)
		}
		devices, err := e.store.UserDevices(ctx, e.acme.ID, eve.ID)
		require.NoError(t, err)
		assert.Empty(t, devices)
		_, err = e.from("eve.employee", demoPW, "192.0.2.10", web.DeviceToken)
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "the old password stops working")
		assert.Len(t, e.mail(t, "reset"), 1, "a reset link went out")
		admins := e.mail(t, "not_me_admin")
		require.Len(t, admins, 1)
		assert.Equal(t, "ada@acme.test", admins[0].ToAddr)
		_, err = e.svc.Notices.NotMe(ctx, e.acme, token, "192.0.2.10")
		assert.ErrorIs(t, err, domain.ErrLinkEnded, "it works once")

		// The reset link sets a new password (and that is no reuse of the stolen one).
		require.NoError(t, e.complete(linkRe.FindStringSubmatch(e.mail(t, "reset")[0].TextBody)[1], newPW))
		_, err = e.from("eve.employee", newPW, "192.0.2.10", "")
		require.NoError(t, err)
	})
}

// TestNotMeGivesTheMailboxBack: after an e-mail change the old address is told with
// "this wasn't me"; confirming from there makes it the account's address again, and the
// reset link goes there.
func TestNotMeGivesTheMailboxBack(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, eve := e.user(t, "ada.admin"), e.user(t, "eve.employee")
		require.NoError(t, e.svc.Admin.ChangeEmail(ctx, e.acme, e.as(admin), eve, "mallory@evil.test", domain.Reauth{}, "192.0.2.1"))
		var old domain.OutboxMessage
		for _, m := range e.mail(t, "email_changed") {
			if m.ToAddr == "eve@acme.test" {
				old = m
			}
		}
		token := linkIn(t, notMeRe, old)
		sentTo, err := e.svc.Notices.NotMe(ctx, e.acme, token, "192.0.2.10")
		require.NoError(t, err)
		assert.Equal(t, "eve@acme.test", sentTo)
		assert.Equal(t, "eve@acme.test", e.user(t, "eve.employee").Email)
		resets := e.mail(t, "reset")
		require.Len(t, resets, 1)
		assert.Equal(t, "eve@acme.test", resets[0].ToAddr)
	})
}

// TestEveryNoticeCarriesNotMe: the password, two-step, e-mail and lockout notices each
// carry a working "this wasn't me" link, and the administrator's temporary password
// is not worded as the person's own change.
func TestEveryNoticeCarriesNotMe(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.user(t, "ada.admin")
		_, err := e.svc.Admin.SetPassword(ctx, e.acme, admin, e.user(t, "eve.employee"), "", true, true, "192.0.2.1")
		require.NoError(t, err)
		for range 5 {
			_, _ = e.from("ed.mobile", "wrong-password", "198.51.100.7", "")
		}
		for _, category := range []string{"password_changed", "lockout"} {
			msgs := e.mail(t, category)
			require.NotEmpty(t, msgs, category)
			token := linkIn(t, notMeRe, msgs[0])
			_, err := e.svc.Notices.Peek(ctx, e.acme, token, domain.NoticeNotMe)
			assert.NoError(t, err, category)
		}
		changed := e.mail(t, "password_changed")[0].TextBody
		assert.Contains(t, changed, "Ada Admin", "says who set it")
	})
}

// TestKnownDeviceWithTwoStep: with two-step on, the known device's password and code both
// count in its own allowance: a stranger's lock on the account does not stop them, and
// the device becomes known only once the second step passed.
func TestKnownDeviceWithTwoStep(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret, _ := e.enrol(t, "eve.employee")
		signIn := func(pw, device string) (*domain.TwoStepResult, error) {
			_, err := e.from("eve.employee", pw, "192.0.2.10", device)
			var need *domain.TwoStepRequiredError
			if !errors.As(err, &need) {
				return nil, err
			}
			return e.svc.TwoStep.Complete(ctx, domain.TwoStepInput{Portal: e.acme, Token: need.Token, Code: code(t, secret, e.clock.Now()),
				IP: "192.0.2.10", Kind: domain.SessionWeb, DeviceToken: device})
		}
		_, err := e.from("eve.employee", demoPW, "192.0.2.10", "")
		require.True(t, as[*domain.TwoStepRequiredError](err), "the password alone makes no device: %v", err)
		devices, err := e.store.UserDevices(ctx, e.acme.ID, e.user(t, "eve.employee").ID)
		require.NoError(t, err)
		assert.Empty(t, devices)

		e.clock.Advance(30 * time.Second)
		res, err := signIn(demoPW, "")
		require.NoError(t, err)
		phone := res.DeviceToken
		require.NotEmpty(t, phone)
		for range 5 {
			_, err = e.from("eve.employee", "wrong-password", "198.51.100.7", "")
		}
		require.True(t, as[*domain.LockedError](err))
		e.clock.Advance(30 * time.Second)
		_, err = signIn(demoPW, phone)
		require.NoError(t, err, "password and code from the known phone pass the stranger's lock")
	})
}
