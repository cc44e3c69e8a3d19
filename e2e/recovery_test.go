package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// recoveryWords are the texts the assisted-recovery journey checks, per language.
type recoveryWords struct {
	ask, ticket, waiting, ready, signedIn string
	events                                []string
}

var recoveryLangs = map[string]recoveryWords{
	"en": {"Ask your administrator for help", "Your request for help", "Waiting for your administrator", "Your recovery pass is ready", "Welcome, Eve Employee",
		[]string{"Help requested", "Help: identity checked", "Recovery pass issued", "Recovery pass redeemed"}},
	"fr": {"Demander de l’aide à votre administrateur", "Votre demande d’aide", "En attente de votre administrateur", "Votre laissez-passer de récupération est prêt", "Eve Employee",
		[]string{"Aide demandée", "Aide : identité vérifiée", "Laissez-passer de récupération émis", "Laissez-passer de récupération utilisé"}},
}

// TestAssistedRecoveryJourney (issue 25): a locked-out guard whose e-mail is wrong asks
// for help from the lockout notice; a manager sees the request in the inbox, checks the
// request code and "known to me in person", corrects the e-mail and issues a pass; the
// guard's waiting page shows it, the guard redeems it in their own browser, sets a
// password and signs in; the manager never saw a password field; the audit log shows
// every step. In English on a laptop, and in French on a phone.
func TestAssistedRecoveryJourney(t *testing.T) {
	t.Parallel()
	for _, run := range []struct {
		lang string
		w, h int
	}{{"en", desktopW, desktopH}, {"fr", phoneW, phoneH}} {
		t.Run(run.lang, func(t *testing.T) {
			t.Parallel()
			words := recoveryLangs[run.lang]
			f := startWatchpost(t)
			start := func(name string, w, h int) *browser {
				b := newBrowser(t, f, run.lang+"-"+name, w, h)
				b.open("/acme/sign-in", "#signin")
				if run.lang != "en" {
					b.click("#lang-"+run.lang, "#signin")
				}
				return b
			}

			// The guard is locked out and asks from the lockout notice.
			g := start("guard", run.w, run.h)
			wrongPasswords(t, f.URL, "eve.employee", 5)
			g.signIn("eve.employee", "not-the-password", "#signin .alert-warning")
			g.shot("locked")
			g.click("#locked-ask-help", "#ask-help-form form")
			mustContain(t, "ask form", g.text("#ask-help-form h1"), words.ask)
			if v := eval[bool](g, `document.querySelector('input[name=problem][value=locked]').checked`); !v {
				t.Errorf("the lockout notice's link does not choose the lockout problem")
			}
			g.fill("#identifier", "eve.employee")
			g.fill("#message", "My e-mail on the profile is an old one")
			g.fill("#phone", "+1 555 0100")
			g.noHorizontalOverflow()
			g.shot("ask")
			g.click("#ask-help-form button[type=submit]", "#help-ticket")
			mustContain(t, "answer", g.text("#help-ticket h1"), words.ticket)
			mustContain(t, "waiting", g.text("#help-status"), words.waiting)
			code := strings.ReplaceAll(g.text("#help-code"), " ", "")
			reference := g.text("#help-reference")
			if len(code) != 6 || !strings.HasPrefix(reference, "HR-") {
				t.Fatalf("answer shows code %q and reference %q", code, reference)
			}
			g.noHorizontalOverflow()
			g.shot("answer")

			// A manager handles it from the inbox.
			m := start("manager", desktopW, desktopH)
			m.signIn("max.manager", demoPassword, ".tiles")
			mustContain(t, "navigation count", m.text("#nav-help-requests"), "1")
			m.click("#nav-help-requests", "#help-inbox")
			mustContain(t, "inbox", m.text("#help-inbox"), reference, "Eve Employee")
			m.shot("inbox")
			m.click("#help-inbox a[href*='/help-requests/']", "#help-case")
			mustContain(t, "request", m.text("#help-case"), "My e-mail on the profile is an old one", "+1 555 0100")
			m.fill("#request_code", code[:3]+" "+code[3:])
			m.do("known in person", chromedp.Click(chromedp.CSS("#method-in-person")))
			m.fill("#note", "Works the night shift with me")
			m.shot("check")
			m.click("#check-submit", "#issue-panel")
			m.fill("#new_email", "eve.correct@acme.test")
			m.click("#issue-pass", "#pass-panel")
			pass := m.text("#pass-code")
			if n := eval[int](m, `document.querySelectorAll('input[type=password]').length`); n != 0 {
				t.Errorf("the helper's screen has %d password fields", n)
			}
			if n := eval[int](m, `document.querySelector('#pass-panel img.qr').naturalWidth`); n == 0 {
				t.Errorf("the pass's QR code does not show")
			}
			m.shot("pass")

			// The guard's waiting page shows the pass by itself, in the guard's browser.
			g.do("pass arrives", waitVisible("#wait-pass-code"))
			mustContain(t, "waiting page", g.text("#help-status"), words.ready, pass)
			g.noHorizontalOverflow()
			g.shot("pass-arrived")
			g.click("#use-pass", "#redeem form")
			g.fill("#password", "a brand new passphrase for the gate")
			g.fill("#confirm", "a brand new passphrase for the gate")
			g.shot("redeem")
			g.click("#redeem-submit", "#signin form")
			g.signIn("eve.employee", "a brand new passphrase for the gate", ".tiles")
			mustContain(t, "signed in", g.text("main h1"), words.signedIn)
			g.shot("signed-in")

			// The audit log shows every step, and the e-mail was corrected.
			a := start("admin", desktopW, desktopH)
			a.signIn("ada.admin", demoPassword, ".tiles")
			a.open("/acme/admin/audit", "#audit-count")
			mustContain(t, "audit log", a.text("#main"), words.events...)
			a.shot("audit")
			a.open("/dev/mailbox", "#mailbox")
			mustContain(t, "notices", a.text("#mailbox"), "eve.correct@acme.test", "eve@acme.test")
		})
	}
}

