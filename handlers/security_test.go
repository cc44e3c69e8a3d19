package handlers_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/mail/mailtest"
	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// The attacks of issue 11 over HTTP. Each failed on the code before the fix.

// TestNoMailboxInProduction: without SMTP and outside development mode, the mailbox page
// does not exist, so nobody can read an administrator's reset link there; the mail waits
// in the outbox, readiness says so, and a server started with SMTP sends it (item 1;
// item 13: once sent, the stored body holds no link).
func TestNoMailboxInProduction(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			dbURL := backend.Migrated(t)
			f := servertest.New(t, servertest.Options{DatabaseURL: dbURL, Production: true})
			b := newBrowser(t, f)
			b.post("/globex/forgot-password", "/globex/forgot-password", url.Values{"identifier": {"gus.admin"}})
			assert.Equal(t, 404, b.get("/dev/mailbox").status)
			assert.Equal(t, 404, b.get("/dev/mailbox/1").status)
			assert.NotContains(t, b.get("/globex/sign-in").body, "/dev/mailbox")
			ready := b.get("/readyz")
			assert.Equal(t, 200, ready.status)
			assert.Contains(t, ready.body, "mail: NOT SENT, no SMTP server is configured; 1 e-mail(s) held in the outbox")
			held := f.Mail(t)
			require.Len(t, held, 1)
			assert.Equal(t, domain.OutboxPending, held[0].Status)

			srv := mailtest.Start(t)
			withSMTP := servertest.New(t, servertest.Options{DatabaseURL: dbURL, Production: true, SMTPURL: srv.URL()})
			n, err := withSMTP.Worker.RunOnce(t.Context())
			require.NoError(t, err)
			assert.Equal(t, 1, n, "sent once SMTP is configured")
			assert.Contains(t, srv.WaitFor(t, 1)[0].Text, "/globex/reset/")
			sent := withSMTP.Mail(t)[0]
			assert.Equal(t, domain.OutboxSent, sent.Status)
			assert.Empty(t, sent.TextBody, "no live link kept after delivery")
			assert.Empty(t, sent.HTMLBody)
		})
	}
}

// TestNULAndBadDatesAreRefused: a NUL byte in any field, and a date PostgreSQL cannot
// hold, get a clear 4xx, never a 500 (item 12).
func TestNULAndBadDatesAreRefused(t *testing.T) {
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			logs := captureLogs(t)
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.Migrated(t), RequestLog: logs.logger()})
			b := newBrowser(t, f)
			for _, tc := range []struct{ form, action string }{
				{"/acme/sign-in", "/acme/sign-in"},
				{"/acme/forgot-password", "/acme/forgot-password"},
			} {
				p := b.post(tc.form, tc.action, url.Values{"identifier": {"eve\x00.employee"}, "password": {"x\x00y"}})
				assert.Equal(t, 400, p.status, tc.action)
				assert.Contains(t, p.body, "NUL character", tc.action)
			}
			api := callAPI(t, f, "POST", "/api/mobile/v1/session", "", `{"portal":"acme","username":"eve\u0000","password":"x"}`)
			assert.Equal(t, 400, api.status)
			assert.Equal(t, "bad_input", api.body["error"])
			assert.Equal(t, 201, mobileSignIn(t, f, "ed.mobile", demoPW).status, "an escaped backslash is no NUL")

			require.Equal(t, 303, b.signIn("acme", "ada.admin", demoPW).status)
			assert.Equal(t, 400, b.get("/acme/admin/employees?q=eve%00").status)
			p := b.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
				"display_name": {"Nul\x00Name"}, "username": {"nul.name"}, "email": {"nul@acme.test"}, "role": {"Employee"}, "mode": {"temporary"},
			})
			assert.Equal(t, 400, p.status)
			for _, q := range []string{"from=0000-01-01", "to=0000-12-31", "from=99999-01-01"} {
				p := b.get("/acme/admin/audit?" + q)
				assert.Equal(t, 422, p.status, q)
				assert.Contains(t, p.body, "Use a date between 1970 and 9999", q)
			}
			assert.NotContains(t, logs.String(), "ERROR")
		})
	}
}

// TestTokensNeverLogged: a failing request on a reset link's page logs its route, not
// the token (item 14).
func TestTokensNeverLogged(t *testing.T) {
	logs := captureLogs(t)
	f := servertest.New(t, servertest.Options{RequestLog: logs.logger()})
	b := newBrowser(t, f)
	b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}})
	link := resetLinkRe.FindString(f.Mail(t)[0].TextBody)
	require.NotEmpty(t, link)
	token := link[strings.LastIndex(link, "/")+1:]
	b.get("/acme/sign-in") // the portal is now cached, so the failure comes from the link check
	logs.Reset()
	require.NoError(t, f.DB.Close())
	p := b.get(link)
	assert.GreaterOrEqual(t, p.status, 500)
	assert.Contains(t, logs.String(), "/:portal/reset/:token")
	assert.NotContains(t, logs.String(), token)
}

