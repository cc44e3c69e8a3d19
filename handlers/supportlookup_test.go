package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 14: support finds a person and tells an administrator whether they are locked or
// must change their password; it sees who may reset passwords and the policy in words.
func TestSupportLooksUpAPerson(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	for range 5 {
		eve.signIn("acme", "eve.employee", "not-the-password")
	}
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	ed := profile(t, f, "acme", "ed.mobile")
	set := ada.post(ed, ed+"/password", url.Values{"generate": {"1"}, "force": {"on"}})
	require.Equal(t, 200, set.status)
	temp := tempRe.FindStringSubmatch(set.body)
	require.NotNil(t, temp)

	anon := newBrowser(t, f)
	p := anon.post("/support", "/support/portals/acme/lookup", url.Values{"who": {"eve.employee"}})
	assert.Equal(t, 303, p.status, "only signed-in support")

	sam := newBrowser(t, f)
	require.Equal(t, 303, sam.post("/support", "/support/sign-in", url.Values{"identifier": {"sam.support"}, "password": {demoPW}}).status)
	require.Equal(t, 303, sam.post("/support/two-step", "/support/two-step", url.Values{"code": {totpCode(t, domain.DemoSupportTwoStepSecret, f.Clock.Now())}}).status)
	acme := sam.get("/support/portals/acme")
	assert.Contains(t, acme.body, "5 wrong passwords within 15 minutes lock sign-in for 15 minutes.")
	assert.Contains(t, acme.body, "Who can reset passwords")
	assert.Regexp(t, `(?s)id="reset-roles".*Administrator.*Ada Admin.*Manager.*Max Manager`, acme.body, "every role that may reset, not only Administrators")
	assert.NotContains(t, between(acme.body, `id="reset-roles"`, `</div>`), "Account Manager")

	locked := sam.post("/support/portals/acme", "/support/portals/acme/lookup", url.Values{"who": {"EVE@acme.test"}})
	require.Equal(t, 200, locked.status)
	res := between(locked.body, `id="lookup-result"`, `</div>`)
	assert.Contains(t, res, "Eve Employee")
	assert.Contains(t, res, "Locked")
	assert.Contains(t, res, "Sign-in is locked until")

	must := sam.post("/support/portals/acme", "/support/portals/acme/lookup", url.Values{"who": {"ed.mobile"}})
	res = between(must.body, `id="lookup-result"`, `</div>`)
	assert.Contains(t, res, "Must change password")
	assert.NotContains(t, res, "Locked")
	assert.NotContains(t, must.body, temp[1], "no temporary password")
	assert.NotContains(t, must.body, "$argon2id", "no hash")

	fine := sam.post("/support/portals/acme", "/support/portals/acme/lookup", url.Values{"who": {"max.manager"}})
	assert.Contains(t, between(fine.body, `id="lookup-result"`, `</div>`), "Can sign in")

	other := sam.post("/support/portals/globex", "/support/portals/globex/lookup", url.Values{"who": {"eve.employee"}})
	assert.Equal(t, 200, other.status)
	assert.Contains(t, other.body, "No one in this portal has that username or e-mail address.", "another portal's person is not found")
	assert.NotContains(t, other.body, "Eve Employee")
	assert.Equal(t, 404, sam.post("/support/portals/acme", "/support/portals/nope/lookup", url.Values{"who": {"eve.employee"}}).status)

	events, err := f.Store.AuditEvents(context.Background(), f.Portal(t, "acme").ID, domain.AuditFilter{Type: domain.EventSupportLookup}, 10)
	require.NoError(t, err)
	assert.Len(t, events, 3, "every look-up is in the portal's audit log")
}

// between is the part of s from the first start up to the next end after it.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(after, end)
	return in
}
