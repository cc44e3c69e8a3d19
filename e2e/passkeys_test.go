package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 26: passkeys. Chromium's virtual authenticator (the DevTools WebAuthn domain)
// plays the person's device: a platform authenticator holding discoverable credentials,
// with user verification that succeeds. The server runs on localhost, as an IP address
// cannot be a WebAuthn relying party.

// authenticator gives the browser's tab a virtual platform authenticator.
func (b *browser) authenticator() webauthn.AuthenticatorID {
	b.t.Helper()
	var id webauthn.AuthenticatorID
	b.do("add a virtual authenticator", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, t, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
		}})
		id = res.AuthenticatorID
		return err
	}))
	return id
}

// credentials counts the passkeys the virtual authenticator holds.
func (b *browser) credentials(id webauthn.AuthenticatorID) int {
	b.t.Helper()
	n := 0
	b.do("read the authenticator", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: id})
		if err == nil {
			n = len(res.Credentials)
		}
		return err
	}))
	return n
}

// addPasskey adds a passkey named name on the account page of the signed-in person.
func (b *browser) addPasskey(portal, name string) {
	b.t.Helper()
	b.open("/"+portal+"/account", "#passkeys")
	b.do("open the form", chromedp.Evaluate[chromedp.Void](`document.getElementById("passkey-add").open = true`))
	b.fill("#passkey-name", name)
	b.fill("#passkey-password", demoPassword)
	b.click("#passkey-add-submit", "#passkeys-list")
}

