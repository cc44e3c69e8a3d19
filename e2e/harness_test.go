// Package e2e walks Watchpost's user journeys in a real headless Chromium against a real,
// seeded Watchpost (servertest) on 127.0.0.1, with a manual clock instead of sleeps.
package e2e_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// demoPassword is every demo account's password (see the README).
const demoPassword = "watchpost-demo-2026"

// Window sizes: a laptop, and a phone for the small-screen checks.
const (
	desktopW, desktopH = 1280, 900
	phoneW, phoneH     = 390, 844
)

// browserTimeout bounds one browser's whole life, so a hung page fails the test instead
// of the suite. It is a guard against hangs, not a speed bar: six sign-ins under -race on
// a shared CI machine took more than 45 s.
const browserTimeout = 3 * time.Minute

// stepTimeout bounds one step (a click and the page it waits for, a fill): a step that
// hangs fails while the browser still answers, so the failure keeps a screenshot and
// the page's text instead of a bare "context deadline exceeded".
const stepTimeout = time.Minute

// browsers are the Chromium builds the tests can drive, lightest first. Debian's
// chromium-headless-shell is the same engine without the full browser around it: the
// browser tests take 100 CPU-seconds on it against 277 on chromium, on two cores the
// difference between 54 s and 159 s.
var browsers = []string{"/usr/bin/chromium-headless-shell", "/usr/bin/chromium"}

// chromiumPath finds the browser (WATCHPOST_CHROMIUM, or the first of browsers present),
// or skips (fails when WATCHPOST_REQUIRE_ALL=1).
func chromiumPath(t *testing.T) string {
	t.Helper()
	paths := browsers
	if p := os.Getenv("WATCHPOST_CHROMIUM"); p != "" {
		paths = []string{p}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
		t.Fatalf("chromium not found at %s (set WATCHPOST_CHROMIUM)", strings.Join(paths, " or "))
	}
	t.Skipf("chromium not found at %s; apt-get install chromium-headless-shell, or set WATCHPOST_CHROMIUM, to run the browser tests", strings.Join(paths, " or "))
	return ""
}

// startWatchpost runs a seeded Watchpost for the test, once it knows a browser exists.
func startWatchpost(t *testing.T) *servertest.Fixture {
	t.Helper()
	chromiumPath(t)
	return servertest.New(t, servertest.Options{})
}

// browser is one tab in a browser context of its own, so two of them share no cookies.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	name  string
	shots string
	n     int
}

// chrome is the one Chromium a test binary runs: every browser of a test is a tab in a
// browser context of its own (no shared cookies or storage), which starts in
// milliseconds where a new Chromium takes a second or more.
var chrome struct {
	once    sync.Once
	ctx     context.Context
	stop    func()
	err     error
	profile string
}

// TestMain stops the shared Chromium once every test is done. Tests run four at a time
// (unless -parallel says otherwise): most of their time is spent waiting on the browser.
func TestMain(m *testing.M) {
	code := storetest.Main(m, 4)
	if chrome.stop != nil {
		chrome.stop()
	}
	os.Exit(code)
}

// startChrome starts the shared Chromium on first use.
func startChrome(exec string) (context.Context, error) {
	chrome.once.Do(func() {
		chrome.profile, chrome.err = os.MkdirTemp("", "watchpost-e2e-chromium-")
		if chrome.err != nil {
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(exec),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("force-color-profile", "srgb"),
			chromedp.Flag("password-store", "basic"),
			// Every test's tab is in one window at once: none may be slowed as a
			// background tab (timers, rendering), or countdowns and swaps crawl.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.UserDataDir(chrome.profile),
			chromedp.WindowSize(desktopW, desktopH),
		}
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		chrome.ctx = ctx
		chrome.stop = func() { cancelCtx(); cancelAlloc(); os.RemoveAll(chrome.profile) }
		chrome.err = chromedp.Do(ctx) // starts the browser
	})
	return chrome.ctx, chrome.err
}

