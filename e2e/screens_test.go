package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 14: the screens as the people who use them try them.

// TestEmployeeListFiltersAndBack: the list narrows to the locked people, says so when
// nobody matches and offers to clear the filter; Back after creating a profile shows the
// new person, not a stale copy of the list.
func TestEmployeeListFiltersAndBack(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	e := newBrowser(t, f, "eve", desktopW, desktopH)
	lockEve(e)

	a := signedIn(t, f, "ada", "ada.admin")
	a.open("/acme/admin/employees", "#employee-filter")
	a.do("choose Locked", chromedp.SetValue(chromedp.CSS("#status"), "locked"))
	a.click("#employee-filter button[type=submit]", "#employees table")
	if got := a.path(); !strings.Contains(got, "status=locked") {
		t.Errorf("filtered list at %q", got)
	}
	rows := a.text("#employees tbody")
	mustContain(t, "locked list", rows, "Eve Employee", "Locked")
	if strings.Contains(rows, "Max Manager") || strings.Contains(rows, "Ada Admin") {
		t.Errorf("the Locked filter lists people who are not locked: %s", rows)
	}
	a.shot("employees-locked")

	a.do("choose Manager role", chromedp.SetValue(chromedp.CSS("#role-filter"), eval[string](a, `[...document.querySelectorAll("#role-filter option")].find(o => o.textContent === "Manager").value`)))
	a.click("#employee-filter button[type=submit]", "#no-employees")
	mustContain(t, "empty result", a.text("#no-employees"), "No one matches these filters", "Clear the filters")
	a.click("#no-employees a", "#employees table")
	if got := a.path(); got != "/acme/admin/employees" {
		t.Errorf("clear filters leads to %q", got)
	}

	a.click("#new-profile", "#new-employee form")
	a.fill("#display_name", "Grace Hopper")
	a.fill("#username", "grace.hopper")
	a.fill("#email", "grace@acme.test")
	a.click("#new-employee form button[type=submit]", "#temp-password")
	a.markStale()
	a.do("go back", chromedp.NavigateBack())
	a.do("list again", chromedp.WaitVisible(fresh("#employees table")))
	if got := a.path(); got != "/acme/admin/employees" {
		t.Fatalf("Back leads to %q", got)
	}
	mustContain(t, "list after Back", a.text("#employees tbody"), "Grace Hopper")
	if n := eval[int](a, `sessionStorage.getItem("htmx-history-cache") === null ? 0 : 1`); n != 0 {
		t.Errorf("htmx keeps copies of pages (a temporary password among them) in the browser's storage")
	}
}

// roleBox is the selector of role's checkbox for perm in the roles matrix.
func roleBox(b *browser, role, perm string) string {
	b.t.Helper()
	id := eval[string](b, fmt.Sprintf(`(() => {
		const tr = [...document.querySelectorAll("#roles tbody tr")].find(tr => tr.querySelector("th").firstChild.textContent.trim() === %q);
		const h = tr && tr.querySelector("input[name=role]");
		return h ? h.value : "";
	})()`, role))
	if id == "" {
		b.t.Fatalf("%s: no editable %s row in the roles matrix", b.name, role)
	}
	return fmt.Sprintf(`#roles input[name="perm-%s"][value=%s]`, id, perm)
}

