// Package pages holds the templ pages and the view models beside them.
package pages

import (
	"time"

	"github.com/watchpost/watchpost/domain"
)

// Form carries what a user typed back into the page together with the field messages.
type Form struct {
	CSRF   string
	Values map[string]string
	Errors map[string]string
	// Autofocus names the field the page puts the cursor in ("" for the page's default).
	Autofocus string
}

// Value returns a typed-in value.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the message for a field.
func (f Form) Error(name string) string { return f.Errors[name] }

// RootVM is the "enter your portal code" page.
type RootVM struct {
	Code      string
	Unknown   bool
	Simulator bool // the phone simulator is served: offer it
}

// SignInVM is a portal's sign-in page.
type SignInVM struct {
	Portal *domain.Portal
	Form   Form
	Notice string // catalogue id of a fixed message after a redirect (signed out, password changed)
	Failed bool   // wrong username or password
	// LastTryMinutes, when set, warns that one more wrong password locks sign-in for
	// that many minutes.
	LastTryMinutes int
	Locked         *LockedVM
	Expired        bool // the temporary password ran out
	// SawLock: this browser was shown a lock that is still in force; the plain form
	// keeps the way to help with a locked account (the lock itself shows on the next try).
	SawLock bool
	// Passkeys: the portal takes passkeys (the button, the autofill, the lockout's note);
	// PasskeyProblem is why the last passkey sign-in failed (a catalogue key).
	Passkeys       bool
	PasskeyProblem string
}

// LockedVM describes a lockout to the user.
type LockedVM struct {
	Minutes      int
	Until        time.Time // shown in the portal's time zone
	Repeat       bool
	AdminContact string
}

// HomeVM is the portal's home page after sign-in.
type HomeVM struct {
	Portal    *domain.Portal
	User      *domain.User
	Notice    string
	Simulator bool // the phone simulator is served: offer it
}

// AccountVM is the user's account page.
type AccountVM struct {
	Portal    *domain.Portal
	User      *domain.User
	Sessions  []SessionRow
	Notice    string
	Password  Form
	MinLength int
	TwoStep   TwoStepPanelVM
	Passkeys  PasskeysPanelVM
}

// SessionRow is one line of the active-sessions list.
type SessionRow struct {
	ID       string // the session's stored id (a hash, never the token), for signing it out
	Kind     string // catalogue id
	Device   string
	IP       string
	LastSeen time.Time
	Created  time.Time
	Current  bool
}

// ForgotVM is the Forgot-password page and its answer.
type ForgotVM struct {
	Portal      *domain.Portal
	Form        Form
	Sent        bool
	Minutes     int
	Expired     bool // came here from an expired or used link
	ResendAfter time.Duration
}

// ResetVM is the page an e-mailed link opens.
type ResetVM struct {
	Portal    *domain.Portal
	User      *domain.User
	Token     string
	Form      Form
	MinLength int
}

// ChangeVM is the forced password change right after sign-in.
type ChangeVM struct {
	Portal    *domain.Portal
	User      *domain.User
	Form      Form
	MinLength int
}

// ErrorVM is an error page.
type ErrorVM struct {
	Status    int
	Title     string
	Message   string
	Action    string // a link to where the user can go on
	ActionURL string
	HelpURL   string
}

// MailboxVM is the development mailbox.
type MailboxVM struct {
	Messages []domain.OutboxMessage
	Open     *domain.OutboxMessage
}
