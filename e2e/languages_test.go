package e2e_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

// TestJourneysInFrenchAndSpanish walks the main journeys in French and Spanish, on a
// laptop and on a phone (see variants): the language switcher, sign-in, lockout, forgot password →
// mailbox → reset, and the administration's employees and profile. Every page must fit
// the width with the longer texts; the screenshots are for people to look at.
func TestJourneysInFrenchAndSpanish(t *testing.T) {
	t.Parallel()
	type words struct{ signIn, forgot, locked, sent, reset, changed, employees, newProfile, unlock string }
	langs := map[string]words{
		"fr": {"Connexion", "Mot de passe oublié ?" /* text() folds the narrow no-break space */, "La connexion est temporairement verrouillée", "Consultez vos e-mails",
			"Choisissez un nouveau mot de passe", "Votre mot de passe a été modifié", "Employés", "Nouveau profil", "Déverrouiller"},
		"es": {"Iniciar sesión", "¿Olvidó su contraseña?", "El inicio de sesión está bloqueado temporalmente", "Revise su correo electrónico",
			"Elija una contraseña nueva", "Se cambió su contraseña", "Empleados", "Nuevo perfil", "Desbloquear"},
	}
	for _, v := range variants("fr", "es") {
		t.Run(v.name(), func(t *testing.T) {
			t.Parallel()
			lang := v.lang
			w := langs[lang]
			f := startWatchpost(t)
			// One browser per journey: each has a time budget of its own, and chooses
			// the language with the switcher first.
			var b *browser
			start := func(journey string) {
				b = newBrowser(t, f, v.name()+"-"+journey, v.w, v.h)
				b.open("/acme/sign-in", "#signin")
				b.click("#lang-"+lang, "#signin")
			}
			check := func(step string) {
				t.Helper()
				if got := eval[string](b, `document.documentElement.lang`); got != lang {
					t.Errorf("%s: <html lang=%q>, want %q", step, got, lang)
				}
				b.noHorizontalOverflow()
				b.shot(step)
			}

			start("signin")
			mustContain(t, "sign-in page", b.text("#signin"), w.signIn, w.forgot)
			check("sign-in")

			// The lock counts per account, not per browser: the first five wrong
			// passwords come from a plain client, the browser sees the lock.
			wrongPasswords(t, f.URL, "eve.employee", 5)
			b.signIn("eve.employee", "not-the-password", "#signin .alert-warning")
			mustContain(t, "lockout", b.text("#signin .alert-warning"), w.locked, "15")
			check("lockout")

			start("reset")
			b.click("#forgot-link", "#forgot form")
			b.fill("#identifier", "max.manager")
			b.click("#forgot form button[type=submit]", "#forgot .alert-success")
			mustContain(t, "sent", b.text("#forgot h1"), w.sent)
			check("forgot-sent")

			b.open("/dev/mailbox", "#mail-open")
			check("mailbox")
			b.click("#mail-open a.mail-link", "#reset form")
			mustContain(t, "reset page", b.text("#reset h1"), w.reset)
			b.typeKeys("#reset #password", "lantern-orchard-velvet-42")
			b.do("live feedback", waitVisible("#pw-feedback ul.rules li"))
			b.fill("#reset #confirm", "lantern-orchard-velvet-42")
			check("reset-form")
			b.click("#reset form button[type=submit]", "#signin .alert-success")
			mustContain(t, "after reset", b.text("#signin .alert-success"), w.changed)
			check("password-changed")

			start("admin")
			b.signIn("ada.admin", demoPassword, ".tiles")
			b.open("/acme/admin/employees", "#employees")
			mustContain(t, "employees", b.text("#employees h1"), w.employees)
			mustContain(t, "employees", b.text("#new-profile"), w.newProfile)
			check("employees")
			b.click("#new-profile", "#new-employee form")
			check("new-profile")
			b.open("/acme/admin/employees/"+strconv.FormatInt(f.User(t, "acme", "eve.employee").ID, 10), "#employee")
			mustContain(t, "profile", b.text("#unlock"), w.unlock)
			check("profile")
		})
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// wrongPasswords signs in n times with a wrong password from a plain HTTP client.
func wrongPasswords(t *testing.T, base, user string, n int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/acme/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	for range n {
		resp, err := c.PostForm(base+"/acme/sign-in", url.Values{"_csrf": {string(m[1])}, "identifier": {user}, "password": {"not-the-password"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
}
