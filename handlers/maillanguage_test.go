package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 23, item 3: a French user locked out on a French page got the lockout e-mail in
// English, the reset e-mail in French and the "password changed" e-mail in English. A
// person who saved no preference is written to in the language they last used here,
// for every e-mail of the journey, including those an administrator's action sends.
func TestEmailJourneyKeepsTheLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ lang, user string }{{"fr", "eve.employee"}, {"es", "max.manager"}} {
		t.Run(tc.lang, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{})
			u := f.User(t, "acme", tc.user)
			require.Empty(t, u.Language, "no saved preference")
			lang, ok := i18n.Parse(tc.lang)
			require.True(t, ok)

			b := newBrowser(t, f)
			sw := b.post("/acme/sign-in", "/acme/language", url.Values{"lang": {tc.lang}, "next": {"/acme/sign-in"}})
			require.Equal(t, 303, sw.status)

			// Locked out on a page in that language.
			for range 5 {
				b.signIn("acme", tc.user, "wrong-password-guess")
			}
			// The reset link asked for and used on pages in that language.
			require.Equal(t, 200, b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {u.Email}}).status)
			link := resetLinkRe.FindString(lastMailTo(t, f, u.Email, "reset").TextBody)
			require.NotEmpty(t, link)
			const newPW = "lantern-orchard-velvet-42"
			require.Equal(t, 303, b.post(link, link, url.Values{"password": {newPW}, "confirm": {newPW}}).status)

			// An administrator working in English sets a temporary password, then sends a
			// reset link: both e-mails are in the person's language, not the admin's.
			ada := newBrowser(t, f)
			ada.signIn("acme", "ada.admin", demoPW)
			prof := profile(t, f, "acme", tc.user)
			require.Equal(t, 200, ada.post(prof, prof+"/password", url.Values{"force": {"on"}}).status)
			require.Equal(t, 303, ada.post(prof, prof+"/reset-email", url.Values{}).status)

			mails := mailTo(t, f, u.Email)
			var kinds []string
			for _, m := range mails {
				kinds = append(kinds, m.Category)
				assert.Contains(t, m.HTMLBody, `lang="`+tc.lang+`"`, "%s e-mail %q", m.Category, m.Subject)
				assert.Contains(t, m.TextBody, lang.T("mail.greeting", "Name", u.DisplayName), "%s e-mail in %s", m.Category, tc.lang)
			}
			assert.Equal(t, []string{"lockout", "reset", "password_changed", "password_changed", "reset"}, kinds)
			saved := f.User(t, "acme", tc.user)
			assert.Equal(t, tc.lang, saved.LastLanguage, "remembered for the person")
			assert.Empty(t, saved.Language, "not saved as a preference")
		})
	}
}

// TestStrangerCannotChangeTheMailLanguage: wrong passwords from a browser in another
// language do not change the language the owner last used.
func TestStrangerCannotChangeTheMailLanguage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"fr"}, "next": {"/acme/sign-in"}})
	require.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)
	require.Equal(t, 200, eve.get("/acme/").status)
	require.Equal(t, "fr", f.User(t, "acme", "eve.employee").LastLanguage)

	stranger := newBrowser(t, f)
	stranger.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"es"}, "next": {"/acme/sign-in"}})
	for range 5 {
		stranger.signIn("acme", "eve.employee", "wrong-password-guess")
	}
	lock := lastMailTo(t, f, "eve@acme.test", "lockout")
	assert.Contains(t, lock.HTMLBody, `lang="fr"`)
	assert.Equal(t, "fr", f.User(t, "acme", "eve.employee").LastLanguage)
}

// Issue 23, item 10: the "password changed" e-mail says who changed the password and
// what to do: after an administrator set a temporary password it names them and does
// not tell the person to reset the password they are about to be given.
func TestPasswordChangedMailSaysWhoChangedIt(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	prof := profile(t, f, "acme", "eve.employee")
	require.Equal(t, 200, ada.post(prof, prof+"/password", url.Values{"force": {"on"}}).status)
	byAdmin := lastMailTo(t, f, "eve@acme.test", "password_changed").TextBody
	assert.Contains(t, byAdmin, "Ada Admin, an administrator of Acme Security, set a new password")
	assert.Contains(t, byAdmin, "It is a temporary password")
	assert.NotContains(t, byAdmin, "sign in again with the new password")
	assert.NotContains(t, byAdmin, "reset your password now")
	assert.NotContains(t, byAdmin, "/forgot-password")

	require.Equal(t, 200, ada.post(prof, prof+"/password", url.Values{}).status)
	notForced := lastMailTo(t, f, "eve@acme.test", "password_changed").TextBody
	assert.Contains(t, notForced, "Ada Admin gives you the new password in person or by phone")
	assert.NotContains(t, notForced, "temporary")

	const pw = "lantern-orchard-velvet-42"
	b := newBrowser(t, f)
	require.Equal(t, 200, b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}}).status)
	link := resetLinkRe.FindString(lastMailTo(t, f, "eve@acme.test", "reset").TextBody)
	require.Equal(t, 303, b.post(link, link, url.Values{"password": {pw}, "confirm": {pw}}).status)
	byReset := lastMailTo(t, f, "eve@acme.test", "password_changed").TextBody
	assert.Contains(t, byReset, "reset through a link sent to this address")
	assert.Contains(t, byReset, "If this wasn't you, secure your account now")
	assert.Contains(t, byReset, "/acme/not-me/")

	require.Equal(t, 303, b.signIn("acme", "eve.employee", pw).status)
	require.Equal(t, 303, b.post("/acme/account", "/acme/account/password", url.Values{"current": {pw}, "password": {"quiet-harbour-meadow-77"}, "confirm": {"quiet-harbour-meadow-77"}}).status)
	bySelf := lastMailTo(t, f, "eve@acme.test", "password_changed").TextBody
	assert.Contains(t, bySelf, "was just changed")
	assert.Contains(t, bySelf, "If this wasn't you, secure your account now")
	assert.Contains(t, bySelf, "/acme/not-me/")
}

// mailTo lists the e-mails to an address, oldest first.
func mailTo(t *testing.T, f *servertest.Fixture, to string) []domain.OutboxMessage {
	t.Helper()
	all, err := f.Store.Outbox(context.Background(), 1000)
	require.NoError(t, err)
	var out []domain.OutboxMessage
	for i := len(all) - 1; i >= 0; i-- {
		if strings.EqualFold(all[i].ToAddr, to) {
			out = append(out, all[i])
		}
	}
	return out
}

// lastMailTo is the newest e-mail of a category to an address.
func lastMailTo(t *testing.T, f *servertest.Fixture, to, category string) domain.OutboxMessage {
	t.Helper()
	mails := mailTo(t, f, to)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].Category == category {
			return mails[i]
		}
	}
	t.Fatalf("no %s e-mail to %s", category, to)
	return domain.OutboxMessage{}
}
