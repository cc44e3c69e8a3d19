package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// signInFrom posts the sign-in form from a client address (through the trusted proxy
// header).
func (b *browser) signInFrom(addr, ident, pw string) page {
	b.t.Helper()
	values := url.Values{"identifier": {ident}, "password": {pw}, "_csrf": {b.csrf("/acme/sign-in")}}
	req, err := http.NewRequest(http.MethodPost, b.base+"/acme/sign-in", strings.NewReader(values.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Real-IP", addr)
	return b.do(req)
}

// seen is what a client can tell of an answer: its status, its body with the name typed
// and the per-browser token taken out, the headers that carry meaning, and the names of
// the cookies it sets.
func seen(p page, ident string) []string {
	var cookies []string
	for _, c := range p.header.Values("Set-Cookie") {
		cookies = append(cookies, strings.SplitN(c, "=", 2)[0])
	}
	slices.Sort(cookies)
	return []string{http.StatusText(p.status), strings.ReplaceAll(stripCSRF(p.body), ident, "NAME"),
		p.header.Get("Retry-After"), p.header.Get("Content-Type"), strings.Join(cookies, ",")}
}

// TestKnownDeviceOutlastsAStrangersGuesses is issue 24's attack through the real app on
// both databases: from a second address and without eve's device cookie, 50 wrong
// passwords for eve.employee, while a made-up name is tried the same way from a third.
// Every answer matches, cookies included (no device cookie for either). Then eve's own
// browser signs in at once, even from the stranger's throttled address, and still
// locks after five wrong passwords of its own.
func TestKnownDeviceOutlastsAStrangersGuesses(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.URL(t), ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"}})
			eve := newBrowser(t, f)
			require.Equal(t, 303, eve.signInFrom("192.0.2.10", "eve.employee", demoPW).status)
			require.Equal(t, 303, eve.post("/acme/account", "/acme/sign-out", url.Values{}).status)

			stranger, nobody := newBrowser(t, f), newBrowser(t, f)
			for i := range 50 {
				real := seen(stranger.signInFrom("198.51.100.7", "eve.employee", "wrong-password"), "eve.employee")
				fake := seen(nobody.signInFrom("203.0.113.9", "nobody.here", "wrong-password"), "nobody.here")
				require.Equal(t, fake, real, "attempt %d: a real name answers like a made-up one", i+1)
				require.NotContains(t, real[4], "wp_device", "no device cookie for a failed sign-in")
			}
			assert.Equal(t, 423, stranger.signInFrom("198.51.100.7", "eve.employee", demoPW).status,
				"unknown devices are locked out of eve's account, right password or not")
			// The stranger sprays other names until their address is paused for everyone.
			for i := range 50 {
				stranger.signInFrom("198.51.100.7", "someone"+strconv.Itoa(i), "wrong-password")
			}
			paused := stranger.signInFrom("198.51.100.7", "max.manager", demoPW)
			require.Equal(t, 429, paused.status, "the address is paused, right password or not")
			assert.Regexp(t, `until \d\d:\d\d`, paused.body, "the page says when the pause ends")

			// eve's browser, on the stranger's address (a shared site connection).
			in := eve.signInFrom("198.51.100.7", "eve.employee", demoPW)
			require.Equal(t, 303, in.status, "the known browser signs in at once: %s", in.body)
			require.Equal(t, 303, eve.post("/acme/account", "/acme/sign-out", url.Values{}).status)
			var last page
			for range 5 {
				last = eve.signInFrom("192.0.2.10", "eve.employee", "wrong-password")
			}
			assert.Equal(t, 423, last.status, "five wrong passwords of its own lock the known browser")
			assert.Equal(t, 423, eve.signInFrom("192.0.2.10", "eve.employee", demoPW).status)
		})
	}
}

