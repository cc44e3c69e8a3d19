package handlers_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

func totpCode(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return c
}

var (
	secretRe   = regexp.MustCompile(`data-secret="([A-Z2-7]+)"`)
	recoveryRe = regexp.MustCompile(`<code>([a-z2-9]{5}-[a-z2-9]{5})</code>`)
	flowRe     = regexp.MustCompile(`name="flow" value="([^"]+)"`)
)

// enrolOnAccountPage turns two-step on from the account page and returns the secret.
func enrolOnAccountPage(t *testing.T, f *servertest.Fixture, b *browser, portal string) (string, []string) {
	t.Helper()
	enrol := b.get(domain.AccountTwoStepPath(portal))
	require.Equal(t, 200, enrol.status)
	assert.Contains(t, enrol.body, `src="data:image/png;base64,`, "the QR code is rendered locally")
	m := secretRe.FindStringSubmatch(enrol.body)
	require.NotNil(t, m, "the secret is on the page in text")
	flow := flowRe.FindStringSubmatch(enrol.body)
	require.NotNil(t, flow, "the form names its enrolment flow")
	confirm := func(code string) page {
		// The CSRF token comes from the account page: opening the enrolment page again
		// would start another flow.
		return b.post(domain.AccountPath(portal), domain.AccountTwoStepPath(portal), url.Values{"flow": {flow[1]}, "code": {code}, "reauth-password": {demoPW}})
	}
	wrong := confirm(totpCode(t, m[1], f.Clock.Now().Add(-10*time.Minute)))
	assert.Equal(t, 401, wrong.status)
	assert.Contains(t, wrong.body, "That code is not right")
	assert.Equal(t, m[1], secretRe.FindStringSubmatch(wrong.body)[1], "the page shows the secret already scanned again")
	bad := confirm("12ab")
	assert.Equal(t, 422, bad.status)
	ok := confirm(totpCode(t, m[1], f.Clock.Now()))
	require.Equal(t, 200, ok.status)
	codes := recoveryRe.FindAllStringSubmatch(ok.body, -1)
	require.Len(t, codes, 10, "ten recovery codes, shown once")
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	f.Clock.Advance(30 * time.Second)
	return m[1], out
}

func TestTwoStepWebJourney(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{DatabaseURL: backend.Migrated(t)})
			eve := newBrowser(t, f)
			require.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)
			secret, codes := enrolOnAccountPage(t, f, eve, "acme")

			dl := eve.post("/acme/account", "/acme/account/two-step/recovery-codes.txt", url.Values{"code": codes})
			assert.Equal(t, 200, dl.status)
			assert.Contains(t, dl.header.Get("Content-Disposition"), "attachment")
			assert.Contains(t, dl.body, codes[9])
			account := eve.get("/acme/account")
			assert.Contains(t, account.body, "10 unused recovery codes")

			// Signed out, the password alone no longer signs in.
			other := newBrowser(t, f)
			in := other.signIn("acme", "eve.employee", demoPW)
			require.Equal(t, 303, in.status)
			assert.Equal(t, "/acme/sign-in/two-step", in.header.Get("Location"))
			assert.NotContains(t, in.header.Get("Set-Cookie"), "wp_session=")
			assert.Equal(t, 303, other.get("/acme/").status, "no session yet")
			step := other.get("/acme/sign-in/two-step")
			assert.Equal(t, 200, step.status)
			assert.Contains(t, step.body, "6-digit code")

			short := other.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {"123"}})
			assert.Equal(t, 422, short.status)
			assert.Contains(t, short.body, "The code is 6 digits")
			c := totpCode(t, secret, f.Clock.Now())
			done := other.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {c}})
			require.Equal(t, 303, done.status)
			assert.Equal(t, "/acme/", done.header.Get("Location"))
			assert.Equal(t, 200, other.get("/acme/").status)

			third := newBrowser(t, f)
			third.signIn("acme", "eve.employee", demoPW)
			replay := third.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {c}})
			assert.Equal(t, 401, replay.status, "a code works once")
			rec := third.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"recovery": {strings.ToUpper(codes[0])}})
			require.Equal(t, 303, rec.status)
			assert.Equal(t, "/acme/account/two-step?notice=recovery-used", rec.header.Get("Location"))
			offer := third.get("/acme/account/two-step?notice=recovery-used")
			assert.Contains(t, offer.body, "Set up a new device")

			fourth := newBrowser(t, f)
			fourth.signIn("acme", "eve.employee", demoPW)
			again := fourth.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"recovery": {codes[0]}})
			assert.Equal(t, 401, again.status, "a recovery code works once")
			f.Clock.Advance(6 * time.Minute)
			late := fourth.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {totpCode(t, secret, f.Clock.Now())}})
			assert.Equal(t, 410, late.status, "the pending state expired")
			assert.Contains(t, late.body, "Please sign in again")
		})
	}
}

