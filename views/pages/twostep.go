package pages

import (
	"strings"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// TwoStepCodeVM is the code step after a correct password (web portals and the support
// console share it).
type TwoStepCodeVM struct {
	Eyebrow string // the portal's name, or "Watchpost support"
	Action  string // where the form posts
	CSRF    string
	Problem string // a catalogue key, or ""
	// Recovery opens the recovery-code form (the person typed in it last).
	Recovery bool
	Minutes  int
	Restart  string // the sign-in page, to start again
	HelpURL  string
}

// TwoStepEnrolVM shows a new secret as a QR code and as text, with the form that
// confirms it with a code.
type TwoStepEnrolVM struct {
	Eyebrow  string
	Title    string // a catalogue key
	Intro    string // a catalogue key
	QR       string // data: URL of a PNG
	URI      string // the otpauth:// address the QR code holds, for a phone that cannot scan itself
	Secret   string
	Action   string
	CSRF     string
	Problem  string // a catalogue key, or ""
	Cancel   string // where "not now" goes; "" when enrolment cannot be skipped
	Required bool   // the role requires it
	// Flow names the account page's enrolment flow that shows this secret ("" at sign-in,
	// where the challenge is the flow).
	Flow string
	// Reauth asks for the password first (the account page), and Enrolled for a current
	// code too (moving two-step to a new app).
	Reauth, Enrolled bool
}

// SecretGroups splits the secret in groups of four for typing.
func (vm TwoStepEnrolVM) SecretGroups() string {
	var b strings.Builder
	for i, r := range vm.Secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// RecoveryCodesVM shows the recovery codes once, with a download.
type RecoveryCodesVM struct {
	Eyebrow  string
	Codes    []string
	Download string // where the download form posts
	CSRF     string
	Continue string // where to go on
	Intro    string // a catalogue key
}

// TwoStepPanelVM is the two-step section of the account page.
type TwoStepPanelVM struct {
	PortalCode string
	CSRF       string
	Status     domain.TwoStepStatus
	Problem    string // a catalogue key, or ""
	Zone       *time.Location
}