// newBrowser opens a fresh browser context (its own cookies and storage) in the shared
// Chromium, with a viewport of w x h.
func newBrowser(t *testing.T, f *servertest.Fixture, name string, w, h int) *browser {
	t.Helper()
	root, err := startChrome(chromiumPath(t))
	if err != nil {
		t.Fatalf("%s: start chromium: %v", name, err)
	}
	ctx, cancelCtx := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, browserTimeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx() })

	b := &browser{t: t, ctx: ctx, base: f.URL, name: name, shots: screenshotDir(t)}
	// Pin the viewport to the window, so layouts and full-page screenshots match the size
	// asked for whatever the headless window decoration is.
	emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if w < 600 {
		emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h), emulate...)); err != nil {
		t.Fatalf("%s: start chromium: %v", name, err)
	}
	b.watchConsole()
	return b
}

// watchConsole fails the test on a script error or a content-security-policy violation
// in the page. Failed requests are not errors here: sign-in answers 401 and 423 on purpose.
func (b *browser) watchConsole() {
	var (
		mu       sync.Mutex
		problems []string
	)
	msgs := chromedp.Console(b.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || (m.Type == chromedp.ConsoleError && !strings.Contains(m.Text, "Failed to load resource")) {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	b.t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			b.t.Errorf("%s: browser console: %s", b.name, p)
		}
	})
}

// screenshotDir is where a test's screenshots go: $WATCHPOST_SCREENSHOTS/<test>, or the
// test's artifact directory (kept with `go test -artifacts`).
func screenshotDir(t *testing.T) string {
	if root := os.Getenv("WATCHPOST_SCREENSHOTS"); root != "" {
		dir := filepath.Join(root, strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("screenshot dir: %v", err)
		}
		return dir
	}
	return t.ArtifactDir()
}

// screenshotsKept reports whether screenshots will be looked at: WATCHPOST_SCREENSHOTS
// names where to keep them, or go test -artifacts keeps each test's artifact directory.
// Otherwise only a failing step's screenshot is taken: the 241 of a run cost the one
// browser every test shares a PNG encode each.
func screenshotsKept() bool {
	if os.Getenv("WATCHPOST_SCREENSHOTS") != "" {
		return true
	}
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
}

// do runs actions and fails the test (with a screenshot of the page) on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(what, err)
	}
}

// fail records what the page showed when a step failed.
func (b *browser) fail(what string, err error) {
	b.t.Helper()
	if b.ctx.Err() == nil {
		b.shot("FAILED-" + slug(what))
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		defer cancel()
		if loc, lerr := chromedp.Run(ctx, chromedp.Location()); lerr == nil {
			b.t.Logf("%s: page at failure: %s", b.name, loc)
		}
		if txt, terr := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`)); terr == nil {
			b.t.Logf("%s: page text at failure:\n%s", b.name, txt)
		}
	}
	b.t.Fatalf("%s: %s: %v", b.name, what, err)
}

// open loads a path of the app in a fresh page load and waits for sel to show.
func (b *browser) open(path, sel string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(fresh(sel)))
}

// markStale tags the current content, so that a wait for fresh(sel) only matches the page
// the next action brings (a full load or an htmx-boosted swap both replace #main).
func (b *browser) markStale() {
	b.t.Helper()
	b.do("mark page", chromedp.Evaluate[chromedp.Void](`(() => { const m = document.getElementById("main"); if (m) m.dataset.stale = "1" })()`))
}

// fresh scopes a selector to content that arrived after the last markStale.
func fresh(sel string) chromedp.CSS {
	parts := strings.Split(sel, ",")
	for i, p := range parts {
		parts[i] = "#main:not([data-stale]) " + strings.TrimSpace(p)
	}
	return chromedp.CSS(strings.Join(parts, ", "))
}

// click clicks sel and waits until the next page shows then.
func (b *browser) click(sel, then string) {
	b.t.Helper()
	b.markStale()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(fresh(then)), settled)
}

// settled waits until htmx has finished swapping and settling, so that the page's own
// focus moves (autofocus, forms.js) are done before the test types: a field focused by
// the page mid-fill would take the test's text.
var settled chromedp.Action[chromedp.Void] = func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := chromedp.Poll[bool](`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")`)(ctx, t)
	return chromedp.Void{}, err
}

// fill replaces the value of an input with text inserted as one edit (one input event),
// like a paste: fast, and the page sees a real input.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	insert := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: value})
		return err
	})
	// A page that moves the focus itself (autofocus, forms.js) between the focus and the
	// typing takes the text into another field: the value is checked, and typed again.
	for range 3 {
		b.do("fill "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), clearAndFocus(sel), insert)
		if eval[string](b, fmt.Sprintf(`document.querySelector(%q).value`, sel)) == value {
			return
		}
	}
	b.t.Fatalf("%s: fill %s: the field does not keep what was typed", b.name, sel)
}

