package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

// beginPasskey posts to a ceremony's beginning as passkeys.js does: the form's fields,
// the CSRF token in a header, JSON back.
func (b *browser) beginPasskey(formPath, action string, values url.Values) (page, map[string]any) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(values.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf(formPath))
	req.Header.Set("Accept", "application/json")
	p := b.do(req)
	var out map[string]any
	_ = json.Unmarshal([]byte(p.body), &out)
	return p, out
}

func TestPasskeySignInPageOffersPasskeys(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{Localhost: true})
	anon := newBrowser(t, f)
	p := anon.get("/acme/sign-in")
	assert.Contains(t, p.body, `autocomplete="username webauthn"`)
	assert.Contains(t, p.body, `id="passkey-button"`)

	begin, out := anon.beginPasskey("/acme/sign-in", "/acme/sign-in/passkey/begin", url.Values{})
	require.Equal(t, http.StatusOK, begin.status, begin.body)
	assert.Equal(t, "no-store", begin.header.Get("Cache-Control"))
	require.NotEmpty(t, out["flow"])
	pk := out["options"].(map[string]any)["publicKey"].(map[string]any)
	assert.Equal(t, "required", pk["userVerification"])
	assert.Equal(t, "localhost", pk["rpId"])
	assert.Nil(t, pk["allowCredentials"], "a discoverable sign-in names no account")

	// Without the CSRF token the beginning is refused like any other post.
	noToken := anon.postRaw("/acme/sign-in/passkey/begin", "application/x-www-form-urlencoded", "")
	assert.Equal(t, http.StatusForbidden, noToken.status)

	// A made-up or stale answer: a clear message on the sign-in page and a 4xx.
	bad := anon.post("/acme/sign-in", "/acme/sign-in/passkey", url.Values{"flow": {"x"}, "credential": {"{}"}})
	assert.Equal(t, http.StatusGone, bad.status)
	assert.Contains(t, bad.body, "That took too long or was already used.")
	_, out = anon.beginPasskey("/acme/sign-in", "/acme/sign-in/passkey/begin", url.Values{})
	bad = anon.post("/acme/sign-in", "/acme/sign-in/passkey", url.Values{"flow": {out["flow"].(string)}, "credential": {`{"id":"AAAA","type":"public-key"}`}})
	assert.Equal(t, http.StatusUnauthorized, bad.status)
	assert.Contains(t, bad.body, "That passkey could not sign you in here.")

	// Where the base address is an IP address, no passkey is offered at all.
	ip := newBrowser(t, servertest.New(t, servertest.Options{}))
	p = ip.get("/acme/sign-in")
	assert.NotContains(t, p.body, "passkey-button")
	assert.Contains(t, p.body, `autocomplete="username"`)
	ip.signIn("acme", "eve.employee", demoPW)
	assert.NotContains(t, ip.get("/acme/account").body, `id="passkeys"`, "nor a passkeys section on the account page")
}

// TestPasskeyLockoutNoteTellsNothing: the lockout page says a passkey still works to
// everyone, whether the account exists or has a passkey.
func TestPasskeyLockoutNoteTellsNothing(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{Localhost: true})
	for _, ident := range []string{"eve.employee", "nobody.here"} {
		b := newBrowser(t, f)
		var p page
		for range 6 {
			p = b.signIn("acme", ident, "wrong password")
		}
		require.Equal(t, http.StatusLocked, p.status, ident)
		assert.Contains(t, p.body, `id="locked-passkey"`, ident)
		assert.Contains(t, p.body, `id="passkey-button"`, ident, "the passkey button stays while the password form is hidden")
	}
}

