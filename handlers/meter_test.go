package handlers_test

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

var meterRe = regexp.MustCompile(`class="meter" data-score="([0-4])"`)

// TestMeterNeverContradictsARule: the strength meter said "Very strong" with a full green
// bar for a password a rule refused (issue 23, item 7). While any rule fails, or the
// password is the current one as typed on the same form, it shows at most "weak" and says
// why (earlier passwords are checked on save only: issue 21, item 3).
func TestMeterNeverContradictsARule(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	const strong = "lantern-orchard-velvet-42"

	// A reset link: a strong password with the username in it.
	b := newBrowser(t, f)
	require.Equal(t, 200, b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}}).status)
	link := resetLinkRe.FindString(lastMailTo(t, f, "eve@acme.test", "reset").TextBody)
	token := link[len("/acme/reset/"):]
	fb := b.post(link, "/acme/password-feedback", url.Values{"token": {token}, "password": {"eve.employee lantern orchard velvet"}})
	require.Equal(t, 200, fb.status)
	assert.Equal(t, "1", meterRe.FindStringSubmatch(fb.body)[1], "capped while the name rule fails")
	assert.NotContains(t, fb.body, "Very strong")
	assert.Contains(t, fb.body, "Not accepted yet")

	ok := b.post(link, "/acme/password-feedback", url.Values{"token": {token}, "password": {strong}})
	assert.Equal(t, "4", meterRe.FindStringSubmatch(ok.body)[1], "a password every rule accepts shows its strength")

	// A mismatch empties both fields: typing starts again in the first.
	mismatch := b.post(link, link, url.Values{"password": {strong}, "confirm": {strong + "x"}})
	require.Equal(t, 422, mismatch.status)
	assert.Regexp(t, `<input id="password"[^>]* autofocus`, mismatch.body)
	assert.Regexp(t, `<input id="password"[^>]* data-focus-on-error`, mismatch.body)
	assert.NotRegexp(t, `<input id="confirm"[^>]* autofocus`, mismatch.body)
	require.Equal(t, 303, b.post(link, link, url.Values{"password": {strong}, "confirm": {strong}}).status)

	// Signed in: the current password is strong by itself, and refused.
	require.Equal(t, 303, b.signIn("acme", "eve.employee", strong).status)
	same := b.post("/acme/account", "/acme/password-feedback", url.Values{"current": {strong}, "password": {strong}})
	require.Equal(t, 200, same.status)
	assert.Contains(t, same.body, `id="pw-near-current"`)
	assert.Equal(t, "1", meterRe.FindStringSubmatch(same.body)[1], "capped for the current password")
}
