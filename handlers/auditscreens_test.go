package handlers_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 14: the audit log reads as words and links each row to the person; a refused
// page offers a signed-in person the way home, not the sign-in page.
func TestAuditReadableAndLinked(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	eve := f.User(t, "acme", "eve.employee")
	unlock := ada.post("/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10), "/acme/admin/employees/"+strconv.FormatInt(eve.ID, 10)+"/unlock", url.Values{})
	require.Equal(t, 303, unlock.status)
	role := roleID(t, f, "acme", "Account Manager")
	save := ada.post("/acme/admin/roles", "/acme/admin/roles", url.Values{"role": {role}, "perm-" + role: {"view_employees", "reset_password"}})
	require.Contains(t, []int{200, 303}, save.status)

	audit := ada.get("/acme/admin/audit")
	require.Equal(t, 200, audit.status)
	assert.Contains(t, audit.body, "Account Manager: View employees → View employees, Reset passwords")
	assert.NotContains(t, between(audit.body, `id="events"`, `</table>`), "reset_password")
	assert.Contains(t, audit.body, `<a href="/acme/admin/employees/`+strconv.FormatInt(eve.ID, 10)+`">eve.employee</a>`)

	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	refused := amy.get("/acme/admin/audit")
	assert.Equal(t, 403, refused.status)
	assert.Contains(t, refused.body, `href="/acme/">Back to home</a>`)
	assert.NotContains(t, refused.body, "Go to sign in")
	anon := newBrowser(t, f)
	assert.Contains(t, anon.get("/acme/nosuch").body, "Go to sign in", "someone signed out is still offered sign-in")
}

func roleID(t *testing.T, f *servertest.Fixture, portal, name string) string {
	t.Helper()
	r, err := f.Store.RoleByName(t.Context(), f.Portal(t, portal).ID, name)
	require.NoError(t, err)
	return strconv.FormatInt(r.ID, 10)
}

// Issue 14: disabling asks first, also without JavaScript: an unconfirmed post leads to
// the confirmation page and changes nothing.
func TestDisableAsksFirst(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	eve := profile(t, f, "acme", "eve.employee")
	p := ada.post(eve, eve+"/disable", url.Values{"disabled": {"1"}})
	require.Equal(t, 303, p.status)
	assert.Equal(t, eve+"/disable", p.header.Get("Location"))
	assert.False(t, f.User(t, "acme", "eve.employee").Disabled, "not disabled without confirming")
	confirm := ada.get(eve + "/disable")
	require.Equal(t, 200, confirm.status)
	assert.Contains(t, confirm.body, "Every browser session and mobile-app sign-in they have ends now.")
	assert.Contains(t, confirm.body, `name="confirm" value="yes"`)
	p = ada.post(eve+"/disable", eve+"/disable", url.Values{"disabled": {"1"}, "confirm": {"yes"}})
	require.Equal(t, 303, p.status)
	assert.True(t, f.User(t, "acme", "eve.employee").Disabled)
	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	assert.Equal(t, 403, amy.get(eve+"/disable").status, "the page needs the permission too")
}

// Issue 14: the app checks a portal code before asking for a password; the answer says
// only whether the code exists.
func TestMobilePortalCheck(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	ok := b.get("/api/mobile/v1/portals/ACME")
	assert.Equal(t, 200, ok.status)
	assert.JSONEq(t, `{"code":"acme","name":"Acme Security"}`, ok.body, "the app names the portal as its sign-in page does (issue 23, item 17)")
	missing := b.get("/api/mobile/v1/portals/acmee")
	assert.Equal(t, 404, missing.status)
	assert.Contains(t, missing.body, `"error":"unknown_portal"`)
}

// Issue 13: an audit event's detail is stored as catalogue messages, so each reader sees
// it in their own language; the CSV export keeps the English text.
func TestAuditDetailInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	eve := profile(t, f, "acme", "eve.employee")
	require.Equal(t, 200, ada.post(eve, eve+"/password", url.Values{"force": {"on"}}).status)

	for lang, want := range map[string]string{
		"en": "set by Ada Admin, with Force Password Change",
		"fr": "défini par Ada Admin, avec changement obligatoire du mot de passe",
		"es": "establecida por Ada Admin, con cambio de contraseña obligatorio",
	} {
		assert.Contains(t, ada.get(eve, "Accept-Language", lang).body, want, lang)
		assert.Contains(t, ada.get("/acme/admin/audit", "Accept-Language", lang).body, want, lang)
	}
	csv := ada.get("/acme/admin/audit?format=csv", "Accept-Language", "fr")
	require.Equal(t, 200, csv.status)
	assert.Contains(t, csv.body, "set by Ada Admin, with Force Password Change")
}
