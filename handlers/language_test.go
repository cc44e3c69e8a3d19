package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server/servertest"
)

func TestLanguageComesFromPreferenceSwitcherBrowserThenPortal(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)

	p := b.get("/acme/sign-in")
	assert.Contains(t, p.body, `<html lang="en">`, "nothing asked: the portal's default")
	assert.Contains(t, p.body, "Forgot password?")

	p = b.get("/acme/sign-in", "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
	assert.Contains(t, p.body, `<html lang="fr">`)
	assert.Contains(t, p.body, "Mot de passe oublié\u202f?")
	assert.Equal(t, "fr", p.header.Get("Content-Language"))

	for _, bad := range []string{";;;q=zz,", "xx-YY", strings.Repeat("a", 300)} {
		p = b.get("/acme/sign-in", "Accept-Language", bad)
		assert.Equal(t, 200, p.status, "a malformed header falls back quietly: %q", bad)
		assert.Contains(t, p.body, `<html lang="en">`)
	}

	// The switcher (a plain form) sets a cookie that wins over the browser.
	sw := b.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"es"}, "next": {"/acme/forgot-password"}})
	require.Equal(t, http.StatusSeeOther, sw.status)
	assert.Equal(t, "/acme/forgot-password", sw.header.Get("Location"))
	p = b.get("/acme/forgot-password", "Accept-Language", "fr")
	assert.Contains(t, p.body, `<html lang="es">`)
	assert.Contains(t, p.body, "Restablecer su contraseña")

	// Unknown values and foreign targets are ignored.
	sw = b.post("/acme/sign-in", "/language", url.Values{"lang": {"klingon"}, "next": {"https://evil.test/x"}})
	assert.Equal(t, "/", sw.header.Get("Location"))
	assert.Contains(t, b.get("/").body, `<html lang="es">`, "an unknown language changes nothing")
	sw = b.post("/acme/sign-in", "/language", url.Values{"lang": {"fr"}, "next": {"//evil.test/x"}})
	assert.Equal(t, "/", sw.header.Get("Location"))

	// The portal's default applies when nothing else does.
	f2 := newBrowser(t, f)
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	pol := ada.post("/acme/admin/policy", "/acme/admin/policy", policyForm("es", "Europe/Madrid"))
	require.Equal(t, http.StatusSeeOther, pol.status, pol.body)
	assert.Contains(t, f2.get("/acme/sign-in").body, `<html lang="es">`)
	assert.Contains(t, f2.get("/globex/sign-in").body, `<html lang="en">`, "another portal keeps its own")

	// A saved preference wins over everything, and follows the person.
	p = ada.post("/acme/account", "/acme/account/language", url.Values{"language": {"fr"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	p = ada.get("/acme/account?notice=language-saved", "Accept-Language", "es")
	assert.Contains(t, p.body, `<html lang="fr">`)
	assert.Contains(t, p.body, "Langue enregistrée")
	assert.Equal(t, "fr", f.User(t, "acme", "ada.admin").Language)
	p = ada.post("/acme/account", "/acme/account/language", url.Values{"language": {"tlh"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Choisissez l’anglais, le français ou l’espagnol.")
}

func policyForm(lang, zone string) url.Values {
	return url.Values{
		"max_failed_attempts": {"5"}, "failure_window_minutes": {"15"}, "lockout_minutes": {"15"}, "min_length": {"12"},
		"history_depth": {"5"}, "reset_link_minutes": {"60"}, "temp_password_hours": {"72"},
		"admin_contact": {"Ada Admin"}, "language": {lang}, "time_zone": {zone},
	}
}

func TestPolicyRefusesUnsupportedLanguageAndZone(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	p := ada.post("/acme/admin/policy", "/acme/admin/policy", policyForm("de", "Mars/Olympus"))
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "Choose English, French or Spanish.")
	assert.Contains(t, p.body, "Choose a time zone from the list")
	for _, zone := range []string{"Local", "../../etc/passwd", "/etc/localtime"} {
		p = ada.post("/acme/admin/policy", "/acme/admin/policy", policyForm("en", zone))
		assert.Equal(t, http.StatusUnprocessableEntity, p.status, zone)
	}
	assert.Equal(t, "UTC", f.Portal(t, "acme").Policy.TimeZone)
}

func TestTimesShownInThePortalsZoneAndLanguage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)
	require.Equal(t, http.StatusSeeOther, ada.post("/acme/admin/policy", "/acme/admin/policy", policyForm("fr", "America/Toronto")).status)

	eve := newBrowser(t, f)
	for range 5 {
		eve.signIn("acme", "eve.employee", "wrong-password")
	}
	p := eve.signIn("acme", "eve.employee", "wrong-password")
	require.Equal(t, http.StatusLocked, p.status)
	toronto, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	until := f.Clock.Now().Add(15 * time.Minute).In(toronto)
	assert.Contains(t, p.body, "verrouillée jusqu’à "+until.Format("15:04 (MST)")+", dans environ 15 minutes", "local time, zone named, French plural")

	ada.post("/acme/account", "/acme/account/language", url.Values{"language": {"es"}})
	p = ada.get("/acme/admin/employees/" + strconv.FormatInt(f.User(t, "acme", "eve.employee").ID, 10))
	assert.Contains(t, p.body, "Bloqueada hasta las "+until.Format("15:04 (MST)"), "lock end in the portal's zone, in Spanish")

	csv := ada.get("/acme/admin/audit?format=csv")
	assert.Contains(t, csv.body, f.Clock.Now().UTC().Format("2006-01-02T15:04"), "the CSV export stays in UTC")

	// E-mails follow the reader: Eve has no saved language, so the portal's (French).
	var lockout string
	for _, m := range f.Mail(t) {
		if m.Category == "lockout" {
			lockout = m.Subject + "\n" + m.TextBody
		}
	}
	assert.Contains(t, lockout, "La connexion à Acme Security a été verrouillée")
	assert.Contains(t, lockout, "verrouillée pendant 15 minutes")
}

func TestForgotPasswordMailInTheLanguageAskedIn(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	b.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"fr"}, "next": {"/acme/forgot-password"}})
	require.Equal(t, http.StatusOK, b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"max.manager"}}).status)
	m := f.Mail(t)[0]
	assert.Equal(t, "reset", m.Category)
	assert.Contains(t, m.Subject, "Réinitialisez votre mot de passe Acme Security", "no saved language: the one asked in")
	assert.Contains(t, m.TextBody, "expire dans 60 minutes")
}