// TestRolesEditorSavesEveryRow: ticks on two rows are saved by one Save; leaving with
// unsaved ticks asks first; the built-in Administrator cannot be edited.
func TestRolesEditorSavesEveryRow(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	a := signedIn(t, f, "ada", "ada.admin")
	a.open("/acme/admin/roles", "#roles table")
	am, emp := roleBox(a, "Account Manager", "reset_password"), roleBox(a, "Employee", "view_employees")
	a.do("tick two rows", chromedp.Click(chromedp.CSS(am)), chromedp.Click(chromedp.CSS(emp)))

	// Leaving by a (boosted) link asks first; saying no stays with the ticks.
	a.do("stub confirm", chromedp.Evaluate[chromedp.Void](`window.confirm = (m) => { window.asked = m; return false; }`))
	a.do("click Employees", chromedp.Click(chromedp.CSS(`#roles .subnav a[href="/acme/admin/employees"]`)))
	if got := eval[string](a, `window.asked || ""`); !strings.Contains(got, "not saved") {
		t.Errorf("leaving with unsaved ticks did not ask (got %q)", got)
	}
	if got := a.path(); got != "/acme/admin/roles" {
		t.Errorf("after saying stay: at %q", got)
	}
	if !eval[bool](a, `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`) {
		t.Errorf("closing or reloading the tab with unsaved ticks does not warn")
	}
	if n := eval[int](a, `document.querySelectorAll("#roles tr.fixed input:not([disabled])").length`); n != 0 {
		t.Errorf("the built-in Administrator row has %d editable boxes", n)
	}
	mustContain(t, "fixed row", a.text("#roles tr.fixed th"), "Administrator", "Built-in")
	a.shot("roles-editor")

	a.click("#roles-save", "#roles .alert-success")
	for _, box := range []string{am, emp} {
		if !eval[bool](a, `document.querySelector(`+jsString(box)+`).checked`) {
			t.Errorf("after one Save, %s is not ticked: a row's ticks were lost", box)
		}
	}
	if eval[bool](a, `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`) {
		t.Errorf("after saving, leaving still warns")
	}
}

// TestShowPasswordToggle: every password field has a show-password button that a
// keyboard can use; it is an eye whose accessible name says what pressing it does
// ("Show password", then "Hide password"), and it stays small in every language, so it
// never covers the field on a phone (issue 23, item 13).
func TestShowPasswordToggle(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "eve", desktopW, desktopH)
	b.open("/acme/sign-in", "#signin")
	if n := eval[int](b, `document.querySelectorAll("input[type=password]").length - document.querySelectorAll("input[type=password] + [data-pw-toggle]:not([hidden])").length`); n != 0 {
		t.Errorf("%d password fields on the sign-in page have no visible show-password button", n)
	}
	btn := `#password + [data-pw-toggle]`
	label := func() string { return eval[string](b, `document.querySelector("`+btn+`").getAttribute("aria-label")`) }
	if got := label(); got != "Show password" {
		t.Errorf("the button's name starts as %q", got)
	}
	b.fill("#password", "hunter2-is-not-it")
	b.do("focus the button", chromedp.Focus(chromedp.CSS(btn)))
	b.do("press Space", chromedp.KeyEvent(" "))
	if got := eval[string](b, `document.getElementById("password").type`); got != "text" {
		t.Errorf("after pressing the button the field is type=%q", got)
	}
	if got := label(); got != "Hide password" {
		t.Errorf("after pressing, the button's name is %q, want Hide password", got)
	}
	b.shot("password-shown")
	b.do("press Enter", chromedp.KeyEvent("\r"))
	if got := eval[string](b, `document.getElementById("password").type`); got != "password" {
		t.Errorf("pressing again leaves the field type=%q", got)
	}
	if got := label(); got != "Show password" {
		t.Errorf("after pressing again, the button's name is %q", got)
	}

	b.signIn("eve.employee", demoPassword, ".tiles")
	b.open("/acme/account", "#change-password form")
	if n := eval[int](b, `document.querySelectorAll("input[type=password]").length - document.querySelectorAll("input[type=password] + [data-pw-toggle]:not([hidden])").length`); n != 0 {
		t.Errorf("%d password fields on the account page have no show-password button", n)
	}

	// French on a phone: the button covers no more than a small end of the field.
	p := newBrowser(t, f, "phone-fr", phoneW, phoneH)
	p.open("/acme/sign-in", "#signin")
	p.inLanguage("fr")
	if got := eval[string](p, `document.querySelector("`+btn+`").getAttribute("aria-label")`); got != "Afficher le mot de passe" {
		t.Errorf("French name: %q", got)
	}
	share := eval[float64](p, `document.querySelector("`+btn+`").getBoundingClientRect().width / document.getElementById("password").getBoundingClientRect().width`)
	if share > 0.2 {
		t.Errorf("on a phone in French the button covers %.0f%% of the field", share*100)
	}
	p.shot("signin-fr-phone")
}

