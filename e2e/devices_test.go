package e2e_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestKnownDeviceThroughAStrangersLock is issue 24's journey in a real browser, in English
// and Spanish (see variants for the window sizes): a stranger locks eve's account from another
// browser; eve's own browser, which signed in before, still signs in; the activity page
// lists the failures, her device and her session; the lockout e-mail's unlock link
// (confirmed on its page) lets the stranger's browser in with the right password.
func TestKnownDeviceThroughAStrangersLock(t *testing.T) {
	t.Parallel()
	words := map[string][]string{
		"en": {"Wrong password", "Signed in", "This browser", "Sign-in is unlocked"},
		"es": {"Contraseña incorrecta", "Inicio de sesión", "Este navegador", "está desbloqueado"},
	}
	for _, v := range variants("en", "es") {
		t.Run(v.name(), func(t *testing.T) {
			t.Parallel()
			lang := v.lang
			want := words[lang]
			f := startWatchpost(t)
			name := "devices-" + v.name()
			eve := newBrowser(t, f, name+"-eve", v.w, v.h)
			eve.open("/acme/sign-in", "#signin")
			eve.inLanguage(lang)
			eve.signIn("eve.employee", demoPassword, ".tiles")
			eve.click(".topnav form button", "#signin")

			stranger := newBrowser(t, f, name+"-stranger", v.w, v.h)
			stranger.open("/acme/sign-in", "#signin")
			stranger.inLanguage(lang)
			for i := 1; i <= 5; i++ {
				stranger.signIn("eve.employee", fmt.Sprintf("guess-number-%d", i), "#signin .alert")
			}
			stranger.do("locked", waitVisible("#locked-unlock-mail"))
			stranger.shot("locked")

			eve.signIn("eve.employee", demoPassword, ".tiles")
			eve.open("/acme/account", "#activity")
			eve.click("#open-activity", "#history")
			mustContain(t, "history", eve.text("#history"), want[0], want[1])
			mustContain(t, "devices", eve.text("#devices"), want[2])
			eve.noHorizontalOverflow()
			eve.shot("activity")

			stranger.open("/dev/mailbox", "#mailbox")
			stranger.click(".mail-list li:first-child a", "#mail-open")
			link := eval[string](stranger, `[...document.querySelectorAll("#mail-open a")].map(a => a.href).find(h => h.includes("/unlock/")) || ""`)
			if link == "" {
				t.Fatalf("%s: no unlock link in the lockout e-mail", name)
			}
			stranger.do("open the unlock link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#confirm-unlock")))
			stranger.noHorizontalOverflow()
			stranger.shot("unlock")
			stranger.click("#confirm-unlock", "#unlock-sign-in")
			mustContain(t, "unlocked", stranger.text("main"), want[3])
			stranger.click("#unlock-sign-in", "#signin")
			stranger.signIn("eve.employee", demoPassword, ".tiles")
		})
	}
}