func TestTwoStepRequiredByRoleWeb(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	form := url.Values{"max_failed_attempts": {"5"}, "failure_window_minutes": {"15"}, "lockout_minutes": {"15"},
		"history_depth": {"5"}, "min_length": {"12"}, "reset_link_minutes": {"60"}, "temp_password_hours": {"72"},
		"audit_retention_days": {"400"}, "admin_contact": {"IT desk"}, "two_step_role": {"Manager", "No such role"}}
	policy := ada.get("/acme/admin/policy")
	assert.Contains(t, policy.body, `name="two_step_role" value="Manager"`)
	require.Equal(t, 303, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)
	assert.Equal(t, "Manager", f.Portal(t, "acme").Policy.TwoStepRoles)

	max := newBrowser(t, f)
	in := max.signIn("acme", "max.manager", demoPW)
	require.Equal(t, 303, in.status)
	assert.Equal(t, "/acme/sign-in/enrol", in.header.Get("Location"), "taken to enrolment right after the password")
	assert.Equal(t, 303, max.get("/acme/admin/employees").status, "and reaches nothing else")
	page := max.get("/acme/sign-in/enrol")
	require.Equal(t, 200, page.status)
	secret := secretRe.FindStringSubmatch(page.body)[1]
	wrong := max.post("/acme/sign-in/enrol", "/acme/sign-in/enrol", url.Values{"code": {"000000"}})
	assert.Equal(t, 401, wrong.status)
	assert.Equal(t, 303, max.get("/acme/").status, "a wrong code saves nothing")
	ok := max.post("/acme/sign-in/enrol", "/acme/sign-in/enrol", url.Values{"code": {totpCode(t, secret, f.Clock.Now())}})
	require.Equal(t, 200, ok.status)
	assert.Len(t, recoveryRe.FindAllString(ok.body, -1), 10)
	assert.Equal(t, 200, max.get("/acme/admin/employees").status)
	assert.Contains(t, max.get("/acme/account").body, "cannot be turned off")
}

func TestTwoStepAdminResetWeb(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", demoPW)
	enrolOnAccountPage(t, f, eve, "acme")
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	enrolOnAccountPage(t, f, ada, "acme")

	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	eveProfile := profile(t, f, "acme", "eve.employee")
	assert.NotContains(t, amy.get(eveProfile).body, "Reset two-step verification", "hidden without the permission")
	assert.Equal(t, 403, amy.post(eveProfile, eveProfile+"/two-step-reset", url.Values{}).status, "and refused anyway")

	max := newBrowser(t, f)
	max.signIn("acme", "max.manager", demoPW)
	adaProfile := profile(t, f, "acme", "ada.admin")
	assert.Equal(t, 403, max.post(adaProfile, adaProfile+"/two-step-reset", url.Values{}).status, "no escalation")
	assert.Contains(t, max.get(eveProfile).body, "Reset two-step verification")
	res := max.post(eveProfile, eveProfile+"/two-step-reset", url.Values{})
	require.Equal(t, 303, res.status)
	assert.Contains(t, res.header.Get("Location"), "notice=two-step-reset")
	st, err := f.Services.TwoStep.Status(context.Background(), f.Portal(t, "acme"), f.User(t, "acme", "eve.employee"))
	require.NoError(t, err)
	assert.False(t, st.Enrolled)
	found := false
	for _, m := range f.Mail(t) {
		found = found || (m.Category == "two_step_reset" && m.ToAddr == "eve@acme.test")
	}
	assert.True(t, found, "the person is told by e-mail")
}

