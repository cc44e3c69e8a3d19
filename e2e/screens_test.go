package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 14: the screens as the people who use them try them.

// TestEmployeeListFiltersAndBack: the list narrows to the locked people, says so when
// nobody matches and offers to clear the filter; Back after creating a profile shows the
// new person, not a stale copy of the list.
func TestEmployeeListFiltersAndBack(t *testing.T) {
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
