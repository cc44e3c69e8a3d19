package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/mail/mailtest"
	"github.com/watchpost/watchpost/server/servertest"
)

var tempRe = regexp.MustCompile(`<code id="temp-password"[^>]*>([^<]+)</code>`)

func profile(t *testing.T, f *servertest.Fixture, portal, user string) string {
	return domain.EmployeePath(portal, f.User(t, portal, user).ID)
}

func TestAdminCreatesProfileAndEmployeeMustChange(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	list := ada.get("/acme/admin/employees?q=eve")
	assert.Contains(t, list.body, "Eve Employee")
	assert.NotContains(t, list.body, "Max Manager")

	p := ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {"Nina New"}, "username": {"nina.new"}, "email": {"nina@acme.test"},
		"role": {"Manager"}, "mode": {"temporary"}, "force": {"on"},
	})
	require.Equal(t, 200, p.status)
	assert.Equal(t, "no-store", p.header.Get("Cache-Control"))
	m := tempRe.FindStringSubmatch(p.body)
	require.NotNil(t, m, "the temporary password is shown once")
	for _, msg := range f.Mail(t) {
		assert.NotContains(t, msg.TextBody, m[1], "never e-mailed")
	}

	nina := newBrowser(t, f)
	in := nina.signIn("acme", "nina.new", m[1])
	assert.Equal(t, "/acme/change-password", in.header.Get("Location"))
	assert.Equal(t, 303, nina.get("/acme/account").status, "nothing else works before the change")
	done := nina.post("/acme/change-password", "/acme/change-password", url.Values{
		"current": {m[1]}, "password": {"meadow-copper-lantern-51"}, "confirm": {"meadow-copper-lantern-51"},
	})
	assert.Equal(t, 303, done.status)
	assert.Contains(t, nina.get("/acme/").body, "Welcome, Nina New")

	bad := ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {""}, "username": {"Bad Name!"}, "email": {"not-an-email"}, "role": {"Employee"}, "mode": {"temporary"},
	})
	assert.Equal(t, 422, bad.status)
	assert.Contains(t, bad.body, "Enter a valid e-mail address")
}

func TestAccountManagerCannotReset(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	eve := profile(t, f, "acme", "eve.employee")
	page := amy.get(eve)
	assert.Equal(t, 200, page.status)
	assert.NotContains(t, page.body, "Set password")
	assert.NotContains(t, page.body, "Send reset e-mail")

	forced := amy.post(eve, eve+"/password", url.Values{"force": {"on"}})
	assert.Equal(t, 403, forced.status)
	assert.Contains(t, forced.body, "Your role does not have this permission; ask your administrator (Ada Admin)")

	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	amID := roleID(t, f, "acme", "Account Manager")
	saved := ada.post("/acme/admin/roles", "/acme/admin/roles", url.Values{"role": {amID}, "perm-" + amID: {"view_employees", "reset_password"}})
	assert.Equal(t, 303, saved.status)
	assert.Contains(t, amy.get(eve).body, "Set password", "granted: the action appears")
	assert.Equal(t, 200, amy.post(eve, eve+"/password", url.Values{"force": {"on"}}).status)
}

func TestAdminIsolationAndEscalation(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	gail := profile(t, f, "globex", "gail.guard")
	acmeGail := strings.Replace(gail, "/globex/", "/acme/", 1)
	assert.Equal(t, 404, ada.get(acmeGail).status, "another portal's id is not found")
	assert.Equal(t, 404, ada.post("/acme/admin/employees", acmeGail+"/password", url.Values{}).status)
	assert.Equal(t, 303, ada.get(gail).status, "an acme session is no key to globex")

	max := newBrowser(t, f)
	max.signIn("acme", "max.manager", demoPW)
	adaProfile := profile(t, f, "acme", "ada.admin")
	p := max.post(adaProfile, adaProfile+"/password", url.Values{"force": {"on"}})
	assert.Equal(t, 403, p.status)
	assert.Contains(t, p.body, "holds permissions your role does not have")
	assert.Equal(t, 403, max.get("/acme/admin/roles").status)
	assert.Equal(t, 403, max.get("/acme/admin/audit").status)
}

func TestUnlockAndEmailChange(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	for range 5 {
		eve.signIn("acme", "eve.employee", "wrong-password")
	}
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	prof := profile(t, f, "acme", "eve.employee")
	page := ada.get(prof)
	assert.Contains(t, page.body, `id="unlock"`)
	assert.Contains(t, ada.get("/acme/admin/employees").body, "Locked")
	assert.Equal(t, 303, ada.post(prof, prof+"/unlock", url.Values{}).status)
	assert.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)

	bad := ada.post(prof, prof+"/email", url.Values{"email": {"nope"}})
	assert.Equal(t, 422, bad.status)
	assert.Equal(t, 303, ada.post(prof, prof+"/email", url.Values{"email": {"eve.new@acme.test"}}).status)
	assert.Contains(t, ada.get(prof).body, "eve.new@acme.test")

	audit := ada.get("/acme/admin/audit?type=email_changed")
	assert.Contains(t, audit.body, "eve@acme.test → eve.new@acme.test")
	csv := ada.get("/acme/admin/audit?format=csv")
	assert.Contains(t, csv.header.Get("Content-Type"), "text/csv")
	assert.Contains(t, csv.body, "account_unlocked")
}

