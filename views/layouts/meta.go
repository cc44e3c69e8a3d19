// Package layouts holds the page frame every full page is rendered in.
package layouts

import "github.com/watchpost/watchpost/domain"

// Meta is what the frame needs to know about the request.
type Meta struct {
	Title      string
	PortalCode string // "" outside a portal
	PortalName string
	UserName   string // "" when nobody is signed in
	RoleName   string
	CSRF       string
	DevMailbox bool   // the development mailbox is on: link it in the footer
	HelpTopic  string // the help assistant opens on this topic
	Narrow     bool   // a small centred card (sign-in, reset) rather than a wide page
}

// HelpURL is the help assistant's address for this page.
func (m Meta) HelpURL() string {
	return domain.HelpPath(m.PortalCode, m.HelpTopic)
}

// HTMXConfig lets htmx swap error answers (422 forms, 4xx pages) and keeps it within the
// content security policy: no inline styles, no eval.
const HTMXConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}`
