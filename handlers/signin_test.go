package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// TestLockoutPageCalm: the locked-out page says when the lock ends, puts the reset first and says
// it ends the lock, and puts the form away so no cursor waits in Password.
func TestLockoutPageCalm(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	for range 5 {
		b.signIn("acme", "eve.employee", "not-the-password")
	}
	p := b.signIn("acme", "eve.employee", demoPW)
	require.Equal(t, 423, p.status)
	until := f.Clock.Now().Add(15 * time.Minute).UTC().Format("15:04")
	notice := between(p.body, `id="locked"`, `</div>`)
	assert.Contains(t, notice, "locked until "+until+" UTC, about 15 minutes from now")
	assert.Contains(t, notice, "A password reset ends the lock at once")
	reset, help := strings.Index(notice, `id="locked-reset"`), strings.Index(notice, `topic=lockout`)
	assert.True(t, reset >= 0 && reset < help, "Reset your password comes first")
	form := between(p.body, `<form method="post" action="/acme/sign-in"`, `>`)
	assert.Contains(t, form, "hidden", "the sign-in form is put away while locked")
	assert.NotContains(t, between(p.body, `id="password"`, `>`), "autofocus")
}

// TestReloadAfterLockKeepsTheHelp: reloading the sign-in page after a lockout showed a
// plain form with no way to the help for a locked account. The form stays plain (the
// lock shows when the person tries again, as before), with the help link, until the
// lock ends (issue 23, item 12).
func TestReloadAfterLockKeepsTheHelp(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	for range 4 {
		b.signIn("acme", "eve.employee", "wrong-password")
	}
	require.Equal(t, 423, b.signIn("acme", "eve.employee", "wrong-password").status)

	reload := b.get("/acme/sign-in")
	require.Equal(t, 200, reload.status)
	assert.NotContains(t, reload.body, `id="locked"`, "no lock notice before a try: the page does not know who is here")
	assert.Contains(t, reload.body, `<a href="/acme/help?topic=lockout">Locked out? Get help with a locked account</a>`)
	assert.Equal(t, 423, b.signIn("acme", "eve.employee", demoPW).status, "trying again shows the lock")

	other := newBrowser(t, f)
	assert.NotContains(t, other.get("/acme/sign-in").body, "Locked out?", "another browser saw no lock")

	f.Clock.Advance(16 * time.Minute)
	assert.NotContains(t, b.get("/acme/sign-in").body, "Locked out?", "the lock is over")
}
