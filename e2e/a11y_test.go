package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/watchpost/watchpost/domain"
)

// axeSource is axe-core (MPL-2.0, unmodified, see testdata/vendor-axe.sh).
const axeSource = "testdata/axe.min.js"

// axeViolation is one failed axe-core rule on a page.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target []string }
}

// axe runs axe-core's default rules on the current page and fails the test on any
// violation, naming the rule and the elements.
func (b *browser) axe(what string) {
	b.t.Helper()
	src, err := os.ReadFile(axeSource)
	if err != nil {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			b.t.Fatalf("axe-core: %v", err)
		}
		b.t.Skipf("axe-core not vendored at %s: %v", axeSource, err)
	}
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](string(src)+`;
		axe.run(document).then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.map(n => ({Target: n.target}))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("axe "+what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		b.t.Fatalf("axe result: %v", err)
	}
	for _, v := range vs {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(n.Target, " "))
		}
		b.t.Errorf("%s: axe %s (%s) on %s: %s — %s", b.name, v.ID, v.Impact, what, v.Help, strings.Join(targets, ", "))
	}
}

// TestAccessibilityAxe: axe-core finds no violation on the pages issue 14 names (sign-in,
// forgot password, employees, help) nor on the screens it changed, at desktop and phone
// sizes.
func TestAccessibilityAxe(t *testing.T) {
	t.Parallel()
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", phoneW, phoneH}} {
		t.Run(size.name, func(t *testing.T) {
			t.Parallel()
			f := startWatchpost(t)
			anon := newBrowser(t, f, "anon-"+size.name, size.w, size.h)
			for _, p := range []struct{ path, sel string }{
				{"/acme/sign-in", "#signin"}, {"/acme/forgot-password", "#forgot"}, {"/acme/help", "#help-messages"}, {"/help", "#help-messages"},
				{"/acme/ask-for-help", "#ask-help-form"}, {"/acme/recover", "#redeem"},
			} {
				anon.open(p.path, p.sel)
				anon.axe(p.path)
			}
			lockEve(anon)
			anon.axe("lockout page")

			a := newBrowser(t, f, "ada-"+size.name, size.w, size.h)
			a.open("/acme/sign-in", "#signin")
			a.signIn("ada.admin", demoPassword, ".tiles")
			eve := f.User(t, "acme", "eve.employee").ID
			for _, p := range []struct{ path, sel string }{
				{"/acme/admin/employees", "#employees table"},
				{"/acme/admin/employees?status=locked", "#employees table"},
				{"/acme/admin/employees?status=disabled", "#no-employees"},
				{fmt.Sprintf("/acme/admin/employees/%d", eve), "#unlock"},
				{fmt.Sprintf("/acme/admin/employees/%d/disable", eve), "#confirm-disable"},
				{"/acme/admin/roles", "#roles-form"},
				{"/acme/admin/audit", "#events"},
				{"/acme/admin/help-requests", "#help-inbox"},
				{"/acme/account", "#change-password"},
				{"/acme/admin/nosuch", "#error-page"},
			} {
				a.open(p.path, p.sel)
				a.axe(p.path)
			}
			sam := newBrowser(t, f, "sam-"+size.name, size.w, size.h)
			sam.open("/support", "#support-signin")
			sam.axe("/support")
			sam.fill("#identifier", "sam.support")
			sam.fill("#password", demoPassword)
			sam.click("#support-signin button[type=submit]", "#two-step")
			sam.fill("#code", totpAt(t, domain.DemoSupportTwoStepSecret, f.Clock.Now()))
			sam.click("#two-step form.stack button[type=submit]", "#support-home")
			sam.open("/support/portals/acme", "#support-lookup")
			sam.axe("/support/portals/acme")

			m := newBrowser(t, f, "sim-"+size.name, size.w, size.h)
			m.open("/mobile", ".simulator .phone")
			m.do("portal screen", waitVisible("#view-portal #app-portal"))
			m.axe("/mobile")
		})
	}
}

// TestKeyScreensScreenshots takes the key screens at 1280x800 and
// 390x844 (kept with WATCHPOST_SCREENSHOTS=DIR): the lockout page, the profile of a
// locked person, the roles editor, the employee list filtered to Locked and the
// simulator's portal screen. It also checks that none overflows sideways.
func TestKeyScreensScreenshots(t *testing.T) {
	t.Parallel()
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 800}, {"phone", phoneW, phoneH}} {
		t.Run(size.name, func(t *testing.T) {
			t.Parallel()
			f := startWatchpost(t)
			e := newBrowser(t, f, size.name+"-eve", size.w, size.h)
			lockEve(e)
			e.noHorizontalOverflow()
			e.shot("lockout")

			a := newBrowser(t, f, size.name+"-ada", size.w, size.h)
			a.open("/acme/sign-in", "#signin")
			a.signIn("ada.admin", demoPassword, ".tiles")
			a.open(fmt.Sprintf("/acme/admin/employees/%d", f.User(t, "acme", "eve.employee").ID), "#unlock")
			a.noHorizontalOverflow()
			a.shot("locked-profile")
			a.open("/acme/admin/roles", "#roles-form")
			// The matrix scrolls inside its own box on a phone; the page itself must not.
			if w := eval[int](a, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
				t.Errorf("%s: the roles page is %d px wider than the screen", size.name, w)
			}
			a.shot("roles-editor")
			a.open("/acme/admin/employees?status=locked", "#employees table")
			a.noHorizontalOverflow()
			a.shot("employees-locked")

			m := newBrowser(t, f, size.name+"-sim", size.w, size.h)
			m.open("/mobile", ".simulator .phone")
			m.do("portal screen", waitVisible("#view-portal #app-portal"))
			m.noHorizontalOverflow()
			m.shot("simulator-portal")
		})
	}
}