// typeKeys replaces the value of an input key by key, for behaviour that follows typing.
func (b *browser) typeKeys(sel, value string) {
	b.t.Helper()
	b.do("type in "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), clearAndFocus(sel), chromedp.SendKeys(chromedp.CSS(sel), value))
}

func clearAndFocus(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = ""; e.focus(); })()`, sel))
}

// text is the text of the first element matching sel, as written in the page (CSS
// text-transform would change innerText), with white space collapsed.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		b.fail("read "+sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// path is the address bar's path and query.
func (b *browser) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	return strings.TrimPrefix(loc, b.base)
}

// eval runs a JavaScript expression and decodes its result.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail("eval "+expr, err)
	}
	return v
}

// shot writes a full-page PNG of the current page.
func (b *browser) shot(step string) {
	b.t.Helper()
	if !screenshotsKept() && !strings.HasPrefix(step, "FAILED-") {
		return // a full-page PNG costs the shared browser; nobody would see this one
	}
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("%s: screenshot %s: %v", b.name, step, err)
		return
	}
	b.n++
	file := filepath.Join(b.shots, fmt.Sprintf("%s-%02d-%s.png", b.name, b.n, slug(step)))
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		b.t.Errorf("write screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot: %s", file)
}

// noHorizontalOverflow fails when the page is wider than the viewport.
func (b *browser) noHorizontalOverflow() {
	b.t.Helper()
	var m struct {
		Scroll, Client int
		Wide           []string
	}
	raw := eval[[]byte](b, `(() => {
		const vw = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > vw + 1)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : ""));
		return {Scroll: document.documentElement.scrollWidth, Client: vw, Wide: wide};
	})()`)
	if err := json.Unmarshal(raw, &m); err != nil {
		b.t.Fatalf("overflow check: %v", err)
	}
	if m.Scroll > m.Client || len(m.Wide) > 0 {
		b.t.Errorf("%s: page overflows horizontally: scrollWidth %d > width %d; too wide: %v", b.name, m.Scroll, m.Client, m.Wide)
	}
}

func slug(s string) string {
	s = strings.ToLower(s)
	var out strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out.WriteRune(r)
		default:
			if out.Len() > 0 && !strings.HasSuffix(out.String(), "-") {
				out.WriteByte('-')
			}
		}
	}
	return strings.Trim(out.String(), "-")
}

// signIn fills the sign-in form on the current page and submits it; then waits for sel.
func (b *browser) signIn(identifier, password, then string) {
	b.t.Helper()
	b.fill("#identifier", identifier)
	b.fill("#password", password)
	b.click("#signin form button[type=submit]", then)
}

// mustContain fails unless got holds every want.
func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s: want %q in:\n%s", what, w, got)
		}
	}
}

// waitVisible waits for a selector to show, without requiring fresh content.
func waitVisible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}

// variant is one language and window size a test walks its screens in.
type variant struct {
	lang, size string
	w, h       int
}

func (v variant) name() string { return v.lang + "-" + v.size }

// variants are the runs of a test that walks the same screens in several languages: each
// language once and each size at least once, the first language on a desktop and the
// others on a phone, where their longer words are what breaks a layout. When the
// screenshots are kept to be looked at, every language at every size.
func variants(langs ...string) []variant {
	desktop := func(l string) variant { return variant{l, "desktop", 1280, 800} }
	phone := func(l string) variant { return variant{l, "phone", phoneW, phoneH} }
	var vs []variant
	for i, l := range langs {
		switch {
		case screenshotsKept():
			vs = append(vs, desktop(l), phone(l))
		case i == 0 && len(langs) > 1:
			vs = append(vs, desktop(l))
		default:
			vs = append(vs, phone(l))
		}
	}
	return vs
}
