package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// TestSupportCannotTouchPasswords signs in as vendor support, reads a portal's
// configuration, then forges its support cookie (and a valid CSRF token) onto every
// administrative endpoint: all are refused and nothing changes.
func TestSupportCannotTouchPasswords(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	sam := newBrowser(t, f)
	in := sam.post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {demoPW}})
	require.Equal(t, 303, in.status)
	require.Equal(t, "/support/two-step", in.header.Get("Location"), "support always takes a second step")
	assert.NotContains(t, in.header.Get("Set-Cookie"), "wp_support=", "the password alone opens nothing")
	in = sam.post("/support/two-step", "/support/two-step", url.Values{"code": {totpCode(t, domain.DemoSupportTwoStepSecret, f.Clock.Now())}})
	require.Equal(t, 303, in.status)
	var token string
	for _, c := range strings.Split(strings.Join(in.header.Values("Set-Cookie"), ";"), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(c), "wp_support="); ok {
			token = v
		}
	}
	require.NotEmpty(t, token)

	home := sam.get("/support")
	assert.Contains(t, home.body, "Acme Security")
	assert.Contains(t, home.body, "only your company&#39;s administrators can reset passwords")
	acme := sam.get("/support/portals/acme")
	assert.Equal(t, 200, acme.status)
	assert.Contains(t, acme.body, "Ada Admin")
	assert.NotContains(t, acme.body, "$argon2id")
	assert.Equal(t, 404, sam.get("/support/portals/nope").status)

	eve := profile(t, f, "acme", "eve.employee")
	before := f.User(t, "acme", "eve.employee").PasswordHash
	csrf := sam.csrf("/acme/sign-in")
	posts := []string{eve + "/password", eve + "/reset-email", eve + "/unlock", eve + "/sign-out", eve + "/email",
		eve + "/disable", eve + "/two-step-reset", "/acme/admin/employees", "/acme/admin/roles", "/acme/admin/policy", "/acme/account/password",
		"/acme/change-password", "/acme/account/sign-out-others"}
	gets := []string{"/acme/admin/employees", eve, "/acme/admin/roles", "/acme/admin/policy", "/acme/admin/audit", "/acme/account", "/dev/mailbox/999"}
	forge := func(method, path string) int {
		body := url.Values{"_csrf": {csrf}, "password": {"support-chosen-pass-1"}, "email": {"sam@watchpost.test"}, "disabled": {"1"}}
		req, _ := http.NewRequest(method, f.URL+path, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "wp_support="+token+"; wp_session="+token)
		return sam.do(req).status
	}
	for _, p := range posts {
		status := forge("POST", p)
		assert.Contains(t, []int{401, 403}, status, "POST %s as support", p)
	}
	for _, p := range gets {
		status := forge("GET", p)
		assert.Contains(t, []int{303, 404}, status, "GET %s as support", p)
	}
	after := f.User(t, "acme", "eve.employee")
	assert.Equal(t, before, after.PasswordHash)
	assert.Equal(t, "eve@acme.test", after.Email)
	assert.False(t, after.Disabled)
	for _, m := range f.Mail(t) {
		assert.NotEqual(t, "reset", m.Category, "no reset link was sent")
	}

	wrong := newBrowser(t, f).post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {"wrong"}})
	assert.Equal(t, 401, wrong.status)
}
