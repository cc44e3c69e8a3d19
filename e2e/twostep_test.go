package e2e_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 16: two-step verification. A person enrols on the account page in Chromium (the
// test reads the secret from the page and computes the code on the injected clock, as an
// authenticator app would), signs out, and signs in again with a code; the mobile
// simulator completes a two-step sign-in.

func totpAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrolAndSignInAgain walks the whole web journey for one person in one window size.
func enrolAndSignInAgain(t *testing.T, f *servertest.Fixture, b *browser, ident string) {
	b.open("/acme/sign-in", "#signin")
	b.signIn(ident, demoPassword, "h1")
	b.open("/acme/account", "#two-step")
	mustContain(t, "account page", b.text("#two-step"), "Two-step verification", "Off")
	b.click("#two-step-start", "#two-step-enrol")
	secret := eval[string](b, `document.getElementById("two-step-secret").dataset.secret`)
	if len(secret) != 32 {
		t.Fatalf("no secret on the enrolment page: %q", secret)
	}
	if w := eval[int](b, `document.querySelector("img.qr").naturalWidth`); w < 100 {
		t.Errorf("the QR code did not render (natural width %d)", w)
	}
	b.noHorizontalOverflow()
	b.shot("enrolment")

	b.fill("#code", "000000")
	b.fill("#reauth-password", demoPassword)
	b.click("#two-step-enrol form button[type=submit]", "#two-step-enrol .alert-error")
	mustContain(t, "wrong code", b.text(".alert-error"), "not right")
	b.fill("#code", totpAt(t, secret, f.Clock.Now()))
	b.fill("#reauth-password", demoPassword)
	b.click("#two-step-enrol form button[type=submit]", "#recovery-codes")
	if n := eval[int](b, `document.querySelectorAll(".recovery-codes code").length`); n != 10 {
		t.Errorf("%d recovery codes shown, want 10", n)
	}
	b.noHorizontalOverflow()
	b.shot("recovery-codes")
	b.click("#recovery-codes a.btn-primary", "#two-step")
	mustContain(t, "account after", b.text("#two-step"), "On", "10 unused recovery codes")
	b.do("open the panel's forms", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#two-step details").forEach(d => d.open = true)`),
		chromedp.ScrollIntoView(chromedp.CSS("#two-step")))
	b.noHorizontalOverflow()
	b.shot("account-two-step-on")

	f.Clock.Advance(30 * time.Second) // the next code of the app
	b.click(".topnav form button[type=submit]", "#signin")
	b.signIn(ident, demoPassword, "#two-step")
	if p := b.path(); p != "/acme/sign-in/two-step" {
		t.Errorf("after the password: %s, want the code step", p)
	}
	b.noHorizontalOverflow()
	b.shot("code-step")
	if v := eval[bool](b, `(() => { const c = document.getElementById("code"); c.value = "12"; return c.checkValidity(); })()`); v {
		t.Errorf("the browser accepts a 2-digit code")
	}
	b.fill("#code", totpAt(t, secret, f.Clock.Now()))
	b.click("#two-step form.stack button[type=submit]", "h1")
	if p := b.path(); p != "/acme/" {
		t.Errorf("after the code: %s, want the portal home", p)
	}
}

func TestTwoStepEnrolAndSignIn(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	enrolAndSignInAgain(t, f, newBrowser(t, f, "desktop", 1280, 800), "eve.employee")
	enrolAndSignInAgain(t, f, newBrowser(t, f, "phone", phoneW, phoneH), "amy.accounts")
}

func TestMobileSimulatorTwoStep(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	secret := f.EnrolTwoStep(t, "acme", "ed.mobile")

	m := newBrowser(t, f, "sim", desktopW, desktopH)
	m.open("/mobile", ".simulator .phone")
	m.do("app asks for the portal", waitVisible("#view-portal #app-portal"))
	m.enterPortal("acme")
	m.fill("#app-username", "ed.mobile")
	m.fill("#app-password", demoPassword)
	m.tap("#app-signin-btn", "#view-two-step #app-code")
	mustContain(t, "code screen", m.text("#view-two-step"), "Two-step verification", "6-digit code")
	m.shot("two-step")
	m.fill("#app-code", "000000")
	m.tap("#app-code-btn", "#two-step-error")
	mustContain(t, "wrong code", m.text("#two-step-error"), "not right")
	m.fill("#app-code", totpAt(t, secret, f.Clock.Now()))
	m.tap("#app-code-btn", "#view-home #home-name")
	mustContain(t, "app home", m.text("#home-name"), "Hello, Ed Mobile")
	m.do("token stored", chromedp.Poll[chromedp.Void](`!!localStorage.getItem("wp.app.token")`))
}
