package domain

import "time"

// Assisted recovery: a person who cannot get back in by themselves asks their portal's
// helpers (the "Handle help requests" permission); a helper checks who is asking and
// issues a single-use recovery pass with which the person sets their own password.

// PermHandleHelp lets a role see the help-request inbox and get people back in with a
// recovery pass.
const PermHandleHelp Permission = "handle_help"

// HelpStatus is where a help request stands.
type HelpStatus string

// The states of a help request. Open, Verified and Issued are "open": the person has at
// most one such request.
const (
	HelpOpen     HelpStatus = "open"     // waiting for a helper
	HelpVerified HelpStatus = "verified" // the helper checked who is asking
	HelpIssued   HelpStatus = "issued"   // a recovery pass is waiting to be redeemed
	HelpResolved HelpStatus = "resolved" // the pass was redeemed
	HelpLocked   HelpStatus = "locked"   // too many wrong codes
	HelpReplaced HelpStatus = "replaced" // the person asked again
)

// HelpProblem is what the person says is wrong.
type HelpProblem string

// The problems a person can pick.
const (
	ProblemLocked      HelpProblem = "locked"
	ProblemResetEmail  HelpProblem = "reset_email"
	ProblemNewPhone    HelpProblem = "new_phone"
	ProblemTempExpired HelpProblem = "temp_expired"
	ProblemOther       HelpProblem = "other"
)

// HelpProblems lists the problems in the order the form shows them.
var HelpProblems = []HelpProblem{ProblemLocked, ProblemResetEmail, ProblemNewPhone, ProblemTempExpired, ProblemOther}

// The ways a helper checks who is asking, beside the request code read out.
const (
	CheckEmailCode = "email_code"
	CheckAuthCode  = "authenticator"
	CheckInPerson  = "in_person"
)

// HelpRequest is one person's request for help. Every secret in it is stored hashed
// (the pass also sealed, for the requester's own waiting page); a request for an
// identifier that names no account is stored the same way, with no UserID, so that
// asking tells nothing about accounts.
type HelpRequest struct {
	ID         int64       `bun:",pk,autoincrement"`
	PortalID   int64       `bun:",notnull"`
	UserID     int64       `bun:",nullzero"`
	Identifier string      `bun:",notnull"` // as typed
	Problem    HelpProblem `bun:",notnull"`
	Message    string      `bun:",notnull"`
	Phone      string      `bun:",notnull"`
	Reference  string      `bun:",notnull"` // short, shown to both sides
	CodeHash   string      `bun:",notnull"` // the request code the person reads out
	WaitHash   string      `bun:",notnull,unique"`
	BrowserKey string      `bun:",notnull"` // hash of the cookie of the browser that asked
	Status     HelpStatus  `bun:",notnull"`
	// WrongChecks counts wrong codes (request, e-mailed, authenticator); at
	// HelpMaxWrongChecks the request locks.
	WrongChecks    int       `bun:",notnull"`
	Checks         string    `bun:",notnull"` // how identity was checked (CheckEmailCode, ...)
	CheckNote      string    `bun:",notnull"`
	EmailCodeHash  string    `bun:",notnull"`
	EmailCodeUntil time.Time `bun:",nullzero"`
	// What the pass does besides the password: remove two-step, correct the e-mail.
	ResetTwoStep  bool      `bun:",notnull"`
	NewEmail      string    `bun:",notnull"`
	PassHash      string    `bun:",notnull"` // the link's token
	PassCodeHash  string    `bun:",notnull"` // the short code
	PassSealed    string    `bun:",notnull"` // code and token, for the requester's waiting page
	PassExpiresAt time.Time `bun:",nullzero"`
	CreatedAt     time.Time `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`
	ResolvedAt    time.Time `bun:",nullzero"`
	ResolverID    int64     `bun:",nullzero"`
}

// IsOpen tells whether the request still waits for a helper or for its pass.
func (r *HelpRequest) IsOpen(now time.Time) bool {
	return (r.Status == HelpOpen || r.Status == HelpVerified || r.Status == HelpIssued) && now.Before(r.ExpiresAt)
}

// HelpMaxWrongChecks wrong codes lock a request.
const HelpMaxWrongChecks = 5

// The audit events of assisted recovery.
const (
	EventHelpRequested   = "help_requested"
	EventHelpCodeSent    = "help_code_sent"
	EventHelpChecked     = "help_identity_checked"
	EventHelpCheckFailed = "help_check_failed"
	EventHelpLocked      = "help_request_locked"
	EventPassIssued      = "recovery_pass_issued"
	EventPassRedeemed    = "recovery_pass_redeemed"
)
