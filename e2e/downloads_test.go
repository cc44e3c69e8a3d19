package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Issue 23, item 1: with JavaScript on, htmx boosts links and forms; a boosted download
// replaces the page with the file's text instead of saving it. Both downloads here (the
// audit log's CSV and the recovery codes' text file) must arrive as files, and the page
// must stay where it was.

// download clicks sel, waits for the browser to save the file it answers with, and
// returns the file's content.
func (b *browser) download(sel string) string {
	b.t.Helper()
	dir := b.t.TempDir()
	// A page that shows the file instead of saving it never finishes a download.
	wait, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	progress := chromedp.Events(wait, cdpbrowser.DownloadProgress)
	events := true
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		// Downloads are set per browser context: each test's browser is one.
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
		})
		return err
	}), chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			b.fail("download from "+sel, err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			b.t.Fatalf("%s: the download from %s was cancelled", b.name, sel)
		}
		if ev.State != cdpbrowser.DownloadProgressStateCompleted {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, ev.GUID))
		if err != nil {
			b.t.Fatalf("%s: read the downloaded file: %v", b.name, err)
		}
		return string(body)
	}
	b.fail("download from "+sel, context.DeadlineExceeded)
	return ""
}

func TestDownloadsWithJavaScript(t *testing.T) {
	t.Parallel()
	f := startWatchpost(t)
	b := signedIn(t, f, "downloads", "ada.admin")

	b.open("/acme/admin/audit", "#audit table")
	csv := b.download(`#audit button[name=format][value=csv]`)
	mustContain(t, "the audit CSV", csv, "time,type", "signin_succeeded")
	if p := b.path(); p != "/acme/admin/audit" {
		t.Errorf("after the export the page is at %s, want the audit log", p)
	}
	mustContain(t, "the audit page after the export", b.text("#audit h1"), "Audit log")

	b.open("/acme/account", "#two-step")
	b.click("#two-step-start", "#two-step-enrol")
	secret := eval[string](b, `document.getElementById("two-step-secret").dataset.secret`)
	b.fill("#code", totpAt(t, secret, f.Clock.Now()))
	b.fill("#reauth-password", demoPassword)
	b.click("#two-step-enrol form button[type=submit]", "#recovery-codes")
	shown := eval[[]string](b, `[...document.querySelectorAll(".recovery-codes code")].map(c => c.textContent)`)
	if len(shown) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(shown))
	}
	file := b.download("#recovery-codes form button[type=submit]")
	codeLine := regexp.MustCompile(`(?m)^[a-z0-9]{4,}-[a-z0-9]{4,}$`)
	if got := codeLine.FindAllString(file, -1); strings.Join(got, " ") != strings.Join(shown, " ") {
		t.Errorf("the file holds codes %v, want the ten shown %v; file:\n%s", got, shown, file)
	}
	// The page is still there, with the way on.
	b.do("the page stays", waitVisible("#recovery-codes a.btn-primary"))
	if n := eval[int](b, `document.querySelectorAll(".recovery-codes code").length`); n != 10 {
		t.Errorf("after the download the page shows %d codes, want 10", n)
	}
}
