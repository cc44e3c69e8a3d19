package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

var (
	helpRefRe   = regexp.MustCompile(`HR-[A-Z2-9]{6}`)
	helpCodeRe  = regexp.MustCompile(`id="help-code" class="big-code" translate="no">([0-9]{3} [0-9]{3})<`)
	helpWaitRe  = regexp.MustCompile(`/acme/ask-for-help/[A-Za-z0-9_-]{43}`)
	passCodeRe  = regexp.MustCompile(`id="pass-code" translate="no">([a-z2-9]{4}-[a-z2-9]{4})<`)
	helpCaseRe  = regexp.MustCompile(`/acme/admin/help-requests/[0-9]+`)
	passLinkRe  = regexp.MustCompile(`/acme/recover/[A-Za-z0-9_-]{43}`)
	helpSecrets = regexp.MustCompile(`HR-[A-Z2-9]{6}|[0-9]{3} [0-9]{3}|/acme/ask-for-help/[A-Za-z0-9_-]{43}|wp_help=[A-Za-z0-9_-]{43}`)
)

func askForHelp(b *browser, ident string) page {
	b.t.Helper()
	return b.post("/acme/ask-for-help", "/acme/ask-for-help", url.Values{"identifier": {ident}, "problem": {"locked"}, "message": {"at the east gate"}, "phone": {"+1 555 0100"}})
}

// TestAskHelpAnswersTheSameForUnknownAccounts: status, headers and body are the same for
// a real and a made-up identifier, once the random reference, code and tokens are masked.
func TestAskHelpAnswersTheSameForUnknownAccounts(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	real, made := askForHelp(newBrowser(t, f), "eve.employee"), askForHelp(newBrowser(t, f), "no.such.person")
	require.Equal(t, 200, real.status)
	assert.Equal(t, real.status, made.status)
	mask := func(p page) string { return helpSecrets.ReplaceAllString(stripCSRF(p.body), "X") }
	assert.Equal(t, mask(real), mask(made))
	assert.Equal(t, helpSecrets.ReplaceAllString(real.header.Get("Set-Cookie"), "X"), helpSecrets.ReplaceAllString(made.header.Get("Set-Cookie"), "X"))
	assert.Equal(t, "no-referrer", made.header.Get("Referrer-Policy"))
	assert.Contains(t, real.header.Get("Set-Cookie"), "HttpOnly")
	assert.Regexp(t, helpCodeRe, made.body)

	// A bad form is a 422 with the field's message, never a 500.
	b := newBrowser(t, f)
	bad := b.post("/acme/ask-for-help", "/acme/ask-for-help", url.Values{"identifier": {"eve.employee"}, "problem": {"nonsense"}, "phone": {"call me maybe"}})
	assert.Equal(t, 422, bad.status)
	assert.Contains(t, bad.body, "Choose what is wrong.")
}

// TestHelpRequestsNeedThePermission: an Account Manager gets 403 on the inbox and on
// every action; forms without the CSRF token are refused.
func TestHelpRequestsNeedThePermission(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	askForHelp(newBrowser(t, f), "eve.employee")
	m := newBrowser(t, f)
	require.Equal(t, 303, m.signIn("acme", "max.manager", demoPW).status)
	inbox := m.get("/acme/admin/help-requests")
	require.Equal(t, 200, inbox.status)
	casePath := helpCaseRe.FindString(inbox.body)
	require.NotEmpty(t, casePath)
	assert.Contains(t, inbox.body, `id="nav-help-requests"`, "the navigation links the inbox with its count")

	a := newBrowser(t, f)
	require.Equal(t, 303, a.signIn("acme", "amy.accounts", demoPW).status)
	assert.Equal(t, 403, a.get("/acme/admin/help-requests").status)
	assert.Equal(t, 403, a.get(casePath).status)
	for _, action := range []string{"/check", "/pass", "/email-code"} {
		assert.Equal(t, 403, a.post("/acme/", casePath+action, url.Values{"request_code": {"123456"}, "method": {"in_person"}, "note": {"x"}}).status, action)
	}
	assert.NotContains(t, a.get("/acme/").body, "nav-help-requests")

	// Without the CSRF token, nothing happens.
	assert.Equal(t, 403, m.postRaw(casePath+"/pass", "application/x-www-form-urlencoded", "").status)
	assert.Equal(t, 403, newBrowser(t, f).postRaw("/acme/ask-for-help", "application/x-www-form-urlencoded", "identifier=eve.employee&problem=locked").status)
}

