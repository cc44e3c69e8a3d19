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
