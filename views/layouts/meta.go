// Package layouts holds the page frame every full page is rendered in.
package layouts

import (
	"context"
	"html"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/watchpost/watchpost/assets"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Meta is what the frame needs to know about the request.
type Meta struct {
	Title      string // catalogue id of the page title
	TitleArgs  []any  // its placeholder pairs
	PortalCode string // "" outside a portal
	PortalName string
	UserName   string // "" when nobody is signed in
	RoleName   string
	CSRF       string
	DevMailbox bool   // the development mailbox is on: link it in the footer
	Simulator  bool   // the phone simulator is served (development and demo): link it
	HelpTopic  string // the help assistant opens on this topic
	Narrow     bool   // a small centred card (sign-in, reset) rather than a wide page
	Path       string // where the language switcher returns to
	// Sheets are the page's own stylesheets beside app.css. They are linked at the top of
	// the body, so that an htmx-boosted page (which swaps the body, not the head) brings
	// them along, and pages that do not use them never wait for them.
	Sheets []string
	// HelpInbox, when set, links the help-request inbox in the navigation with the
	// number of requests waiting there (HelpWaiting).
	HelpInbox   string
	HelpWaiting int
}

// sheets links the page's own stylesheets.
func sheets(m Meta) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for _, css := range m.Sheets {
			if _, err := io.WriteString(w, `<link rel="stylesheet" href="`+html.EscapeString(assets.URL(css))+`">`); err != nil {
				return err
			}
		}
		return nil
	})
}

// SwitcherURL is where the language switcher posts: inside a portal, so that a signed-in
// person's choice is also saved on their profile.
func (m Meta) SwitcherURL() string { return domain.LanguagePath(m.PortalCode) }

// HelpURL is the help assistant's address for this page.
func (m Meta) HelpURL() string {
	return domain.HelpPath(m.PortalCode, m.HelpTopic)
}

// HTMXConfig lets htmx swap error answers (422 forms, 4xx pages) and keeps it within the
// content security policy: no inline styles, no eval. It keeps no copies of pages for
// Back (historyCacheSize 0): Back asks the server again, so a list never comes back stale
// and no page (a temporary password) is stored in the browser's local storage.
const HTMXConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}`

// headTags are the head's tags that are the same on every page (the htmx settings, the
// styles, the icon and the scripts at their fingerprinted addresses), escaped once
// rather than on every render.
var headTags = sync.OnceValue(func() templ.Component {
	var b strings.Builder
	b.WriteString(`<meta name="htmx-config" content="` + html.EscapeString(HTMXConfig) + `">`)
	b.WriteString(`<link rel="stylesheet" href="` + html.EscapeString(assets.URL("css/app.css")) + `">`)
	b.WriteString(`<link rel="icon" href="` + html.EscapeString(assets.URL("favicon.svg")) + `" type="image/svg+xml">`)
	for _, js := range []string{"vendor/htmx.min.js", "js/app.js", "js/forms.js", "js/passkeys.js"} {
		b.WriteString(`<script src="` + html.EscapeString(assets.URL(js)) + `" defer></script>`)
	}
	return templ.Raw(b.String())
})

// pageTitle is the window title: the page's, then the product's name.
func pageTitle(ctx context.Context, m Meta) string {
	if m.Title == "" {
		return "Watchpost"
	}
	return i18n.T(ctx, m.Title, m.TitleArgs...) + " · Watchpost"
}

// languageSwitcher lets anyone pick the language without JavaScript: each language is a
// submit button named in its own language. It is on every page, so it is written
// directly rather than through templ's attribute handling (an allocation per attribute).
func languageSwitcher(m Meta) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for _, s := range [...]string{
			`<form method="post" action="`, html.EscapeString(m.SwitcherURL()),
			`" class="lang-switch" hx-boost="false" aria-label="`, html.EscapeString(i18n.T(ctx, "common.language")),
			`"><input type="hidden" name="_csrf" value="`, html.EscapeString(m.CSRF),
			`"><input type="hidden" name="next" value="`, html.EscapeString(m.Path), `">`,
			switcherButtons(i18n.FromContext(ctx)), `</form>`,
		} {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// buttons holds the switcher's buttons with each language marked as the current one.
var buttons = map[i18n.Lang]string{}

func init() {
	for _, cur := range append([]i18n.Lang{""}, i18n.Supported...) {
		var b strings.Builder
		for _, l := range i18n.Supported {
			current := ""
			if l == cur {
				current = ` aria-current="true"`
			}
			b.WriteString(`<button type="submit" name="lang" value="` + string(l) + `" lang="` + string(l) +
				`" translate="no" class="link" id="lang-` + string(l) + `"` + current + `>` + html.EscapeString(l.Name()) + `</button>`)
		}
		buttons[cur] = b.String()
	}
}

func switcherButtons(l i18n.Lang) string {
	if s, ok := buttons[l]; ok {
		return s
	}
	return buttons[""]
}