// TestAssistedRecoveryOverHTTP walks the whole journey through the real app.
func TestAssistedRecoveryOverHTTP(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	guard := newBrowser(t, f)
	answer := askForHelp(guard, "eve.employee")
	code := helpCodeRe.FindStringSubmatch(answer.body)[1]
	wait := helpWaitRe.FindString(answer.body)
	require.NotEmpty(t, wait)
	waiting := guard.get(wait + "/status")
	assert.Contains(t, waiting.body, `hx-trigger="every 4s"`, "the waiting page polls")

	m := newBrowser(t, f)
	require.Equal(t, 303, m.signIn("acme", "max.manager", demoPW).status)
	casePath := helpCaseRe.FindString(m.get("/acme/admin/help-requests").body)
	screen := m.get(casePath)
	assert.Contains(t, screen.body, "at the east gate")
	assert.Contains(t, screen.body, helpRefRe.FindString(answer.body))

	wrong := m.post(casePath, casePath+"/check", url.Values{"request_code": {"000 000"}, "method": {"in_person"}, "note": {"same shift"}})
	if code != "000 000" {
		assert.Equal(t, 422, wrong.status)
		assert.Contains(t, wrong.body, "4 more wrong codes close this request")
	}
	checked := m.post(casePath, casePath+"/check", url.Values{"request_code": {code}, "method": {"in_person"}, "note": {"same shift"}})
	require.Equal(t, 303, checked.status)
	issued := m.post(casePath, casePath+"/pass", url.Values{})
	require.Equal(t, 200, issued.status)
	passCode := passCodeRe.FindStringSubmatch(issued.body)[1]
	assert.Contains(t, issued.body, `src="data:image/png;base64,`, "the QR code is rendered locally")
	assert.NotContains(t, issued.body, "new-password", "the helper never chooses a password")

	// Only the browser that asked sees the pass.
	shown := guard.get(wait)
	assert.Contains(t, shown.body, passCode)
	link := passLinkRe.FindString(shown.body)
	require.NotEmpty(t, link)
	assert.Equal(t, 410, newBrowser(t, f).get(wait).status, "another browser sees an ended request")

	done := guard.post(link, link, url.Values{"password": {"lantern-orchard-velvet-42"}, "confirm": {"lantern-orchard-velvet-42"}})
	require.Equal(t, 303, done.status)
	assert.Equal(t, "/acme/sign-in?notice=password-reset&identifier=eve.employee", done.header.Get("Location"))
	assert.Equal(t, 410, guard.get(link).status, "the pass works once")
	assert.Equal(t, 303, guard.signIn("acme", "eve.employee", "lantern-orchard-velvet-42").status)
	assert.Contains(t, guard.get(wait).body, "Your request is resolved")

	// The code form of an unknown code is a field error, not a 500.
	bad := guard.post("/acme/recover", "/acme/recover", url.Values{"code": {strings.Repeat("a", 8)}, "password": {"x"}, "confirm": {"x"}})
	assert.Equal(t, 422, bad.status)
}

// TestMobileAskHelp: the app asks through the JSON API, with the same answer for an
// unknown username; bad input is a 400 with the fields named, never a 500.
func TestMobileAskHelp(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	ask := func(body string) page {
		return b.postRaw("/api/mobile/v1/help-requests", "application/json", body)
	}
	real := ask(`{"portal":"acme","username":"ed.mobile","problem":"new_phone","message":"new phone","phone":"+15550100"}`)
	made := ask(`{"portal":"acme","username":"nobody.at.all","problem":"new_phone","message":"new phone","phone":"+15550100"}`)
	require.Equal(t, 202, real.status, real.body)
	assert.Equal(t, 202, made.status)
	codeRe := regexp.MustCompile(`"request_code":"[0-9]{6}"`)
	mask := func(p page) string {
		s := helpRefRe.ReplaceAllString(codeRe.ReplaceAllString(p.body, ""), "X")
		return regexp.MustCompile(`"expires_at":"[^"]+"`).ReplaceAllString(s, "")
	}
	assert.Equal(t, mask(real), mask(made))
	assert.Contains(t, real.body, `"redeem_url":"`)
	assert.Equal(t, "no-store", real.header.Get("Cache-Control"))

	bad := ask(`{"portal":"acme","username":"ed.mobile","problem":"sunburn"}`)
	assert.Equal(t, 400, bad.status)
	assert.Contains(t, bad.body, `"problem"`)
	assert.Equal(t, 404, ask(`{"portal":"nope","username":"ed.mobile","problem":"locked"}`).status)
	assert.Equal(t, 400, ask(`{"portal":"acme","username":"ed.mobile","problem":"locked","extra":1}`).status)

	// The request reaches the helpers' inbox like a web one.
	m := newBrowser(t, f)
	require.Equal(t, 303, m.signIn("acme", "max.manager", demoPW).status)
	assert.Contains(t, m.get("/acme/admin/help-requests").body, helpRefRe.FindString(real.body))
}

// TestProfileOffersTheRecoveryPassFirst: a helper's view of a profile puts the recovery
// pass before the temporary password, and links the person's open request.
func TestProfileOffersTheRecoveryPassFirst(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	m := newBrowser(t, f)
	require.Equal(t, 303, m.signIn("acme", "max.manager", demoPW).status)
	list := m.get("/acme/admin/employees?q=eve")
	profile := regexp.MustCompile(`/acme/admin/employees/[0-9]+`).FindString(list.body)
	require.NotEmpty(t, profile)
	page := m.get(profile)
	offer, temp := strings.Index(page.body, `id="recovery-offer"`), strings.Index(page.body, `id="change-password"`)
	require.Positive(t, offer)
	assert.Less(t, offer, temp, "the recovery pass comes first")
	assert.Contains(t, page.body, "/acme/ask-for-help")

	answer := askForHelp(newBrowser(t, f), "eve.employee")
	page = m.get(profile)
	assert.Contains(t, page.body, `id="offer-open-request"`)
	assert.Contains(t, page.body, helpRefRe.FindString(answer.body))

	a := newBrowser(t, f)
	require.Equal(t, 303, a.signIn("acme", "amy.accounts", demoPW).status)
	assert.NotContains(t, a.get(profile).body, "recovery-offer", "not for a role without the permission")
}
