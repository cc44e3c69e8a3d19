package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

type apiResp struct {
	status int
	body   map[string]any
}

func callAPI(t *testing.T, f *servertest.Fixture, method, path, token, body string) apiResp {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := servertest.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out := apiResp{status: resp.StatusCode, body: map[string]any{}}
	if resp.StatusCode != http.StatusNoContent {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out.body), "JSON body for %s %s", method, path)
	}
	return out
}

func mobileSignIn(t *testing.T, f *servertest.Fixture, user, pw string) apiResp {
	b, _ := json.Marshal(map[string]string{"portal": "acme", "username": user, "password": pw, "device_name": "Pixel test"})
	return callAPI(t, f, "POST", "/api/mobile/v1/session", "", string(b))
}

func TestMobileAPI(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.Migrated(t)})
			reset := f.URL + "/acme/forgot-password"

			ok := mobileSignIn(t, f, "ed.mobile", demoPW)
			require.Equal(t, 201, ok.status)
			token := ok.body["token"].(string)
			assert.Equal(t, "Ed Mobile", ok.body["user"].(map[string]any)["display_name"])

			me := callAPI(t, f, "GET", "/api/mobile/v1/me", token, "")
			assert.Equal(t, 200, me.status)
			assert.Equal(t, "Pixel test", me.body["device_name"])

			bad := mobileSignIn(t, f, "ed.mobile", "wrong-password")
			assert.Equal(t, 401, bad.status)
			assert.Equal(t, "invalid_credentials", bad.body["error"])
			assert.Equal(t, reset, bad.body["reset_url"])
			unknown := mobileSignIn(t, f, "nobody.here", "wrong-password")
			assert.Equal(t, bad.body, unknown.body, "unknown users look the same")

			for range 4 {
				mobileSignIn(t, f, "ed.mobile", "wrong-password")
			}
			locked := mobileSignIn(t, f, "ed.mobile", demoPW)
			assert.Equal(t, 423, locked.status)
			assert.Equal(t, "locked", locked.body["error"])
			assert.Equal(t, float64(15*60), locked.body["retry_after_seconds"])
			assert.Equal(t, reset, locked.body["reset_url"])
			f.Clock.Advance(16 * time.Minute)

			assert.Equal(t, 400, callAPI(t, f, "POST", "/api/mobile/v1/session", "", `{"portal":`).status)
			assert.Equal(t, 400, callAPI(t, f, "POST", "/api/mobile/v1/session", "", `{"portal":"acme","extra":1}`).status)
			assert.Equal(t, 400, callAPI(t, f, "POST", "/api/mobile/v1/session", "", `{"portal":"acme"}`).status)
			assert.Equal(t, 404, callAPI(t, f, "POST", "/api/mobile/v1/session", "", `{"portal":"nope","username":"a","password":"b"}`).status)
			assert.Equal(t, 401, callAPI(t, f, "GET", "/api/mobile/v1/me", "", "").status)
			assert.Equal(t, "session_revoked", callAPI(t, f, "GET", "/api/mobile/v1/me", "garbage", "").body["error"])

			// A web reset ends the app's token.
			b := newBrowser(t, f)
			b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"ed.mobile"}})
			link := resetLinkRe.FindString(f.Mail(t)[0].TextBody)
			require.NotEmpty(t, link)
			require.Equal(t, 303, b.post(link, link, url.Values{"password": {"harbor-lantern-quartz-88"}, "confirm": {"harbor-lantern-quartz-88"}}).status)
			revoked := callAPI(t, f, "GET", "/api/mobile/v1/me", token, "")
			assert.Equal(t, 401, revoked.status)
			assert.Equal(t, "session_revoked", revoked.body["error"])

			again := mobileSignIn(t, f, "ed.mobile", "harbor-lantern-quartz-88")
			require.Equal(t, 201, again.status)
			assert.Equal(t, 204, callAPI(t, f, "DELETE", "/api/mobile/v1/session", again.body["token"].(string), "").status)
			assert.Equal(t, 401, callAPI(t, f, "GET", "/api/mobile/v1/me", again.body["token"].(string), "").status)
		})
	}
}

func TestMobileTroubleRedirect(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	p := b.get("/m/acme/forgot-password")
	assert.Equal(t, 303, p.status)
	assert.Equal(t, "/acme/forgot-password", p.header.Get("Location"))
	p = b.get("/m/nope/forgot-password")
	assert.Equal(t, 404, p.status)
	assert.Contains(t, p.body, "We could not find a portal")

	sim := b.get("/mobile")
	assert.Equal(t, 200, sim.status)
	assert.Contains(t, sim.body, `class="phone"`)
	assert.NotContains(t, sim.body, "Forgot password?", "the app has no reset link")
}

func TestMobilePasswordChangeRequired(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := f.User(t, "acme", "ada.admin")
	eve := f.User(t, "acme", "eve.employee")
	temp, err := f.Services.Admin.SetPassword(t.Context(), f.Portal(t, "acme"), ada, eve, "", true, true, "")
	require.NoError(t, err)
	p := mobileSignIn(t, f, "eve.employee", temp)
	assert.Equal(t, 403, p.status)
	assert.Equal(t, "password_change_required", p.body["error"])
	assert.Equal(t, f.URL+"/acme/forgot-password", p.body["reset_url"])
	assert.Nil(t, p.body["token"], "no token until the password is set on the web")

	// An administrator's Sign out everywhere ends the app's token too.
	ok := mobileSignIn(t, f, "ed.mobile", demoPW)
	require.Equal(t, 201, ok.status)
	_, err = f.Services.Admin.SignOutEverywhere(t.Context(), ada, f.User(t, "acme", "ed.mobile"), "")
	require.NoError(t, err)
	assert.Equal(t, 401, callAPI(t, f, "GET", "/api/mobile/v1/me", ok.body["token"].(string), "").status)
}
