package handlers_test

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

var historyRuleRe = regexp.MustCompile(`(?s)<li class="([^"]*)" id="history-rule">`)

// Issue 14: the checklist states the history rule up front and checks it while typing
// where the owner is signed in (account page, forced change); on a reset-link page it
// only says the save will check it.
func TestHistoryRuleLive(t *testing.T) {
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", demoPW)
	account := eve.get("/acme/account")
	assert.Contains(t, account.body, "Not your current password or one of your last 5.")

	hint := func(b *browser, form url.Values) string {
		t.Helper()
		p := b.post("/acme/sign-in", "/acme/password-feedback", form)
		require.Equal(t, 200, p.status)
		m := historyRuleRe.FindStringSubmatch(p.body)
		require.NotNil(t, m, "no history rule in:\n%s", p.body)
		return m[1] + "|" + p.body
	}
	got := hint(eve, url.Values{"password": {demoPW}})
	assert.Contains(t, got, "history-rule bad|", "the current password is refused while typing")
	assert.Contains(t, got, "You have used this password here before.")
	assert.NotContains(t, got, "Very strong")
	got = hint(eve, url.Values{"password": {"copper-kettle-midnight-harbour"}})
	assert.Contains(t, got, "history-rule ok|")
	// The account form sends its current-password field too: a near-miss of it is
	// named while typing, as the save would refuse it.
	got = hint(eve, url.Values{"current": {"copper-kettle-midnight-harbour"}, "password": {"copper-kettle-midnight-harbour1"}})
	assert.Contains(t, got, nearMissText)
	got = hint(eve, url.Values{"password": {"copper-kettle-midnight-harbour1"}})
	assert.NotContains(t, got, nearMissText, "no current password typed, nothing to compare with")
	got = hint(eve, url.Values{"password": {"short"}})
	assert.Contains(t, got, "history-rule|", "not checked before the other rules pass")
	assert.Contains(t, got, "checked when you save")

	// A reset link: nobody is signed in, so the rule is only stated.
	anon := newBrowser(t, f)
	require.Equal(t, 200, anon.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}}).status)
	link := resetLinkRe.FindString(anon.get("/dev/mailbox").body)
	require.NotEmpty(t, link)
	token := link[len("/acme/reset/"):]
	reset := anon.get(link)
	assert.Contains(t, reset.body, "Not your current password or one of your last 5.")
	got = hint(anon, url.Values{"password": {demoPW}, "token": {token}})
	assert.Contains(t, got, "history-rule|", "a reset link never learns whether a password was used")
	assert.Contains(t, got, "checked when you save")
	assert.NotContains(t, got, "used this password")
}

const nearMissText = "Change more than a couple of characters from your current password."
