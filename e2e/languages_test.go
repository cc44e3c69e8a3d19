package e2e_test

import (
	"strconv"
	"testing"
)

// TestJourneysInFrenchAndSpanish walks the main journeys in French and Spanish, on a
// laptop and on a phone: the language switcher, sign-in, lockout, forgot password →
// mailbox → reset, and the administration's employees and profile. Every page must fit
// the width with the longer texts; the screenshots are for people to look at.
func TestJourneysInFrenchAndSpanish(t *testing.T) {
	type words struct{ signIn, forgot, locked, sent, reset, changed, employees, newProfile, unlock string }
	langs := map[string]words{
		"fr": {"Connexion", "Mot de passe oublié ?" /* text() folds the narrow no-break space */, "La connexion est temporairement verrouillée", "Consultez vos e-mails",
			"Choisissez un nouveau mot de passe", "Votre mot de passe a été modifié", "Employés", "Nouveau profil", "Déverrouiller"},
		"es": {"Iniciar sesión", "¿Olvidó su contraseña?", "El inicio de sesión está bloqueado temporalmente", "Revise su correo electrónico",
			"Elija una contraseña nueva", "Se cambió su contraseña", "Empleados", "Nuevo perfil", "Desbloquear"},
	}
	sizes := []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", phoneW, phoneH}}
	for _, lang := range []string{"fr", "es"} {
		for _, size := range sizes {
			t.Run(lang+"-"+size.name, func(t *testing.T) {
				w := langs[lang]
				f := startWatchpost(t)
				// One browser per journey: each has a time budget of its own, and chooses
				// the language with the switcher first.
				var b *browser
				start := func(journey string) {
					b = newBrowser(t, f, lang+"-"+size.name+"-"+journey, size.w, size.h)
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

				for range 5 {
					b.signIn("eve.employee", "not-the-password", "#signin .alert")
				}
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
}
