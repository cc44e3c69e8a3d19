package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// getGzip fetches path asking for gzip itself, so the client does not undo it unseen.
func (b *browser) getGzip(path string) (page, []byte) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	require.NoError(b.t, err)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := b.http.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	body := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		require.NoError(b.t, err)
		body, err = io.ReadAll(zr)
		require.NoError(b.t, err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}, raw
}

var assetRe = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`)

// Issue 14: pages, styles and scripts travel compressed; asset addresses carry a content
// fingerprint and may be kept for a year, an address without it must be revalidated.
func TestServingCompressedAndFingerprinted(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	for _, path := range []string{"/acme/sign-in", "/help", "/mobile"} {
		p, raw := b.getGzip(path)
		require.Equal(t, 200, p.status, path)
		assert.Equal(t, "gzip", p.header.Get("Content-Encoding"), "%s is compressed", path)
		assert.Less(t, len(raw), len(p.body)/2, "%s shrinks", path)
		assert.Contains(t, p.header.Get("Vary"), "HX-Request")
		assets := assetRe.FindAllStringSubmatch(p.body, -1)
		require.NotEmpty(t, assets, path)
		for _, m := range assets {
			u, err := url.Parse(unescapeAmp(m[1]))
			require.NoError(t, err)
			require.NotEmpty(t, u.Query().Get("v"), "%s: %s carries a fingerprint", path, m[1])
			a, araw := b.getGzip(u.String())
			require.Equal(t, 200, a.status, u.String())
			assert.Equal(t, "public, max-age=31536000, immutable", a.header.Get("Cache-Control"), u.String())
			assert.Empty(t, a.header.Get("Set-Cookie"), "a cacheable asset sets no cookie")
			if len(a.body) > 1000 {
				assert.Equal(t, "gzip", a.header.Get("Content-Encoding"), u.String())
				assert.Less(t, len(araw), len(a.body), u.String())
			}
			stale, _ := b.getGzip(u.Path + "?v=0ld")
			assert.Equal(t, "no-cache", stale.header.Get("Cache-Control"), "an old fingerprint is revalidated")
		}
	}
	css, _ := b.getGzip("/assets/css/app.css")
	assert.Equal(t, "no-cache", css.header.Get("Cache-Control"))
	assert.Regexp(t, `url\("/assets/favicon\.svg\?v=[0-9a-f]+"\)`, css.body, "stylesheets point at fingerprinted files too")
	etag := css.header.Get("ETag")
	require.NotEmpty(t, etag)
	notMod := b.get("/assets/css/app.css", "If-None-Match", etag)
	assert.Equal(t, 304, notMod.status)
	assert.Equal(t, 404, b.get("/assets/css/nosuch.css").status)
	assert.Equal(t, 404, b.get("/assets/../go.mod").status)
}

// Compressed pages echo typed input next to the CSRF token, so the token is masked
// afresh on every page (BREACH); each masked copy still works.
func TestCSRFTokenMaskedPerPage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	first, second := b.csrf("/acme/sign-in"), b.csrf("/acme/sign-in")
	assert.NotEqual(t, first, second)
	for _, tok := range []string{first, second} {
		p := b.postRaw("/acme/sign-in", "application/x-www-form-urlencoded",
			url.Values{"_csrf": {tok}, "identifier": {"eve.employee"}, "password": {"wrong-password-here"}}.Encode())
		assert.Equal(t, 401, p.status, "a masked token is accepted")
	}
	p := b.postRaw("/acme/sign-in", "application/x-www-form-urlencoded",
		url.Values{"_csrf": {first[:len(first)-4]}, "identifier": {"eve.employee"}, "password": {"x"}}.Encode())
	assert.Equal(t, 403, p.status)
}

func unescapeAmp(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }

// TestPagesLoadOnlyTheirStyles: admin.css and twostep.css blocked rendering of every
// page, sign-in included, and pages had no meta description (issue 23, item 19).
func TestPagesLoadOnlyTheirStyles(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	sheet := regexp.MustCompile(`<link rel="stylesheet" href="/assets/(css/[a-z]+\.css)`)
	sheets := func(body string) []string {
		var out []string
		for _, m := range sheet.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	anon := newBrowser(t, f)
	for _, path := range []string{"/acme/sign-in", "/acme/forgot-password", "/"} {
		p := anon.get(path)
		assert.Equal(t, []string{"css/app.css"}, sheets(p.body), path)
		assert.Contains(t, p.body, `<meta name="description" content="Sign in to your company portal`, path)
	}
	assert.Contains(t, anon.get("/acme/sign-in", "Accept-Language", "fr").body, `<meta name="description" content="Connectez-vous`)

	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	assert.Equal(t, []string{"css/app.css", "css/admin.css", "css/twostep.css"}, sheets(ada.get("/acme/admin/employees").body))
	// The page's own sheets are in the body, which a boosted navigation swaps.
	body := ada.get("/acme/admin/employees").body
	assert.Greater(t, strings.Index(body, "css/admin.css"), strings.Index(body, "<body"))
}