func TestTwoStepMobileAPI(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ctx := context.Background()
	acme := f.Portal(t, "acme")
	secret := f.EnrolTwoStep(t, "acme", "ed.mobile")

	first := mobileSignIn(t, f, "ed.mobile", demoPW)
	require.Equal(t, 401, first.status)
	assert.Equal(t, "two_step_required", first.body["error"])
	assert.Nil(t, first.body["token"])
	challenge := first.body["challenge"].(string)
	two := func(code string) apiResp {
		b, _ := json.Marshal(map[string]string{"portal": "acme", "challenge": challenge, "code": code})
		return callAPI(t, f, "POST", "/api/mobile/v1/session/two-step", "", string(b))
	}
	assert.Equal(t, "invalid_code_format", two("12345").body["error"])
	assert.Equal(t, 401, two("000000").status)
	ok := two(totpCode(t, secret, f.Clock.Now()))
	require.Equal(t, 201, ok.status)
	me := callAPI(t, f, "GET", "/api/mobile/v1/me", ok.body["token"].(string), "")
	assert.Equal(t, 200, me.status)
	again := two(totpCode(t, secret, f.Clock.Now()))
	assert.Equal(t, "challenge_expired", again.body["error"], "a challenge works once")

	f.Services.Portals.ByCode(ctx, "acme") //nolint:errcheck
	require.NoError(t, f.Store.UpdatePolicy(ctx, acme.ID, withTwoStepRoles(acme.Policy, "Employee")))
	st, err := f.Services.TwoStep.Status(ctx, acme, f.User(t, "acme", "eve.employee"))
	require.NoError(t, err)
	require.False(t, st.Enrolled)
}

func withTwoStepRoles(p domain.Policy, roles string) domain.Policy {
	p.TwoStepRoles = roles
	return p
}

// TestTwoStepThenForcedChange: a person with a temporary password and two-step
// verification enters the code first, then sets the new password.
func TestTwoStepThenForcedChange(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", demoPW)
	secret, _ := enrolOnAccountPage(t, f, eve, "acme")
	const temp = "temporary-lantern-quartz-9"
	_, err := f.Services.Admin.SetPassword(context.Background(), f.Portal(t, "acme"), f.User(t, "acme", "ada.admin"),
		f.User(t, "acme", "eve.employee"), temp, false, true, "")
	require.NoError(t, err)

	again := newBrowser(t, f)
	in := again.signIn("acme", "eve.employee", temp)
	require.Equal(t, "/acme/sign-in/two-step", in.header.Get("Location"), "the code comes first")
	done := again.post("/acme/sign-in/two-step", "/acme/sign-in/two-step", url.Values{"code": {totpCode(t, secret, f.Clock.Now())}})
	require.Equal(t, 303, done.status)
	assert.Equal(t, "/acme/change-password", done.header.Get("Location"), "then the forced change")
	assert.Equal(t, 303, again.get("/acme/").status, "nothing else until the password is changed")
}

// TestSupportEnrolsOnTheWeb: a support account without an authenticator sets one up in
// the console right after its password, and only then reaches the console.
func TestSupportEnrolsOnTheWeb(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	hash, err := passwordhash.NewPool(servertest.TestArgon2, 1, time.Second).Hash(context.Background(), demoPW)
	require.NoError(t, err)
	require.NoError(t, f.Store.CreateSupportUser(context.Background(), &domain.SupportUser{Username: "sue.support", Email: "sue@watchpost.test", DisplayName: "Sue", PasswordHash: hash, CreatedAt: f.Clock.Now()}))
	sue := newBrowser(t, f)
	in := sue.post("/support", "/support/sign-in", url.Values{"identifier": {"sue.support"}, "password": {demoPW}})
	require.Equal(t, "/support/two-step/enrol", in.header.Get("Location"))
	assert.Equal(t, 303, sue.get("/support/portals/acme").status, "nothing before the second step")
	page := sue.get("/support/two-step/enrol")
	require.Equal(t, 200, page.status)
	secret := secretRe.FindStringSubmatch(page.body)[1]
	ok := sue.post("/support/two-step/enrol", "/support/two-step/enrol", url.Values{"code": {totpCode(t, secret, f.Clock.Now())}})
	require.Equal(t, 200, ok.status)
	assert.Len(t, recoveryRe.FindAllString(ok.body, -1), 10)
	assert.Equal(t, 200, sue.get("/support/portals/acme").status)
}
