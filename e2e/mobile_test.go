package e2e_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 6: the mobile-app simulator, which has no reset of its own and sends people to
// the web reset; after a reset on the web the app's stored token stops working.

// tap clicks sel in the simulated app and waits for then to show (the app changes views
// without loading a page, so fresh content cannot be told apart by #main).
func (b *browser) tap(sel, then string) {
	b.t.Helper()
	b.do("tap "+sel, chromedp.Click(chromedp.CSS(sel)), waitVisible(then))
}

// enterPortal types the portal code into the app's first screen and continues to its
// sign-in screen. The app's forms must not be taken over by the page's htmx boost (which
// would reload /mobile?portal=... and leave the app on "Starting…"); when that happens
// the case is skipped as blocked.
func (b *browser) enterPortal(code string) {
	b.t.Helper()
	b.fill("#app-portal", code)
	// htmx announces a request it is about to make for the form before the app's own
	// screen change could be seen, so listen for that first.
	b.do("watch htmx", chromedp.Evaluate[chromedp.Void](`(() => { window.__htmxRequests = 0; document.addEventListener("htmx:beforeRequest", () => { window.__htmxRequests++; }); })()`))
	b.do("continue", chromedp.Click(chromedp.CSS("#view-portal button[type=submit]")),
		chromedp.Poll[chromedp.Void](`!document.getElementById("view-signin").hidden || window.__htmxRequests > 0 || location.search.includes("portal=")`))
	if eval[bool](b, `window.__htmxRequests > 0 || location.search.includes("portal=")`) {
		b.fail("continue to sign-in", fmt.Errorf("htmx took over the app's form: %s", b.path()))
	}
}

// deviceState is the simulator's "device state" panel as "Key: value" lines.
func (b *browser) deviceState() string {
	b.t.Helper()
	return eval[string](b, `[...document.querySelectorAll("#device-state dt")].map(dt => dt.textContent + ": " + dt.nextElementSibling.textContent).join("\n")`)
}

// TestMobileSimulatorJourney: ed.mobile signs in on the simulator; a wrong password
// sends him to the web reset; he resets on the web through the development mailbox;
// the app then reports the ended session and accepts the new password; reinstalling
// wipes what the app stored.
func TestMobileSimulatorJourney(t *testing.T) {
	t.Parallel()
	const newPassword = "orchid-tramline-winter-basalt"
	f := startWatchpost(t)
	m := newBrowser(t, f, "sim", desktopW, desktopH)

	m.open("/mobile", ".simulator .phone")
	m.do("app asks for the portal", waitVisible("#view-portal #app-portal"))
	mustContain(t, "first run", m.text("#view-portal"), "Welcome", "portal code")
	mustContain(t, "controls", m.text(".sim-controls"), "Sign out in the app", "Force close and reopen", "Reinstall app", "Device state")
	if st := m.deviceState(); !strings.Contains(st, "Portal: —") || !strings.Contains(st, "Sign-in token: —") {
		t.Errorf("a fresh device already holds data:\n%s", st)
	}
	m.shot("portal-code")

	m.enterPortal("acme")
	signin := m.text("#view-signin")
	mustContain(t, "app sign-in", signin, "Sign in", "Portal: Acme Security", "Trouble signing in?")
	if strings.Contains(strings.ToLower(signin), "forgot") {
		t.Errorf("the app's sign-in screen offers a forgot-password link: %s", signin)
	}
	if n := eval[int](m, `document.querySelectorAll('#app a[href*="forgot"], #app button[id*="forgot"]').length`); n != 0 {
		t.Errorf("the app has %d forgot-password controls", n)
	}
	mustContain(t, "device state", m.deviceState(), "Portal: acme")
	m.shot("sign-in")

	// "Trouble signing in?" opens the redirect to the web reset in a new tab.
	m.do("watch window.open", chromedp.Evaluate[chromedp.Void](`(() => { window.__opened = []; window.open = (u, target) => { window.__opened.push(u + " " + target); return null; }; })()`))
	m.do("trouble", chromedp.Click(chromedp.CSS("#app-trouble")))
	if got := eval[string](m, `window.__opened.join(",")`); got != "/m/acme/forgot-password _blank" {
		t.Errorf("Trouble signing in? opened %q, want /m/acme/forgot-password in a new tab", got)
	}

	m.fill("#app-username", "ed.mobile")
	m.fill("#app-password", "not-eds-password-at-all")
	m.tap("#app-signin-btn", "#signin-error")
	mustContain(t, "wrong password in the app", m.text("#signin-error"), "Wrong username or password", "cannot reset passwords", "reset yours on the web")
	resetHref := eval[string](m, `document.getElementById("app-open-reset").getAttribute("href")`)
	if resetHref != "/m/acme/forgot-password" {
		t.Errorf("Open web reset points at %q, want /m/acme/forgot-password", resetHref)
	}
	mustContain(t, "reset link", m.text("#app-open-reset"), "Open web reset")
	if tg := eval[string](m, `document.getElementById("app-open-reset").target`); tg != "_blank" {
		t.Errorf("Open web reset opens in %q, want a new tab", tg)
	}
	if got := eval[string](m, `document.getElementById("app-password").value`); got != "" {
		t.Errorf("the app keeps the wrong password in its field")
	}
	m.shot("wrong-password")

	m.fill("#app-password", demoPassword)
	m.tap("#app-signin-btn", "#view-home #home-name")
	mustContain(t, "app home", m.text("#home-name"), "Hello, Ed Mobile")
	mustContain(t, "app home", m.text("#view-home"), "Signed in on this device", "Acme Security")
	st := m.deviceState()
	mustContain(t, "device state after sign-in", st, "Portal: acme", "Last username: ed.mobile", "(stored)")
	m.shot("home")

	// The web reset, in a normal browser, from the app's reset link.
	w := newBrowser(t, f, "web", desktopW, desktopH)
	w.open(resetHref, "#forgot form")
	if got := w.path(); got != "/acme/forgot-password" {
		t.Errorf("the app's reset link lands on %q, want /acme/forgot-password", got)
	}
	w.fill("#identifier", "ed.mobile")
	w.click("#forgot form button[type=submit]", "#forgot .alert-success")
	mail := w.openMail("Reset your", "ed@acme.test")
	mustContain(t, "reset e-mail", mail, "Hello Ed Mobile")
	w.shot("mailbox")
	w.click("#mail-open a.mail-link", "#reset form")
	mustContain(t, "reset page", w.text("#reset"), "ed.mobile", "mobile app")
	w.fill("#reset #password", newPassword)
	w.fill("#reset #confirm", newPassword)
	w.click("#reset form button[type=submit]", "#signin .alert-success")
	mustContain(t, "after the web reset", w.text("#signin .alert-success"), "password was changed", "mobile app")
	w.shot("reset-done")

	// The app still shows its home screen until it next talks to the server.
	m.tap("#ctl-restart", "#view-signin #signin-notice")
	notice := m.text("#signin-notice")
	mustContain(t, "ended session", notice, "Your session ended")
	mustContain(t, "ended session", strings.ToLower(notice), "sign in again with your new password")
	if got := eval[string](m, `document.getElementById("app-username").value`); got != "ed.mobile" {
		t.Errorf("the app forgot the last username: %q", got)
	}
	mustContain(t, "device state after the reset", m.deviceState(), "Sign-in token: —")
	m.shot("session-ended")

	m.fill("#app-password", demoPassword)
	m.tap("#app-signin-btn", "#signin-error")
	mustContain(t, "old password in the app", m.text("#signin-error"), "Wrong username or password")
	m.fill("#app-password", newPassword)
	m.tap("#app-signin-btn", "#view-home #home-name")
	mustContain(t, "app home again", m.text("#home-name"), "Hello, Ed Mobile")
	mustContain(t, "device state", m.deviceState(), "(stored)")
	m.shot("signed-in-again")

	// Force close and reopen with a working token keeps the user signed in.
	m.tap("#ctl-restart", "#view-home #home-name")

	m.tap("#ctl-reinstall", "#view-portal #app-portal")
	if n := eval[int](m, `Object.keys(localStorage).filter(k => k.startsWith("wp.app.")).length`); n != 0 {
		t.Errorf("reinstalling left %d app keys in the device storage", n)
	}
	st = m.deviceState()
	for _, gone := range []string{"acme", "ed.mobile", "(stored)"} {
		if strings.Contains(st, gone) {
			t.Errorf("after reinstalling, the device state still shows %q:\n%s", gone, st)
		}
	}
	m.shot("reinstalled")
}