// TestFocusAfterErrorSwap: on a phone, a refused password change moves focus to the
// field in error, and it is on screen.
func TestFocusAfterErrorSwap(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := newBrowser(t, f, "eve", phoneW, phoneH)
	b.open("/acme/sign-in", "#signin")
	b.signIn("eve.employee", demoPassword, ".tiles")
	b.open("/acme/account", "#change-password form")
	b.fill("#current", "not-my-current-password")
	b.fill("#password", "a-brand-new-long-passphrase")
	b.fill("#confirm", "a-brand-new-long-passphrase")
	b.click("#change-password button[type=submit]", "#change-password .field-error")
	// The field is scrolled to once htmx's own scrolling is done (a task later).
	b.do("focused field on screen", chromedp.Poll[chromedp.Void](`(() => { const r = document.activeElement.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight; })()`, chromedp.WithPollingTimeout(5*time.Second)))
	var where struct {
		ID, Tag        string
		Top, Bottom    float64
		Height         float64
		InvalidOrAlert bool
	}
	raw := eval[[]byte](b, `(() => {
		const e = document.activeElement, r = e.getBoundingClientRect();
		return {ID: e.id, Tag: e.tagName, Top: r.top, Bottom: r.bottom, Height: window.innerHeight,
			InvalidOrAlert: e.getAttribute("aria-invalid") === "true" || e.matches(".alert, [role=alert]")};
	})()`)
	if err := json.Unmarshal(raw, &where); err != nil {
		t.Fatal(err)
	}
	if !where.InvalidOrAlert {
		t.Errorf("after the refused change, focus is on %s#%s, not the field in error", where.Tag, where.ID)
	}
	if where.Top < 0 || where.Bottom > where.Height {
		t.Errorf("the focused %s#%s is off-screen: %0.f-%0.f of a %0.f px screen", where.Tag, where.ID, where.Top, where.Bottom, where.Height)
	}
	b.shot("focus-after-error")
}

// TestLockedProfileAndDisableConfirm: a locked person's profile starts with "Locked
// until" and Unlock beside it; Disable account asks first and says what it does.
func TestLockedProfileAndDisableConfirm(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	lockEve(newBrowser(t, f, "eve", desktopW, desktopH))
	a := signedIn(t, f, "ada", "ada.admin")
	a.openProfile("eve.employee")
	mustContain(t, "lock banner", a.text("#unlock"), "Locked until", "UTC", "about 15 minutes", "Unlock")
	if !eval[bool](a, `(() => {
		const banner = document.getElementById("unlock"), facts = document.querySelector("#employee .facts");
		return banner.compareDocumentPosition(facts) & Node.DOCUMENT_POSITION_FOLLOWING && banner.getBoundingClientRect().top < facts.getBoundingClientRect().top;
	})()`) {
		t.Errorf("the lock is not the first thing on the profile")
	}
	if n := eval[int](a, `document.querySelectorAll("#unlock button[type=submit]").length`); n != 1 {
		t.Errorf("no Unlock button beside the lock")
	}
	a.shot("profile-locked")
	profile := a.path()

	a.click("#disable-link", "#confirm-disable")
	mustContain(t, "confirm page", a.text("#confirm-disable"), "Disable Eve Employee", "no longer sign in", "mobile app", "ends now", "enable the account again")
	a.shot("confirm-disable")
	a.click("#confirm-disable a[href='"+profile+"']", "#employee .facts")
	mustContain(t, "after Cancel", a.text("#employee .page-head"), "Locked")
	if strings.Contains(a.text("#employee .page-head"), "Disabled") {
		t.Fatalf("Cancel disabled the account")
	}
	a.click("#disable-link", "#confirm-disable")
	a.click("#confirm-disable button[type=submit]", "#employee .facts")
	mustContain(t, "after Disable", a.text("#employee .page-head"), "Disabled")
}

