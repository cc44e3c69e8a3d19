package domain_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/watchpost/watchpost/i18n"

	"github.com/watchpost/watchpost/domain"
)

var linkRe = regexp.MustCompile(`https://watchpost\.example/acme/reset/([A-Za-z0-9_-]{43})`)

// requestLink asks for a reset and returns the token from the newest reset e-mail.
func (e *env) requestLink(t *testing.T, ident string) string {
	t.Helper()
	require.NoError(t, e.svc.Reset.Request(context.Background(), e.acme, ident, "192.0.2.7"))
	msgs := e.mail(t, "reset")
	require.NotEmpty(t, msgs, "a reset e-mail was written")
	m := linkRe.FindStringSubmatch(msgs[0].TextBody)
	require.NotNil(t, m, "the e-mail holds a reset link: %s", msgs[0].TextBody)
	return m[1]
}

func (e *env) complete(token, pw string) error {
	_, err := e.svc.Reset.Complete(context.Background(), e.acme, token, domain.NewPassword{Password: pw, Confirm: pw}, "192.0.2.7")
	return err
}

const newPW = "lantern-orchard-velvet-42"

func TestResetJourney(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		web, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		for range 3 { // some failures, and a pending forced change, are cleared by a reset
			_, _ = e.signIn("eve.employee", "wrong-password")
		}
		token := e.requestLink(t, "EVE@acme.test")
		msg := e.mail(t, "reset")[0]
		assert.Equal(t, "eve@acme.test", msg.ToAddr)
		assert.Contains(t, msg.HTMLBody, `href="https://watchpost.example/acme/reset/`+token+`"`)
		assert.Contains(t, msg.TextBody, "expires in 60 minutes")

		u, err := e.svc.Reset.Check(context.Background(), e.acme, token)
		require.NoError(t, err)
		assert.Equal(t, "eve.employee", u.Username)

		require.NoError(t, e.complete(token, newPW))

		_, err = e.svc.Auth.Session(context.Background(), web.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "every session is revoked")
		_, err = e.signIn("eve.employee", demoPW)
		assert.ErrorIs(t, err, domain.ErrInvalidCredentials, "the old password no longer works")
		_, err = e.signIn("eve.employee", newPW)
		assert.NoError(t, err)

		assert.Len(t, e.mail(t, "password_changed"), 1)
		assert.ErrorIs(t, e.complete(token, "another-fresh-passphrase-9"), domain.ErrInvalidToken, "single use")
		events, err := e.store.AuditEvents(context.Background(), e.acme.ID, domain.AuditFilter{UserID: u.ID}, 50)
		require.NoError(t, err)
		assert.Equal(t, 1, countType(events, domain.EventResetRequested))
		assert.Equal(t, 1, countType(events, domain.EventResetCompleted))
	})
}

func TestResetRequestRevealsNothing(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for _, ident := range []string{"nobody", "gus.admin" /* another portal */, "  "} {
			err := e.svc.Reset.Request(context.Background(), e.acme, ident, "192.0.2.7")
			if strings.TrimSpace(ident) == "" {
				assert.Error(t, err, "an empty form is a validation error")
				continue
			}
			assert.NoError(t, err)
		}
		assert.Empty(t, e.mail(t, "reset"))
	})
}

func TestResetLinkRules(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		first := e.requestLink(t, "eve.employee")
		second := e.requestLink(t, "eve.employee")
		assert.ErrorIs(t, e.complete(first, newPW), domain.ErrInvalidToken, "a newer link voids the older one")

		e.clock.Advance(61 * time.Minute)
		assert.ErrorIs(t, e.complete(second, newPW), domain.ErrInvalidToken, "expired")

		e.clock.Advance(15 * time.Minute) // out of the rate-limit window
		third := e.requestLink(t, "eve.employee")
		_, err := e.svc.Reset.Complete(context.Background(), e.globex, third, domain.NewPassword{Password: newPW, Confirm: newPW}, "")
		assert.ErrorIs(t, err, domain.ErrInvalidToken, "a link only works in its own portal")

		assert.ErrorIs(t, e.complete("short", newPW), domain.ErrInvalidToken)
		assert.ErrorIs(t, e.complete(strings.Repeat("A", 43), newPW), domain.ErrInvalidToken)

		err = e.complete(third, "short")
		assert.Contains(t, fieldErr(t, err, "password"), "at least 12")
		_, err = e.svc.Reset.Complete(context.Background(), e.acme, third, domain.NewPassword{Password: newPW, Confirm: newPW + "x"}, "")
		assert.Contains(t, fieldErr(t, err, "confirm"), "do not match")
		assert.NoError(t, e.complete(third, newPW), "a refused password does not use up the link")
	})
}

