package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 14: a deep link survives sign-in, but only to a page of the same portal.
func TestDeepLinkKeptThroughSignIn(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	p := b.get("/acme/admin/audit?type=account_locked")
	require.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/sign-in?next=%2Facme%2Fadmin%2Faudit%3Ftype%3Daccount_locked", p.header.Get("Location"))

	page := b.get(p.header.Get("Location"))
	assert.Contains(t, page.body, `name="next" value="/acme/admin/audit?type=account_locked"`)
	p = b.post(p.header.Get("Location"), "/acme/sign-in", url.Values{
		"identifier": {"ada.admin"}, "password": {demoPW}, "next": {"/acme/admin/audit?type=account_locked"}})
	require.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/admin/audit?type=account_locked", p.header.Get("Location"))
	assert.Equal(t, 200, b.get("/acme/admin/audit?type=account_locked").status)
}

func TestDeepLinkRefusesOpenRedirects(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	attacks := []string{
		"//evil.example", "//evil.example/acme/", "https://evil.example/acme/admin", "/globex/admin/audit",
		"/\\evil.example", "/acme/\\\\evil.example", "\\\\evil.example", "/acme/%2F%2Fevil.example",
		"/acme/..%2F..%2Fglobex", "/acme/../globex/admin", "/acme//evil.example", "javascript:alert(1)",
		"/acme/admin\r\nLocation: //evil",
	}
	for _, next := range attacks {
		b := newBrowser(t, f)
		page := b.get("/acme/sign-in?next=" + url.QueryEscape(next))
		assert.NotContains(t, between(page.body, `<form method="post" action="/acme/sign-in"`, `</form>`), `name="next"`, "%q is not carried", next)
		p := b.post("/acme/sign-in", "/acme/sign-in", url.Values{"identifier": {"ada.admin"}, "password": {demoPW}, "next": {next}})
		require.Equal(t, 303, p.status, next)
		assert.Equal(t, "/acme/", p.header.Get("Location"), "%q leads home", next)
	}
	// A session that ended elsewhere still says so, and keeps the page.
	b := newBrowser(t, f)
	req := b.get("/acme/admin/employees", "Cookie", "wp_session=gone")
	assert.Equal(t, "/acme/sign-in?next=%2Facme%2Fadmin%2Femployees&notice=session-ended", req.header.Get("Location"))
}

// The page asked for survives the second step too.
func TestDeepLinkKeptThroughTwoStep(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	require.Equal(t, 303, ada.signIn("acme", "ada.admin", demoPW).status)
	secret, _ := enrolOnAccountPage(t, f, ada, "acme")

	b := newBrowser(t, f)
	p := b.post("/acme/sign-in?next=%2Facme%2Fadmin%2Faudit", "/acme/sign-in", url.Values{
		"identifier": {"ada.admin"}, "password": {demoPW}, "next": {"/acme/admin/audit"}})
	require.Equal(t, 303, p.status)
	require.Equal(t, "/acme/sign-in/two-step", p.header.Get("Location"))
	p = b.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {totpCode(t, secret, f.Clock.Now())}})
	require.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/admin/audit", p.header.Get("Location"))

	// A forged cookie cannot send anyone elsewhere: it is checked again.
	c := newBrowser(t, f)
	require.Equal(t, 303, c.signIn("acme", "ada.admin", demoPW).status)
	req, _ := http.NewRequest(http.MethodPost, f.URL+"/acme/sign-in/two-step", strings.NewReader(url.Values{
		"code": {totpCode(t, secret, f.Clock.Now().Add(30*time.Second))}, "_csrf": {c.csrf("/acme/sign-in/two-step")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.http.Jar.SetCookies(mustURL(t, f.URL+"/acme/sign-in"), []*http.Cookie{{Name: "wp_next", Value: "//evil.example", Path: "/acme/sign-in"}})
	p = c.do(req)
	require.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/", p.header.Get("Location"))
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
