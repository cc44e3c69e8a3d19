package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestTwoInstancesActAsOne runs two app instances over one PostgreSQL database: a lock
// made through one holds on the other, a session made on one works on the other, and the
// forgot-password rate limit is shared.
func TestTwoInstancesActAsOne(t *testing.T) {
	dbURL := storetest.MigratedPostgresURL(t)
	a := servertest.New(t, servertest.Options{DatabaseURL: dbURL})
	b := servertest.New(t, servertest.Options{DatabaseURL: dbURL})

	onA := newBrowser(t, a)
	for range 5 {
		onA.signIn("acme", "eve.employee", "wrong-password")
	}
	onB := newBrowser(t, b)
	p := onB.signIn("acme", "eve.employee", demoPW)
	assert.Equal(t, 423, p.status, "the lock made on A holds on B")

	require.Equal(t, 303, onA.signIn("acme", "max.manager", demoPW).status)
	u, _ := url.Parse(a.URL)
	var session *http.Cookie
	for _, c := range onA.http.Jar.Cookies(&url.URL{Scheme: "http", Host: u.Host, Path: "/acme/"}) {
		if c.Name == "wp_session" {
			session = c
		}
	}
	require.NotNil(t, session)
	req, _ := http.NewRequest("GET", b.URL+"/acme/", nil)
	req.AddCookie(session)
	home := onB.do(req)
	assert.Equal(t, 200, home.status, "a session made on A works on B")
	assert.Contains(t, home.body, "Welcome, Max Manager")

	for i := range 4 {
		browser := []*browser{onA, onB}[i%2]
		browser.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"ed.mobile"}})
	}
	resets := 0
	for _, m := range a.Mail(t) {
		if m.Category == "reset" && strings.Contains(m.ToAddr, "ed@") {
			resets++
		}
	}
	assert.Equal(t, 3, resets, "the per-account limit counts requests on both instances")
}
