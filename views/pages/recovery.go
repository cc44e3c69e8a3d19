package pages

import (
	"strings"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// AskHelpVM is the "Ask my administrator for help" form.
type AskHelpVM struct {
	Portal *domain.Portal
	Form   Form
}

// HelpTicketVM is the answer to a help request (Code set: shown this once) and the
// requester's waiting page.
type HelpTicketVM struct {
	Portal    *domain.Portal
	Code      string // the request code to read out; "" on the waiting page
	Reference string
	WaitURL   string          // the waiting page
	StatusURL string          // its live status, polled
	Waiting   *domain.Waiting // nil on the answer page before the first poll
	ExpiresAt time.Time
}

// HelpInboxVM is the helpers' inbox.
type HelpInboxVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Cases  []domain.HelpCase
	Now    time.Time
}

// HelpCaseVM is one request's screen for a helper.
type HelpCaseVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Case   *domain.HelpCase
	Form   Form
	Now    time.Time
	Notice string               // catalogue id: the code was e-mailed, the identity was checked
	Pass   *domain.RecoveryPass // shown once, right after issuing
	QR     string               // data: URL of the pass link as a QR code
}

// RedeemVM is where a person uses a recovery pass to set their password.
type RedeemVM struct {
	Portal *domain.Portal
	Token  string // the link's token; "" when the code is typed
	Holder string // the username the link belongs to, when known
	Form   Form
}

// askHelpURL opens the help form, with the problem chosen when the page knows it.
func askHelpURL(code, problem string) string { return domain.AskHelpAboutPath(code, problem) }

// checkMethod is the way besides the request code that a request's checks name.
func checkMethod(checks string) string {
	fields := strings.Fields(checks)
	if len(fields) == 0 {
		return ""
	}
	return fields[len(fields)-1]
}

// RecoveryOfferVM is the profile's "Issue a recovery pass" offer.
type RecoveryOfferVM struct {
	AskURL string           // the absolute address of the help form, to send the person
	Open   *domain.HelpCase // the person's open request, if any
}