// TestAppKeepsItsDeviceToken: the mobile API hands out a device token and counts the
// app's own attempts apart when it comes back with it.
func TestAppKeepsItsDeviceToken(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	signIn := func(pw, device string) (int, map[string]any) {
		in := map[string]string{"portal": "acme", "username": "ed.mobile", "password": pw, "device_name": "Pixel 8"}
		if device != "" {
			in["device_token"] = device
		}
		body, _ := json.Marshal(in)
		req, err := http.NewRequest("POST", f.URL+"/api/mobile/v1/session", strings.NewReader(string(body)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := servertest.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		out := map[string]any{}
		require.NoError(t, json.Unmarshal(raw, &out))
		return resp.StatusCode, out
	}
	status, body := signIn(demoPW, "")
	require.Equal(t, 201, status)
	device, _ := body["device_token"].(string)
	require.Len(t, device, 43)
	for range 5 {
		status, _ = signIn("wrong-password", "")
	}
	require.Equal(t, 423, status, "unknown devices are locked out")
	status, body = signIn(demoPW, device)
	assert.Equal(t, 201, status, "the app that kept its device token signs in")
	assert.Equal(t, device, body["device_token"])
}

var (
	unlockLinkRe = regexp.MustCompile(`/acme/unlock/[A-Za-z0-9_-]{43}`)
	notMeLinkRe  = regexp.MustCompile(`/acme/not-me/[A-Za-z0-9_-]{43}`)
)

// TestUnlockAndNotMeLinks: opening a link changes nothing (mail scanners open links);
// the confirming post does, once; a used link answers 410 with a way on.
func TestUnlockAndNotMeLinks(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	for range 5 {
		b.signIn("acme", "eve.employee", "wrong-password")
	}
	require.Equal(t, 423, b.signIn("acme", "eve.employee", demoPW).status)
	lockout := lastMailTo(t, f, "eve@acme.test", "lockout")
	unlock := unlockLinkRe.FindString(lockout.TextBody)
	require.NotEmpty(t, unlock, lockout.TextBody)

	opened := b.get(unlock)
	require.Equal(t, 200, opened.status)
	assert.Contains(t, opened.body, "Unlock sign-in")
	assert.Equal(t, "no-referrer", opened.header.Get("Referrer-Policy"))
	assert.Equal(t, 423, b.signIn("acme", "eve.employee", demoPW).status, "opening the link unlocks nothing")
	assert.Equal(t, 403, b.postRaw(unlock, "application/x-www-form-urlencoded", "").status, "CSRF applies")
	done := b.post(unlock, unlock, url.Values{})
	require.Equal(t, 200, done.status)
	assert.Contains(t, done.body, "Sign-in is unlocked")
	assert.Equal(t, 410, b.post("/acme/sign-in", unlock, url.Values{}).status, "it works once")
	require.Equal(t, 303, b.signIn("acme", "eve.employee", demoPW).status, "unlocked without a reset")

	// A password change tells eve, with "this wasn't me".
	require.Equal(t, 303, b.post("/acme/account", "/acme/account/password", url.Values{"current": {demoPW}, "password": {"quiet-harbour-meadow-77"}, "confirm": {"quiet-harbour-meadow-77"}}).status)
	notMe := notMeLinkRe.FindString(lastMailTo(t, f, "eve@acme.test", "password_changed").TextBody)
	require.NotEmpty(t, notMe)
	other := newBrowser(t, f)
	opened = other.get(notMe)
	require.Equal(t, 200, opened.status)
	assert.Contains(t, opened.body, "Secure your account")
	done = other.post(notMe, notMe, url.Values{})
	require.Equal(t, 200, done.status)
	assert.Contains(t, done.body, "eve@acme.test")
	assert.Equal(t, 303, b.get("/acme/account").status, "eve's session ended")
	assert.Equal(t, 401, b.signIn("acme", "eve.employee", "quiet-harbour-meadow-77").status, "the password stopped working")
	assert.Equal(t, 410, other.get(notMe).status)
	assert.Contains(t, lastMailTo(t, f, "ada@acme.test", "not_me_admin").Subject, "eve.employee")
}

// TestActivityPage: the person sees their sign-ins, failures, devices and sessions and
// can forget a device; an administrator with the audit permission sees someone's, an
// Account Manager without it gets 403.
func TestActivityPage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", "wrong-password")
	require.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)
	page := eve.get("/acme/account/activity")
	require.Equal(t, 200, page.status)
	for _, want := range []string{"Signed in", "Wrong password", "Your devices", "This browser", "Forget"} {
		assert.Contains(t, page.body, want)
	}
	id := f.User(t, "acme", "eve.employee").ID
	devices, err := f.Store.UserDevices(t.Context(), f.Portal(t, "acme").ID, id)
	require.NoError(t, err)
	require.Len(t, devices, 1)
	forget := "/acme/account/activity/devices/" + strconv.FormatInt(devices[0].ID, 10) + "/forget"

	amy := newBrowser(t, f)
	require.Equal(t, 303, amy.signIn("acme", "amy.accounts", demoPW).status)
	assert.Equal(t, 403, amy.get("/acme/admin/employees/"+strconv.FormatInt(id, 10)+"/activity").status)
	assert.Equal(t, 404, amy.post("/acme/account/activity", forget, url.Values{}).status, "nobody forgets another person's device")
	ada := newBrowser(t, f)
	require.Equal(t, 303, ada.signIn("acme", "ada.admin", demoPW).status)
	seenByAda := ada.get("/acme/admin/employees/" + strconv.FormatInt(id, 10) + "/activity")
	require.Equal(t, 200, seenByAda.status)
	assert.Contains(t, seenByAda.body, "Wrong password")
	assert.NotContains(t, seenByAda.body, "/forget", "read only")

	require.Equal(t, 303, eve.post("/acme/account/activity", forget, url.Values{}).status)
	devices, err = f.Store.UserDevices(t.Context(), f.Portal(t, "acme").ID, id)
	require.NoError(t, err)
	assert.Empty(t, devices)
	assert.Contains(t, eve.get("/acme/account/activity").body, "Device forgotten")
}