// TestAppAsksForHelp: in the app simulator, beside "Trouble signing in?", "Ask my
// administrator for help" sends the request through the mobile API and shows the
// reference and the request code to read out; the request reaches the inbox.
func TestAppAsksForHelp(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	m := newBrowser(t, f, "app", phoneW, phoneH)
	m.open("/mobile", ".simulator .phone")
	m.do("app asks for the portal", waitVisible("#view-portal #app-portal"))
	m.enterPortal("acme")
	m.fill("#app-username", "ed.mobile")
	m.tap("#app-ask-help", "#view-ask")
	if got := eval[string](m, `document.getElementById("ask-username").value`); got != "ed.mobile" {
		t.Errorf("the help form starts with %q, want the typed username", got)
	}
	m.do("choose new phone", chromedp.SetValue(chromedp.CSS("#ask-problem"), "new_phone"))
	m.fill("#ask-message", "New phone, old one broke")
	m.tap("#app-ask-btn", "#ask-result")
	result := m.text("#ask-result")
	mustContain(t, "app answer", result, "Reference HR-", "Request code to read out:", "I have a recovery pass")
	m.shot("app-asked")
	if href := eval[string](m, `document.getElementById("app-open-redeem").getAttribute("href")`); !strings.HasSuffix(href, "/acme/recover") {
		t.Errorf("the app's redeem link is %q", href)
	}

	a := newBrowser(t, f, "manager", desktopW, desktopH)
	a.open("/acme/sign-in", "#signin")
	a.signIn("max.manager", demoPassword, ".tiles")
	a.open("/acme/admin/help-requests", "#help-inbox")
	mustContain(t, "inbox", a.text("#help-inbox"), "Ed Mobile", "I have a new phone")
}