// TestMobileSignOutControl: "Sign out in the app" ends the app's session on the server.
func TestMobileSignOutControl(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	m := newBrowser(t, f, "sim", desktopW, desktopH)
	m.open("/mobile", ".simulator .phone")
	m.enterPortal("acme")
	m.fill("#app-username", "ed.mobile")
	m.fill("#app-password", demoPassword)
	m.tap("#app-signin-btn", "#view-home #home-name")
	token := eval[string](m, `localStorage.getItem("wp.app.token")`)
	if token == "" {
		t.Fatal("no token stored after signing in")
	}
	m.tap("#ctl-signout", "#view-signin #signin-notice")
	mustContain(t, "signed out", m.text("#signin-notice"), "signed out")
	mustContain(t, "device state after signing out", m.deviceState(), "Sign-in token: —", "Last username: ed.mobile")
	status, err := chromedp.Run(m.ctx, chromedp.Evaluate[int](
		`fetch("/api/mobile/v1/me", {headers: {Authorization: "Bearer " + `+jsString(token)+`}}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("check the old token: %v", err)
	}
	if status != 401 {
		t.Errorf("the token still works after signing out in the app: GET /me = %d, want 401", status)
	}
	m.shot("signed-out")
}

// TestMobilePhoneLayout: the simulator fits a 390 px phone.
func TestMobilePhoneLayout(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "phone", phoneW, phoneH)
	b.open("/mobile", ".simulator .phone")
	b.do("app starts", waitVisible("#view-portal #app-portal"))
	b.noHorizontalOverflow()
	b.shot("simulator")
	b.enterPortal("acme")
	b.noHorizontalOverflow()
	b.shot("simulator-sign-in")
}

// TestMobileOpenFromPortal: the portal's "Mobile app" link starts the simulated app (the
// link must load the page, not let htmx swap it in, as swapped-in scripts do not run).
func TestMobileOpenFromPortal(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")
	b.do("open the simulator", chromedp.Click(chromedp.CSS(`.footer a[href="/mobile"]`)), waitVisible(".simulator .phone"))
	b.do("app started", chromedp.Poll[chromedp.Void](`!document.getElementById("view-portal").hidden`))
	mustContain(t, "simulator", b.text("#view-portal"), "portal code")
}