// Issue 13: a session keeps the browser's User-Agent and the sessions list names it in
// the reader's language ("Chrome sous Linux"), not in the language of the day it began.
func TestSessionDeviceInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	form := url.Values{"identifier": {"eve.employee"}, "password": {demoPW}, "_csrf": {b.csrf("/acme/sign-in")}}
	req, err := http.NewRequest(http.MethodPost, f.URL+"/acme/sign-in", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
	require.Equal(t, http.StatusSeeOther, b.do(req).status)
	for lang, want := range map[string]string{"en": "Chrome on Linux", "fr": "Chrome sous Linux", "es": "Chrome en Linux"} {
		assert.Contains(t, b.get("/acme/account/activity", "Accept-Language", lang).body, want, lang)
	}
}

// TestFrenchAndSpanishWording: "en tant que Employé" (no elision), two French names for
// two-step verification, and a Spanish filter saying "Bloqueado" beside a "Bloqueada"
// badge (issue 23, item 18).
func TestFrenchAndSpanishWording(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	eve := newBrowser(t, f)
	eve.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"fr"}, "next": {"/acme/sign-in"}})
	require.Equal(t, 303, eve.signIn("acme", "eve.employee", demoPW).status)
	home := eve.get("/acme/")
	assert.NotRegexp(t, `en tant que\s*<span class="badge">[AEIOUÉaeiou]`, home.body)
	assert.Contains(t, home.body, "avec le rôle")

	for _, page := range []string{"/acme/account", "/acme/account/two-step"} {
		assert.NotContains(t, eve.get(page).body, "validation en deux étapes", page)
	}
	for _, id := range []string{"screens.perm.reset_two_step", "audit.via.two_step_web", "twostep.error.wrong_recovery"} {
		assert.NotContains(t, i18n.French.T(id), "validation en deux étapes", id)
	}

	ada := newBrowser(t, f)
	ada.post("/acme/sign-in", "/acme/language", url.Values{"lang": {"es"}, "next": {"/acme/sign-in"}})
	ada.signIn("acme", "ada.admin", demoPW)
	for range 5 {
		newBrowser(t, f).signIn("acme", "max.manager", "wrong-password")
	}
	list := ada.get("/acme/admin/employees?status=locked")
	assert.Contains(t, list.body, "Bloqueada")
	assert.NotContains(t, list.body, "Bloqueado")
}