func TestPasskeyAccountSection(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{Localhost: true})
	eve := newBrowser(t, f)
	eve.signIn("acme", "eve.employee", demoPW)
	p := eve.get("/acme/account")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `id="passkey-add-form"`)
	assert.Contains(t, p.body, "You have no passkeys yet.")
	assert.NotContains(t, p.body, `name="passkey-code"`, "no second step enrolled: the password alone")

	wrong, out := eve.beginPasskey("/acme/account", "/acme/account/passkeys/begin", url.Values{"passkey-name": {"Laptop"}, "passkey-password": {"wrong"}})
	assert.Equal(t, http.StatusUnauthorized, wrong.status)
	assert.Equal(t, "Your password is not right.", out["error"])
	noName, out := eve.beginPasskey("/acme/account", "/acme/account/passkeys/begin", url.Values{"passkey-password": {demoPW}})
	assert.Equal(t, http.StatusUnprocessableEntity, noName.status)
	assert.Equal(t, "Give the passkey a name.", out["error"])

	ok, out := eve.beginPasskey("/acme/account", "/acme/account/passkeys/begin", url.Values{"passkey-name": {"Laptop"}, "passkey-password": {demoPW}})
	require.Equal(t, http.StatusOK, ok.status, ok.body)
	pk := out["options"].(map[string]any)["publicKey"].(map[string]any)
	assert.Equal(t, "eve.employee", pk["user"].(map[string]any)["name"])
	assert.Equal(t, "Acme Security", pk["rp"].(map[string]any)["name"])
	sel := pk["authenticatorSelection"].(map[string]any)
	assert.Equal(t, "required", sel["residentKey"])
	assert.Equal(t, "required", sel["userVerification"])

	// Without JavaScript the form says what it needs; a broken answer is refused with a 4xx.
	noScript := eve.post("/acme/account", "/acme/account/passkeys", url.Values{"passkey-name": {"Laptop"}})
	assert.Equal(t, http.StatusUnprocessableEntity, noScript.status)
	assert.Contains(t, noScript.body, "Adding a passkey needs JavaScript")
	broken := eve.post("/acme/account", "/acme/account/passkeys", url.Values{"flow": {out["flow"].(string)}, "credential": {"not json"}})
	assert.Equal(t, http.StatusUnauthorized, broken.status)
	assert.Contains(t, broken.body, "That passkey could not be added.")
	gone := eve.post("/acme/account", "/acme/account/passkeys/remove", url.Values{"passkey": {"99"}, "remove-password": {demoPW}})
	assert.Equal(t, http.StatusNotFound, gone.status)
	none := eve.post("/acme/account", "/acme/account/passkeys/remove", url.Values{"passkey": {"x"}})
	assert.Equal(t, http.StatusUnprocessableEntity, none.status)
	assert.Contains(t, none.body, "Choose the passkey to remove.")
}

func TestPasskeyPolicyAndAdministration(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{Localhost: true})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	policy := ada.get("/acme/admin/policy").body
	assert.Contains(t, policy, `name="passkeys_allowed" value="1" checked`)
	assert.Contains(t, policy, `name="passkey_role" value="Manager"`)

	// The profile: an administrator sees the person's passkeys; the removal of none says so.
	eve := f.User(t, "acme", "eve.employee")
	prof := "/acme/admin/employees/" + strconv.FormatInt(eve.ID, 10)
	assert.Contains(t, ada.get(prof).body, "No passkeys.")
	none := ada.post(prof, prof+"/passkeys-remove", url.Values{})
	assert.Equal(t, http.StatusSeeOther, none.status)
	assert.Contains(t, none.header.Get("Location"), "notice=passkeys-none")
	// Someone without "Reset two-step verification" has no such section and is refused.
	amy := newBrowser(t, f)
	amy.signIn("acme", "amy.accounts", demoPW)
	assert.NotContains(t, amy.get(prof).body, `id="passkeys"`)
	assert.Equal(t, http.StatusForbidden, amy.post(prof, prof+"/passkeys-remove", url.Values{}).status)

	// Turning passkeys off: the sign-in page offers none, and a ceremony is refused.
	form := url.Values{"max_failed_attempts": {"5"}, "failure_window_minutes": {"15"}, "lockout_minutes": {"15"},
		"history_depth": {"5"}, "min_length": {"12"}, "reset_link_minutes": {"60"}, "temp_password_hours": {"72"}, "admin_contact": {"IT desk"},
		"audit_retention_days": {"400"}, "passkeys_form": {"1"}, "passkey_role": {"Manager"}}
	require.Equal(t, http.StatusSeeOther, ada.post("/acme/admin/policy", "/acme/admin/policy", form).status)
	acme := f.Portal(t, "acme")
	assert.True(t, acme.Policy.PasskeysOff)
	assert.Equal(t, "Manager", acme.Policy.PasskeyRoles)
	anon := newBrowser(t, f)
	assert.NotContains(t, anon.get("/acme/sign-in").body, "passkey-button")
	off, out := anon.beginPasskey("/acme/sign-in", "/acme/sign-in/passkey/begin", url.Values{})
	assert.Equal(t, http.StatusForbidden, off.status)
	assert.Equal(t, "Passkeys are not available on this portal.", out["error"])
	assert.Contains(t, ada.get("/acme/admin/audit?type=policy_changed").body, "passkeys not allowed")
}