func TestPolicyForm(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	form := url.Values{"max_failed_attempts": {"1"}, "failure_window_minutes": {"15"}, "lockout_minutes": {"15"},
		"history_depth": {"30"}, "min_length": {"12"}, "reset_link_minutes": {"60"}, "temp_password_hours": {"72"}, "admin_contact": {"IT desk"},
		"audit_retention_days": {"7"}}
	assert.Contains(t, ada.get("/acme/admin/policy").body, `name="audit_retention_days"`)
	assert.Contains(t, ada.get("/acme/admin/policy").body, `value="400"`, "audit events are kept 400 days by default")
	p := ada.post("/acme/admin/policy", "/acme/admin/policy", form)
	assert.Equal(t, 422, p.status)
	assert.Contains(t, p.body, "Use 3 to 20 failed attempts.")
	assert.Contains(t, p.body, "Use 0 to 24 passwords.")
	assert.Contains(t, p.body, "Use 30 to 3650 days.")
	form.Set("max_failed_attempts", "3")
	form.Set("history_depth", "10")
	form.Set("audit_retention_days", "90")
	assert.Equal(t, 303, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)
	assert.Equal(t, 3, f.Portal(t, "acme").Policy.MaxFailedAttempts)
	assert.Equal(t, 90, f.Portal(t, "acme").Policy.AuditRetentionDays)
	assert.False(t, f.Portal(t, "acme").Policy.PeerCredentials, "off by default, and a form without it keeps it")

	form.Set("peer_credentials_shown", "1")
	form.Set("peer_credentials", "1")
	require.Equal(t, 303, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)
	assert.True(t, f.Portal(t, "acme").Policy.PeerCredentials)
	assert.Contains(t, ada.get("/acme/admin/policy").body, `name="peer_credentials" value="1" aria-describedby="peer-credentials-note" checked`)
	form.Del("peer_credentials")
	require.Equal(t, 303, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)
	assert.False(t, f.Portal(t, "acme").Policy.PeerCredentials, "unticked turns it off")
}

// TestUndeliveredMailIsShown lets the SMTP server refuse until the outbox gives up: the
// audit page tells administrators which e-mail was not delivered.
func TestUndeliveredMailIsShown(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	srv.Stop()
	f := servertest.New(t, servertest.Options{SMTPURL: srv.URL()})
	f.Worker.MaxAttempts = 1
	b := newBrowser(t, f)
	b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"eve.employee"}})
	_, err := f.Worker.RunOnce(t.Context())
	require.NoError(t, err)
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	page := ada.get("/acme/admin/audit")
	assert.Contains(t, page.body, "1 e-mail could not be delivered")
	assert.Contains(t, page.body, "Reset your Acme Security password → eve@acme.test")
}

func TestChangeRoleForm(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	max := newBrowser(t, f)
	max.signIn("acme", "max.manager", demoPW)
	eve := profile(t, f, "acme", "eve.employee")
	done := max.post(eve, eve+"/role", url.Values{"role": {"Manager"}})
	assert.Equal(t, 303, done.status)
	assert.Contains(t, max.get(done.header.Get("Location")).body, "Role changed")
	assert.Equal(t, "Manager", f.User(t, "acme", "eve.employee").Role.Name)
	p := max.post(eve, eve+"/role", url.Values{"role": {"Administrator"}})
	assert.Equal(t, 403, p.status)
	assert.Contains(t, p.body, "the Administrator role has permissions your role does not have")
}

// A deep link survives the forced password change: someone sent to sign in on their
// way to a page, with a temporary password, lands on that page once the change is done.
func TestDeepLinkThroughForcedChange(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	p := ada.post("/acme/admin/employees/new", "/acme/admin/employees", url.Values{
		"display_name": {"Nina New"}, "username": {"nina.new"}, "email": {"nina@acme.test"},
		"role": {"Manager"}, "mode": {"temporary"}, "force": {"on"},
	})
	require.Equal(t, 200, p.status)
	m := tempRe.FindStringSubmatch(p.body)
	require.NotNil(t, m)

	nina := newBrowser(t, f)
	in := nina.post("/acme/sign-in?next=/acme/admin/employees", "/acme/sign-in", url.Values{
		"identifier": {"nina.new"}, "password": {m[1]}, "next": {"/acme/admin/employees"},
	})
	require.Equal(t, 303, in.status)
	change := in.header.Get("Location")
	assert.Equal(t, "/acme/change-password?next=%2Facme%2Fadmin%2Femployees", change)
	assert.Contains(t, nina.get(change).body, `name="next" value="/acme/admin/employees"`)
	done := nina.post(change, "/acme/change-password", url.Values{
		"current": {m[1]}, "password": {"meadow-copper-lantern-51"}, "confirm": {"meadow-copper-lantern-51"}, "next": {"/acme/admin/employees"},
	})
	require.Equal(t, 303, done.status)
	assert.Equal(t, "/acme/admin/employees", done.header.Get("Location"))
}