// withoutAutofill makes the browser's pages see no passkey autofill (conditional
// mediation), as in a browser that lacks it: Chromium's virtual authenticator answers a
// waiting autofill request at once, which would sign in before the button is pressed.
func (b *browser) withoutAutofill() {
	b.t.Helper()
	b.do("turn the autofill off", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false;`,
		})
		return err
	}))
}

// passkeyBrowser is a browser with its own virtual authenticator, signed in to portal as
// ident with the password, that added a passkey named name.
func passkeyBrowser(t *testing.T, f *servertest.Fixture, name, portal, ident string, w, h int, autofill bool) (*browser, webauthn.AuthenticatorID) {
	b := newBrowser(t, f, name, w, h)
	if !autofill {
		b.withoutAutofill()
	}
	id := b.authenticator()
	b.open("/"+portal+"/sign-in", "#signin")
	b.signIn(ident, demoPassword, "h1")
	b.addPasskey(portal, name)
	if n := b.credentials(id); n != 1 {
		t.Fatalf("%s: the authenticator holds %d passkeys, want 1", name, n)
	}
	mustContain(t, "account after adding", b.text("#passkeys"), name, "Not used yet")
	mustContain(t, "notice", b.text("#main"), "Your passkey was added.")
	return b, id
}

func (b *browser) signOut() {
	b.t.Helper()
	b.click(".topnav form button[type=submit]", "#signin")
}

func TestPasskeyJourneys(t *testing.T) {
	f := servertest.New(t, servertest.Options{Localhost: true})
	chromiumPath(t)

	// The autofill path: the username field offers the passkey (Chromium's virtual
	// authenticator picks it at once), and the person is signed in without a password.
	auto, _ := passkeyBrowser(t, f, "laptop", "acme", "eve.employee", desktopW, 800, true)
	auto.do("sign out, and be signed in again by the autofill",
		chromedp.Click(chromedp.CSS(".topnav form button[type=submit]")), waitVisible("#main .tiles"))
	if p := auto.path(); p != "/acme/" {
		t.Errorf("the autofill did not sign in: at %s", p)
	}
	eve := f.User(t, "acme", "eve.employee")
	keys, err := f.Store.Passkeys(context.Background(), eve.PortalID, eve.ID)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt.IsZero() {
		t.Errorf("the autofill's passkey was not used: %+v, %v", keys, err)
	}

	// The button: sign in with the passkey and no password.
	phone, _ := passkeyBrowser(t, f, "desktop", "acme", "eve.employee", desktopW, 800, false)
	phone.do("show the passkeys", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#passkeys details").forEach(d => d.open = true)`), chromedp.ScrollIntoView(chromedp.CSS("#passkeys")))
	phone.noHorizontalOverflow()
	phone.shot("account-passkeys-desktop")
	phone.signOut()
	phone.do("the button shows", waitVisible("#passkey-button"))
	if ac := eval[string](phone, `document.getElementById("identifier").autocomplete`); ac != "username webauthn" {
		t.Errorf("username autocomplete %q, want the passkey autofill", ac)
	}
	phone.shot("sign-in-passkey-desktop")
	phone.click("#passkey-button", "h1")
	if p := phone.path(); p != "/acme/" {
		t.Fatalf("after the passkey: at %s, want the portal home", p)
	}

	// While the password is locked: the lockout page says a passkey works, and it does.
	phone.signOut()
	for range 5 {
		phone.fill("#identifier", "eve.employee")
		phone.fill("#password", "wrong password")
		phone.markStale()
		phone.do("wrong password", chromedp.Click(chromedp.CSS("#signin form button[type=submit]")), chromedp.WaitVisible(fresh("#signin")), settled)
	}
	phone.do("locked", waitVisible("#locked"))
	mustContain(t, "lockout notice", phone.text("#locked"), "Have a passkey for this account?")
	phone.shot("locked-with-passkey")
	phone.click("#passkey-button", "h1")
	if p := phone.path(); p != "/acme/" {
		t.Fatalf("passkey while locked: at %s, want the portal home", p)
	}
	phone.signOut()
	phone.signIn("eve.employee", demoPassword, "h1") // the passkey cleared the lock
	if p := phone.path(); p != "/acme/" {
		t.Errorf("password after the passkey: at %s, want the portal home (lock cleared)", p)
	}

	// Another portal's passkey is refused.
	gail, _ := passkeyBrowser(t, f, "globex-key", "globex", "gail.guard", desktopW, 800, false)
	gail.signOut()
	gail.open("/acme/sign-in", "#signin")
	gail.click("#passkey-button", "#passkey-problem")
	mustContain(t, "another portal's passkey", gail.text("#passkey-problem"), "could not sign you in here")
	if p := gail.path(); !strings.HasPrefix(p, "/acme/sign-in") {
		t.Errorf("another portal's passkey: at %s, want the sign-in page", p)
	}

	// An administrator removes eve's passkeys; it is audited, and they sign nobody in.
	ada := newBrowser(t, f, "ada", desktopW, 800)
	ada.open("/acme/sign-in", "#signin")
	ada.signIn("ada.admin", demoPassword, "h1")
	ada.open("/acme/admin/employees/"+itoa(eve.ID), "#passkeys")
	mustContain(t, "profile", ada.text("#passkeys"), "2 passkeys.")
	ada.click("#passkeys-remove", "#passkeys")
	mustContain(t, "after removal", ada.text("#main"), "passkeys were removed", "No passkeys.")
	ada.open("/acme/admin/audit", "table")
	mustContain(t, "audit log", ada.text("#main"), "Passkey removed", "all passkeys removed by ada.admin")
	phone.open("/acme/sign-in", "#passkey-button") // the removal signed eve out everywhere
	phone.click("#passkey-button", "#passkey-problem")
	mustContain(t, "removed passkey", phone.text("#passkey-problem"), "could not sign you in here")
}

// TestPasskeyScreensOnAPhone: the account page's passkeys and the sign-in page's button
// at phone width.
func TestPasskeyScreensOnAPhone(t *testing.T) {
	f := servertest.New(t, servertest.Options{Localhost: true})
	chromiumPath(t)
	b, _ := passkeyBrowser(t, f, "phone-width", "acme", "ed.mobile", phoneW, phoneH, false)
	b.do("open the forms", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#passkeys details").forEach(d => d.open = true)`), chromedp.ScrollIntoView(chromedp.CSS("#passkeys")))
	b.noHorizontalOverflow()
	b.shot("account-passkeys-phone")
	b.signOut()
	b.do("the button shows", waitVisible("#passkey-button"))
	b.noHorizontalOverflow()
	b.shot("sign-in-passkey-phone")
	b.click("#passkey-button", "h1")
	if p := b.path(); p != "/acme/" {
		t.Errorf("after the passkey: at %s, want the portal home", p)
	}

	// Removing it asks for the password again.
	b.open("/acme/account", "#passkeys")
	b.do("open the removal", chromedp.Evaluate[chromedp.Void](`document.getElementById("passkey-remove").open = true`))
	b.fill("#remove-password", demoPassword)
	b.click("#passkey-remove-submit", "#passkeys-none")
	mustContain(t, "after removal", b.text("#main"), "The passkey was removed.")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
