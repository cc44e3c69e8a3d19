package handlers_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// Issue 21, item 6: IPv6 neighbours in one /64 each escaped the per-address throttle of
// failed sign-ins, and its answer did not say when it ends. The /64 now counts as one
// address, and the answer says about how many minutes remain.
func TestThrottleGroupsIPv6AndSaysWhenItEnds(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.URL(t), ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"},
				Services: func(c *domain.Config) { c.SprayPerAddress = 3 }})
			from := func(addr, user, pw string) (int, map[string]any) {
				body, _ := json.Marshal(map[string]string{"portal": "acme", "username": user, "password": pw, "device_name": "test"})
				req, err := http.NewRequest("POST", f.URL+"/api/mobile/v1/session", strings.NewReader(string(body)))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Real-IP", addr)
				resp, err := servertest.Client().Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				out := map[string]any{}
				_ = json.Unmarshal(raw, &out)
				return resp.StatusCode, out
			}
			for i, user := range []string{"amy.accounts", "max.manager", "nobody.here"} {
				status, _ := from("2001:db8:1:2::"+string(rune('1'+i)), user, "Winter2026!")
				require.Equal(t, 401, status)
			}
			status, body := from("2001:db8:1:2:ffff:ffff:ffff:9", "someone.else", "Winter2026!")
			assert.Equal(t, 429, status, "a neighbour in the same /64 is the same address")
			assert.Contains(t, body["message"], "paused for about 15 minutes")
			status, _ = from("2001:db8:1:3::1", "ed.mobile", demoPW)
			assert.Equal(t, 201, status, "the next /64 is another network")
		})
	}
}

// Issue 21, item 13: the mobile API's attempts_left paired a username with its e-mail
// address (three failures under one, then attempts_left 1 under the other). The warning
// now counts the typed identifier's own failures; the shared account count still locks.
func TestAttemptsLeftDoesNotPairIdentifiers(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	for range 3 {
		require.Equal(t, 401, mobileSignIn(t, f, "ed.mobile", "Winter2026!").status)
	}
	byMail := mobileSignIn(t, f, "ed@acme.test", "Winter2026!")
	require.Equal(t, 401, byMail.status)
	unknown := mobileSignIn(t, f, "nobody@acme.test", "Winter2026!")
	assert.Equal(t, unknown.body["attempts_left"], byMail.body["attempts_left"], "a known e-mail answers as an unknown one")
	assert.Equal(t, 423, mobileSignIn(t, f, "ed@acme.test", "Winter2026!").status, "the account's own count still locks")
}

// Issue 21, item 19: the phone simulator, which keeps app tokens in the portal's own
// localStorage, was served in production. It is served in development and demo mode
// only, and linked only there.
func TestSimulatorOnlyInDevelopmentAndDemo(t *testing.T) {
	t.Parallel()
	prod := servertest.New(t, servertest.Options{Production: true, NoDemo: true})
	b := newBrowser(t, prod)
	assert.Equal(t, 404, b.get("/mobile").status)
	root := b.get("/")
	require.Equal(t, 200, root.status)
	assert.NotContains(t, root.body, `href="/mobile"`)

	demo := servertest.New(t, servertest.Options{Production: true})
	assert.Equal(t, 200, newBrowser(t, demo).get("/mobile").status, "the demo keeps it")
	assert.Contains(t, newBrowser(t, demo).get("/").body, `href="/mobile"`)
}

// Issue 21, item 17: two Content-Length headers were accepted (the last one won), which
// lets a request hide in another's body behind a proxy that reads the first.
func TestTwoContentLengthsRefused(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	body := `{"text":"I forgot my password"}`
	fmt.Fprintf(conn, "POST /api/help/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nContent-Length: %d\r\n\r\n%s", len(body), len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	assert.Equal(t, 400, resp.StatusCode)
	resp.Body.Close()
	assert.Equal(t, 200, newBrowser(t, f).get("/acme/sign-in").status, "one Content-Length is fine")
}

// Issue 21, item 16: with --proxy-header X-Forwarded-For the client-chosen left-most
// entry counted, so a sprayer escaped the per-address throttle by writing a new address
// there each time. The right-most entry that is not a trusted proxy counts now.
func TestForwardedForCountsTheRightMostUntrustedAddress(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{ProxyHeader: "X-Forwarded-For", TrustedProxies: []string{"127.0.0.1", "10.0.0.0/8"},
		Services: func(c *domain.Config) { c.SprayPerAddress = 3 }})
	signIn := func(forwarded, user, pw string) int {
		body, _ := json.Marshal(map[string]string{"portal": "acme", "username": user, "password": pw, "device_name": "test"})
		req, err := http.NewRequest("POST", f.URL+"/api/mobile/v1/session", strings.NewReader(string(body)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", forwarded)
		resp, err := servertest.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	for i, user := range []string{"amy.accounts", "max.manager", "nobody.here"} {
		// The client writes any address first; its proxy appends the real one, then an
		// inner trusted proxy its own.
		require.Equal(t, 401, signIn(fmt.Sprintf("192.0.2.%d, 198.51.100.9, 10.1.2.3", 10+i), user, "Winter2026!"))
	}
	assert.Equal(t, 429, signIn("192.0.2.99, 198.51.100.9, 10.1.2.3", "someone.else", "Winter2026!"), "the real address is throttled")
	assert.Equal(t, 201, signIn("198.51.100.9, 203.0.113.4", "ed.mobile", demoPW), "another client behind the same proxies is not")
}

// Issue 21, item 18: the CSRF token was bound to a year-long seed cookie, not to the
// session, so a token known before sign-in (a planted or read seed) still worked after.
// The seed is replaced when a session starts.
func TestCSRFSeedRotatesAtSignIn(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	before := b.csrf("/acme/sign-in")
	require.Equal(t, 303, b.signIn("acme", "eve.employee", demoPW).status)
	stale := b.postRaw("/acme/account/sign-out-others", "application/x-www-form-urlencoded", "_csrf="+before)
	assert.Equal(t, 403, stale.status, "a token from before the sign-in forges nothing")
	fresh := b.post("/acme/account", "/acme/account/sign-out-others", url.Values{})
	assert.Equal(t, 303, fresh.status)
}