// clearOfHomeBar fails when sel, scrolled as far into view as the app's screen allows,
// still ends in the home-indicator area: the bottom 34 px, a real phone's safe-area inset.
func (b *browser) clearOfHomeBar(sel string) {
	b.t.Helper()
	gap := eval[float64](b, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q), body = document.querySelector(".app-body"), screen = document.querySelector(".phone-screen");
		body.scrollTop = body.scrollHeight;
		return screen.getBoundingClientRect().bottom - 34 - el.getBoundingClientRect().bottom;
	})()`, sel))
	if gap < 0 {
		b.t.Errorf("%s: %s ends %.0f px inside the phone's home-indicator area", b.name, sel, -gap)
	}
}

// TestMobileSimulatorScreens: a mistyped portal code is refused before the password is
// asked; the bottom controls clear the home bar; the app screen signs out by itself;
// in-app help keeps the web help's links.
func TestMobileSimulatorScreens(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", desktopW, 800}, {"phone", phoneW, phoneH}} {
		m := newBrowser(t, f, "sim-"+size.name, size.w, size.h)
		m.open("/mobile", ".simulator .phone")
		m.do("app asks for the portal", waitVisible("#view-portal #app-portal"))
		m.fill("#app-portal", "acmee")
		m.tap("#view-portal button[type=submit]", "#portal-error")
		mustContain(t, "unknown portal", m.text("#portal-error"), "No portal has that code")
		if !eval[bool](m, `document.getElementById("view-signin").hidden`) {
			t.Errorf("%s: a mistyped portal code went on to the password screen", size.name)
		}
		if st := m.deviceState(); !strings.Contains(st, "Portal: —") {
			t.Errorf("%s: the app stored a portal code that does not exist:\n%s", size.name, st)
		}
		m.shot("portal-unknown")

		m.enterPortal("acme")
		if n := eval[int](m, `document.querySelectorAll("#app-password + [data-pw-toggle]:not([hidden])").length`); n != 1 {
			t.Errorf("%s: the app's password field has no show-password button", size.name)
		}
		m.fill("#app-username", "ed.mobile")
		m.fill("#app-password", "not-his-password")
		m.tap("#app-signin-btn", "#signin-error")
		m.clearOfHomeBar("#app-change-portal")
		m.shot("sign-in-error")

		m.fill("#app-password", demoPassword)
		m.tap("#app-signin-btn", "#view-home #app-signout")
		m.tap("#app-signout", "#view-signin #signin-notice")
		mustContain(t, "signed out", m.text("#signin-notice"), "signed out")
		if st := m.deviceState(); !strings.Contains(st, "Sign-in token: —") {
			t.Errorf("%s: the app's Sign out kept the token:\n%s", size.name, st)
		}

		m.tap("#app-help-btn", "#app-chat .bubble-bot")
		m.fill("#app-help-text", "I forgot my password")
		// Asked from the app, the assistant knows the person is on the app: no question
		// whether web or app, straight to the web's reset page.
		m.tap("#app-help-form button[type=submit]", "#app-chat .bubble-bot:nth-of-type(3) .app-links a")
		if asked := eval[bool](m, `[...document.querySelectorAll("#app-chat .app-options button")].some(b => b.textContent === "In the mobile app")`); asked {
			t.Errorf("%s: the app's help asked whether the person is on the app", size.name)
		}
		if href := eval[string](m, `document.querySelector("#app-chat .app-links a").getAttribute("href")`); href != "/acme/forgot-password" {
			t.Errorf("%s: in-app help link %q", size.name, href)
		}
		m.clearOfHomeBar("#app-help-close")
		m.shot("help")
	}
}