// TestNoStoreOnSecrets: the mobile sign-in answer carries a token and the audit export
// addresses; no cache may keep them (item 17).
func TestNoStoreOnSecrets(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	body, _ := json.Marshal(map[string]string{"portal": "acme", "username": "ed.mobile", "password": demoPW})
	req, _ := http.NewRequest("POST", f.URL+"/api/mobile/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := servertest.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))

	b := newBrowser(t, f)
	b.signIn("acme", "ada.admin", demoPW)
	csv := b.get("/acme/admin/audit?format=csv")
	assert.Equal(t, 200, csv.status)
	assert.Equal(t, "no-store", csv.header.Get("Cache-Control"))
}

// TestLastTryWarning: the answer before the last allowed attempt warns, on the web page
// and in the app's message, the same for an unknown identifier.
func TestLastTryWarning(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	var pages []page
	for _, ident := range []string{"eve.employee", "nobody.at.all"} {
		var p page
		for i := range 4 {
			p = b.signIn("acme", ident, "not-the-password")
			if i < 3 {
				assert.NotContains(t, p.body, `id="last-try"`)
			}
		}
		assert.Equal(t, 401, p.status)
		assert.Contains(t, p.body, "One more wrong password locks sign-in for 15 minutes.")
		pages = append(pages, p)
	}
	a := strings.Replace(stripCSRF(pages[0].body), "eve.employee", "X", 1)
	c := strings.Replace(stripCSRF(pages[1].body), "nobody.at.all", "X", 1)
	assert.Equal(t, a, c, "the same page for an unknown identifier")

	var last apiResp
	for range 4 {
		last = mobileSignIn(t, f, "ed.mobile", "not-the-password")
	}
	assert.Equal(t, 401, last.status)
	assert.Contains(t, last.body["message"], "One more wrong password locks sign-in for 15 minutes.")
	assert.Equal(t, 423, mobileSignIn(t, f, "ed.mobile", "not-the-password").status)
}

// TestSprayingAddressGets429: past the limit of failures across accounts, an address is
// refused with the same 429 whatever it names, on the web and in the app (item 5).
func TestSprayingAddressGets429(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{Services: func(c *domain.Config) { c.SprayPerAddress = 3 }})
	b := newBrowser(t, f)
	for _, ident := range []string{"amy.accounts", "max.manager", "nobody.here"} {
		require.Equal(t, 401, b.signIn("acme", ident, "Winter2026!").status)
	}
	for _, ident := range []string{"eve.employee", "someone.else"} {
		p := b.signIn("acme", ident, demoPW)
		assert.Equal(t, 429, p.status, ident)
		assert.Contains(t, p.body, "too many failed sign-ins from your network")
		assert.Equal(t, "900", p.header.Get("Retry-After"))
	}
	api := mobileSignIn(t, f, "ed.mobile", demoPW)
	assert.Equal(t, 429, api.status)
	assert.Equal(t, "too_many_attempts", api.body["error"])
}

// TestAccountManagerSeesNoSecurityEvents: the profile page shows security events and
// addresses only with the audit permission (item 8).
func TestAccountManagerSeesNoSecurityEvents(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	b.signIn("acme", "amy.accounts", demoPW)
	p := b.get(profile(t, f, "acme", "eve.employee"))
	assert.Equal(t, 200, p.status)
	assert.NotContains(t, p.body, "Recent security events")
	assert.NotContains(t, p.body, `id="events"`)
}

// TestManagerUnlockOfAdministratorIs403: a Manager's Unlock of an Administrator is
// refused over HTTP too (item 3).
func TestManagerUnlockOfAdministratorIs403(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	b.signIn("acme", "max.manager", demoPW)
	ada := profile(t, f, "acme", "ada.admin")
	assert.Equal(t, 403, b.post("/acme/admin/employees", ada+"/unlock", url.Values{}).status)
}

// captureLogs sends the default logger to a buffer for the rest of the test.
// captureLogs collects what the default logger writes; pass logs.logger() as the
// fixture's RequestLog to collect the request log and request errors as well.
func captureLogs(t *testing.T) *syncBuffer {
	t.Helper()
	buf := &syncBuffer{}
	old := slog.Default()
	slog.SetDefault(buf.logger())
	t.Cleanup(func() { slog.SetDefault(old) })
	return buf
}

func (b *syncBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// TestSupportSignInRotatesTheSession: signing in to the support console again ends the
// browser's previous support session (item 15).
func TestSupportSignInRotatesTheSession(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	sam := newBrowser(t, f)
	signIn := func() string {
		require.Equal(t, 303, sam.post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {demoPW}}).status)
		in := sam.post("/support/two-step", "/support/two-step", url.Values{"code": {totpCode(t, domain.DemoSupportTwoStepSecret, f.Clock.Now())}})
		require.Equal(t, 303, in.status)
		for _, c := range strings.Split(strings.Join(in.header.Values("Set-Cookie"), ";"), ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(c), "wp_support="); ok && v != "" {
				return v
			}
		}
		t.Fatal("no support session cookie")
		return ""
	}
	first := signIn()
	f.Clock.Advance(time.Minute) // a fresh authenticator code
	second := signIn()
	_, err := f.Services.Support.Session(t.Context(), first)
	assert.ErrorIs(t, err, domain.ErrSessionEnded, "the old session ended at sign-in")
	_, err = f.Services.Support.Session(t.Context(), second)
	assert.NoError(t, err)
}
