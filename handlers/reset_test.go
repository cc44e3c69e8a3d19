package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/mail/mailtest"
	"github.com/watchpost/watchpost/server/servertest"
)

var resetLinkRe = regexp.MustCompile(`/acme/reset/[A-Za-z0-9_-]{43}`)

func TestResetOverHTTP(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	other := newBrowser(t, f)
	require.Equal(t, 303, other.signIn("acme", "eve.employee", demoPW).status)

	b := newBrowser(t, f)
	p := b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve@acme.test"}})
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.body, "expires in 60 minutes")

	box := b.get("/dev/mailbox")
	link := resetLinkRe.FindString(box.body)
	require.NotEmpty(t, link, "the development mailbox shows the reset link")
	assert.Equal(t, "no-referrer", box.header.Get("Referrer-Policy"))

	form := b.get(link)
	assert.Equal(t, 200, form.status)
	assert.Equal(t, "no-referrer", form.header.Get("Referrer-Policy"))
	assert.Contains(t, form.body, "Choose a new password")

	bad := b.post(link, link, url.Values{"password": {demoPW}, "confirm": {demoPW}})
	assert.Equal(t, 422, bad.status)
	assert.Contains(t, bad.body, "You have used this password before here")

	done := b.post(link, link, url.Values{"password": {"lantern-orchard-velvet-42"}, "confirm": {"lantern-orchard-velvet-42"}})
	assert.Equal(t, 303, done.status)
	assert.Equal(t, "/acme/sign-in?notice=password-reset&identifier=eve.employee", done.header.Get("Location"))
	assert.Contains(t, b.get("/acme/sign-in?notice=password-reset").body, "in the mobile app too")

	again := b.get(link)
	assert.Equal(t, 410, again.status)
	assert.Contains(t, again.body, "Send me a new link")

	assert.Equal(t, 303, other.get("/acme/").status, "the other browser was signed out")
	assert.Equal(t, 303, b.signIn("acme", "eve.employee", "lantern-orchard-velvet-42").status)
}

func TestMailboxOffWithSMTP(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{SMTPURL: "smtp://127.0.0.1:1?tls=none"})
	b := newBrowser(t, f)
	assert.Equal(t, 404, b.get("/dev/mailbox").status)
	assert.NotContains(t, b.get("/acme/sign-in").body, "/dev/mailbox")
}

// TestResetMailOverSMTP follows a forgot-password request through the outbox and a real
// SMTP conversation to the link in the received e-mail.
func TestResetMailOverSMTP(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	f := servertest.New(t, servertest.Options{SMTPURL: srv.URL()})
	b := newBrowser(t, f)
	b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}})
	n, err := f.Worker.RunOnce(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	m := srv.WaitFor(t, 1)[0]
	assert.Equal(t, []string{"eve@acme.test"}, m.To)
	assert.Equal(t, "Reset your Acme Security password", m.Subject)
	assert.Contains(t, m.Header.Get("From"), "no-reply@watchpost.local")
	link := resetLinkRe.FindString(m.Text)
	require.NotEmpty(t, link)
	assert.Contains(t, m.Text, f.URL+link, "built from the configured base URL")
	assert.Contains(t, m.HTML, `href="`+f.URL+link+`"`)
	assert.Equal(t, 200, b.get(link).status)
}

// TestForgotSendAgain: a fourth request in a short time was dropped by the rate limit
// while the page said "check your e-mail". The answer stays the same for every request
// and every identifier (no enumeration), says that only the newest link works, and
// offers "Send again" with the wait that keeps requests within the limit (issue 23,
// item 11).
func TestForgotSendAgain(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	var pages []string
	for _, ident := range []string{"eve.employee", "eve.employee", "eve.employee", "eve.employee", "nobody.here"} {
		p := b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {ident}})
		require.Equal(t, 200, p.status)
		pages = append(pages, strings.ReplaceAll(stripCSRF(p.body), ident, "IDENT"))
	}
	for i, p := range pages[1:] {
		assert.Equal(t, pages[0], p, "answer %d differs from the first", i+2)
	}
	p := pages[0]
	assert.Contains(t, p, "Only the newest link works: asking again replaces the earlier link.")
	assert.Contains(t, p, `<form method="post" action="/acme/forgot-password" class="resend" id="resend" data-wait-seconds="300">`)
	assert.Contains(t, p, `<input type="hidden" name="identifier" value="IDENT">`)
	assert.Contains(t, p, "Nothing after 5 minutes? Send it again:")
	assert.Contains(t, p, `id="send-again"`)
}

// TestFocusAndPrefill: the reset page puts the cursor in the new password, "Check your
// e-mail" on its heading; after a reset the sign-in form has the username filled in, and
// the app's "Trouble signing in?" passes the username to the web forgot page (issue 23,
// item 15).
func TestFocusAndPrefill(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	sent := b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}})
	assert.Contains(t, sent.body, `<h1 id="sent-title" tabindex="-1" autofocus>`)
	link := resetLinkRe.FindString(lastMailTo(t, f, "eve@acme.test", "reset").TextBody)
	page := b.get(link)
	assert.Regexp(t, `<input id="password"[^>]* autofocus`, page.body)
	assert.NotRegexp(t, `<input id="confirm"[^>]* autofocus`, page.body)

	const pw = "lantern-orchard-velvet-42"
	done := b.post(link, link, url.Values{"password": {pw}, "confirm": {pw}})
	require.Equal(t, 303, done.status)
	signIn := b.get(done.header.Get("Location"))
	assert.Regexp(t, `<input id="identifier" name="identifier" type="text" value="eve.employee"`, signIn.body)
	assert.Regexp(t, `<input id="password"[^>]* autofocus`, signIn.body, "the cursor waits in the password")

	app := b.get("/m/acme/forgot-password?identifier=ed.mobile")
	require.Equal(t, 303, app.status)
	assert.Equal(t, "/acme/forgot-password?identifier=ed.mobile", app.header.Get("Location"))
	assert.Contains(t, b.get(app.header.Get("Location")).body, `value="ed.mobile"`)
}
