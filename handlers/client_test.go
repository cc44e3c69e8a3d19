package handlers_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// browser is a cookie-keeping HTTP client against a running Watchpost that, like a
// browser, fetches a form before posting it.
type browser struct {
	t    *testing.T
	base string
	http *http.Client
}

func newBrowser(t *testing.T, f *servertest.Fixture) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := servertest.Client()
	c.Jar = jar
	return &browser{t: t, base: f.URL, http: c}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.http.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string, headers ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	require.NoError(b.t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// post submits a form with the CSRF token of the page at formPath.
func (b *browser) post(formPath, action string, values url.Values) page {
	b.t.Helper()
	values.Set("_csrf", b.csrf(formPath))
	return b.postRaw(action, "application/x-www-form-urlencoded", values.Encode())
}

func (b *browser) postRaw(action, contentType, body string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(body))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", contentType)
	return b.do(req)
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *browser) csrf(formPath string) string {
	b.t.Helper()
	p := b.get(formPath)
	m := csrfRe.FindStringSubmatch(p.body)
	require.NotNil(b.t, m, "no CSRF token on %s (status %d)", formPath, p.status)
	return m[1]
}

func (b *browser) signIn(portal, ident, pw string) page {
	b.t.Helper()
	return b.post(domain.SignInPath(portal), domain.SignInPath(portal), url.Values{"identifier": {ident}, "password": {pw}})
}

// stripCSRF removes the per-browser token, so two pages can be compared byte for byte.
func stripCSRF(s string) string { return csrfRe.ReplaceAllString(s, `name="_csrf" value=""`) }