// TestSetPasswordFormKeepsTheAdministratorsChoices: after a refused password the form
// kept neither the typed password nor an unticked Force Password Change, and its message
// spoke to the administrator about their own username (issue 23, item 5).
func TestSetPasswordFormKeepsTheAdministratorsChoices(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	prof := profile(t, f, "acme", "eve.employee")
	forceBox := regexp.MustCompile(`<input type="checkbox" name="force"( checked)?`)

	typed := "Eve.Employee plays chess 2026"
	p := ada.post(prof, prof+"/password", url.Values{"password": {typed}})
	require.Equal(t, 422, p.status)
	assert.Contains(t, p.body, `value="`+typed+`"`, "the typed password stays")
	require.Equal(t, []string{`<input type="checkbox" name="force"`, ""}, forceBox.FindStringSubmatch(p.body), "Force stays unticked")
	assert.Contains(t, p.body, "Leave Eve Employee’s username out of the password")
	assert.NotContains(t, p.body, "your username")

	p = ada.post(prof, prof+"/password", url.Values{"password": {demoPW}, "force": {"on"}})
	require.Equal(t, 422, p.status)
	assert.Equal(t, " checked", forceBox.FindStringSubmatch(p.body)[1], "Force stays ticked")
	assert.Contains(t, p.body, "Eve Employee has used this password before here")
	assert.NotContains(t, p.body, "You have used this password")

	// The page before any post ticks Force, as the default.
	assert.Equal(t, " checked", forceBox.FindStringSubmatch(ada.get(prof).body)[1])
}

// TestHomeTilesSayWhatThisPersonCanDo: the Account Manager's home promised "create
// profiles, reset passwords and unlock accounts", which her role cannot do (issue 23,
// item 9).
func TestHomeTilesSayWhatThisPersonCanDo(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	home := amy.get("/acme/")
	require.Equal(t, 200, home.status)
	assert.Contains(t, home.body, "Find people")
	for _, cannot := range []string{"reset passwords", "Reset passwords", "create profiles", "Create profiles", "unlock accounts", "Unlock accounts"} {
		assert.NotContains(t, home.body, cannot)
	}
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	home = ada.get("/acme/")
	for _, can := range []string{"<li>Create profiles</li>", "<li>Reset passwords</li>", "<li>Unlock accounts</li>"} {
		assert.Contains(t, home.body, can)
	}
}

// TestTemporaryScreenSaysWhatWasSet: with Force Password Change off the screen was still
// titled "Temporary password", and the address kept the notice of the previous action
// (issue 23, item 17).
func TestTemporaryScreenSaysWhatWasSet(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	prof := profile(t, f, "acme", "eve.employee")

	set := ada.post(prof+"?notice=unlocked", prof+"/password", url.Values{})
	require.Equal(t, 200, set.status)
	assert.Contains(t, set.body, "<h1>New password</h1>")
	assert.NotContains(t, set.body, "<h1>Temporary password</h1>")
	assert.Equal(t, prof, set.header.Get("HX-Replace-Url"), "the address shows the profile, without the old notice")
	assert.Empty(t, set.header.Get("HX-Push-Url"), "htmx reads HX-Push-Url first: it would win over HX-Replace-Url")

	forced := ada.post(prof, prof+"/password", url.Values{"force": {"on"}})
	assert.Contains(t, forced.body, "<h1>Temporary password</h1>")
}

// TestEmployeeListLastSignInAndLiveSearch: the list has a "Last sign-in" column, and the
// search runs as one types (htmx replaces only the results, so the field keeps its
// cursor) while the Search button stays for a browser without JavaScript (issue 23,
// item 20).
func TestEmployeeListLastSignInAndLiveSearch(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	list := ada.get("/acme/admin/employees")
	require.Equal(t, 200, list.status)
	assert.Contains(t, list.body, `<th scope="col">Last sign-in</th>`)
	assert.Contains(t, list.body, `<span class="muted">Never</span>`, "max never signed in")
	assert.Regexp(t, `<td translate="no">ada.admin</td>.*?<time datetime="[0-9T:Z-]+">`, list.body)
	assert.Contains(t, list.body, `hx-get="/acme/admin/employees"`)
	assert.Contains(t, list.body, `hx-trigger="input delay:300ms from:#q, search from:#q, change"`)
	assert.Contains(t, list.body, `hx-target="#employee-results"`)
	assert.Regexp(t, `<button type="submit" class="btn">Show</button>|<button type="submit" class="btn">`, list.body)

	live := ada.get("/acme/admin/employees?q=eve", "HX-Request", "true")
	require.Equal(t, 200, live.status)
	assert.Contains(t, live.body, `<div id="employee-results">`)
	assert.Contains(t, live.body, "eve.employee")
	assert.NotContains(t, live.body, "max.manager")
	assert.NotContains(t, live.body, "<html", "a fragment for htmx")
}