func TestPasswordChangeVoidsPendingLinks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		token := e.requestLink(t, "eve.employee")
		res, err := e.signIn("eve.employee", demoPW)
		require.NoError(t, err)
		require.NoError(t, e.svc.Passwords.Change(context.Background(), e.acme, res.Session, demoPW,
			domain.NewPassword{Password: newPW, Confirm: newPW}, ""))
		assert.ErrorIs(t, e.complete(token, "another-fresh-passphrase-9"), domain.ErrInvalidToken)
	})
}

func TestResetRateLimit(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		for range 5 {
			require.NoError(t, e.svc.Reset.Request(context.Background(), e.acme, "eve.employee", "192.0.2.9"))
		}
		assert.Len(t, e.mail(t, "reset"), 3, "3 e-mails per identifier per 15 minutes, silently")
		e.clock.Advance(16 * time.Minute)
		require.NoError(t, e.svc.Reset.Request(context.Background(), e.acme, "eve.employee", "192.0.2.9"))
		assert.Len(t, e.mail(t, "reset"), 4, "the window moves on")

		for i := range 40 { // one client asking for many accounts
			_ = e.svc.Reset.Request(context.Background(), e.acme, "someone"+string(rune('a'+i%26))+"x", "192.0.2.66")
		}
		require.NoError(t, e.svc.Reset.Request(context.Background(), e.acme, "max.manager", "192.0.2.66"))
		assert.Len(t, e.mail(t, "reset"), 4, "per-client limit reached")
	})
}

// TestConcurrentResetSubmissions submits one link twice at once: exactly one succeeds.
func TestConcurrentResetSubmissions(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		token := e.requestLink(t, "eve.employee")
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, pw := range []string{newPW, "quartz-meadow-harbor-77"} {
			wg.Go(func() { results[i] = e.complete(token, pw) })
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			if err == nil {
				ok++
			} else {
				assert.ErrorIs(t, err, domain.ErrInvalidToken)
			}
		}
		assert.Equal(t, 1, ok)
		assert.Len(t, e.mail(t, "password_changed"), 1)
	})
}

func TestPasswordHistory(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		pws := []string{"first-river-stone-01", "second-river-stone-02", "third-river-stone-03",
			"fourth-river-stone-04", "fifth-river-stone-05", "sixth-river-stone-06"}
		for _, pw := range pws {
			require.NoError(t, e.complete(e.requestLink(t, "ed.mobile"), pw))
			e.clock.Advance(16 * time.Minute)
		}
		// Current: sixth. The 5 kept: fifth back to first; the demo password is older.
		for _, pw := range []string{"sixth-river-stone-06", "fifth-river-stone-05", "second-river-stone-02"} {
			err := e.complete(e.requestLink(t, "ed.mobile"), pw)
			assert.Contains(t, fieldErr(t, err, "password"), "used this password before", pw)
			e.clock.Advance(16 * time.Minute)
		}
		assert.NoError(t, e.complete(e.requestLink(t, "ed.mobile"), demoPW), "older than the 5 kept")
	})
}

func TestChangePasswordRules(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		res, err := e.signIn("max.manager", demoPW)
		require.NoError(t, err)
		other, err := e.signIn("max.manager", demoPW)
		require.NoError(t, err)
		change := func(current, pw string) error {
			return e.svc.Passwords.Change(context.Background(), e.acme, res.Session, current, domain.NewPassword{Password: pw, Confirm: pw}, "")
		}
		assert.Contains(t, fieldErr(t, change("wrong-current-password", newPW), "current"), "not right")
		assert.Contains(t, fieldErr(t, change(demoPW, demoPW), "password"), "used this password before")
		assert.Contains(t, fieldErr(t, change(demoPW, "watchpost-demo-2027"), "password"), "couple of characters")
		require.NoError(t, change(demoPW, newPW))

		_, err = e.svc.Auth.Session(context.Background(), res.Token, domain.SessionWeb)
		assert.NoError(t, err, "the session that changed the password stays")
		_, err = e.svc.Auth.Session(context.Background(), other.Token, domain.SessionWeb)
		assert.ErrorIs(t, err, domain.ErrSessionEnded, "the others are signed out")
	})
}

func fieldErr(t *testing.T, err error, field string) string {
	t.Helper()
	var v *domain.ValidationError
	require.ErrorAs(t, err, &v)
	return v.Text(i18n.English)[field] // what an English page shows
}
