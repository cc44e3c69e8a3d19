package domain

import (
	"context"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors of assisted recovery.
var (
	// ErrHelpRequestClosed: the request was resolved, replaced, locked by wrong codes,
	// or expired; the person asks again.
	ErrHelpRequestClosed = errors.New("help request closed")
	// ErrNotVerified: a recovery pass needs the identity check first.
	ErrNotVerified = errors.New("identity not checked yet")
)

// RecoveryService runs assisted recovery: asking for help, the helpers' inbox, the
// identity check, the recovery pass and its redemption.
type RecoveryService struct {
	*env
	passwords *PasswordService
	twoStep   *TwoStepService
	timing    evenTiming
}

// HelpAsk is what a person asking for help typed.
type HelpAsk struct {
	Identifier string
	Problem    string
	Message    string
	Phone      string
	IP         string
}

// HelpTicket is the answer to a help request, the same whether or not an account
// matched: the reference and the request code to read out, and the waiting page's
// secret with the browser key that binds it to the browser that asked.
type HelpTicket struct {
	Reference   string
	Code        string
	WaitToken   string
	BrowserKey  string
	ExpiresAt   time.Time
	RequestedAt time.Time
}

// The limits on asking for help, per hour: per client address, per identifier from one
// address, and a higher ceiling per identifier from all addresses (so a stranger
// cannot use up the owner's own allowance, yet one person's inbox stays bounded).
const (
	helpPerAddress          = 10
	helpPerIdentifier       = 3
	helpPerIdentifierGlobal = 10
	helpWindow              = time.Hour
	// passTriesPerAddress recovery-pass codes per passWindow from one address.
	passTriesPerAddress = 10
	passWindow          = 15 * time.Minute
)

// Ask records a request for help. Its answer, its work and its time are the same
// whether the identifier names an account or not, and whether a rate limit dropped it:
// a request is stored either way (with no account when none matched), and only a
// storage failure or an empty form is an error. The person's earlier open request, if
// any, is replaced without a word.
func (r *RecoveryService) Ask(ctx context.Context, portal *Portal, in HelpAsk) (*HelpTicket, error) {
	start := time.Now()
	defer r.timing.pad(ctx, start, r.cfg.ResponseFloor)
	in, verr := cleanAsk(in)
	if verr != nil {
		return nil, verr
	}
	now := r.clock.Now()
	t := &HelpTicket{Reference: "HR-" + strings.ToUpper(randomFrom(referenceAlphabet, 6)), Code: randomFrom("0123456789", 6), RequestedAt: now,
		ExpiresAt: now.Add(time.Duration(portal.Policy.HelpRequestHours) * time.Hour)}
	wait, waitHash := NewToken()
	browser, browserHash := NewToken()
	t.WaitToken, t.BrowserKey = wait, browser
	allowed, err := r.allowAsk(ctx, portal, NormalizeIdentifier(in.Identifier), in.IP, now)
	if err != nil || !allowed {
		return t, err
	}
	user, err := r.store.UserByIdentifier(ctx, portal.ID, NormalizeIdentifier(in.Identifier))
	if errors.Is(err, ErrNotFound) || (err == nil && user.Disabled) {
		user, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	req := &HelpRequest{PortalID: portal.ID, Identifier: in.Identifier, Problem: HelpProblem(in.Problem), Message: in.Message, Phone: in.Phone,
		Reference: t.Reference, WaitHash: waitHash, BrowserKey: browserHash, Status: HelpOpen, CreatedAt: now, ExpiresAt: t.ExpiresAt}
	if user != nil {
		req.UserID = user.ID
	}
	err = r.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateHelpRequest(ctx, req); err != nil {
			return err
		}
		// The request code is keyed by the request, so the row must exist first.
		req.CodeHash = r.codeHash(portal.ID, req.ID, "request", t.Code)
		if err := tx.SetHelpCodeHash(ctx, portal.ID, req.ID, req.CodeHash); err != nil {
			return err
		}
		if user == nil {
			return nil
		}
		if err := noteLanguage(ctx, tx, user, false); err != nil {
			return err
		}
		detail := Notes{note("recovery.audit.requested", "Reference", req.Reference, "Problem", problemLabel(req.Problem))}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: user.ID, Type: EventHelpRequested, IP: in.IP, CreatedAt: now}, detail); err != nil {
			return err
		}
		return r.tellHelpers(ctx, tx, portal, user, req)
	})
	if err != nil {
		return nil, err
	}
	if user != nil {
		r.metrics.HelpRequested()
		r.timing.observe(time.Since(start))
	}
	return t, nil
}

// referenceAlphabet leaves out look-alikes, as recovery codes do.
const referenceAlphabet = recoveryAlphabet

// cleanAsk checks and trims the typed fields.
func cleanAsk(in HelpAsk) (HelpAsk, error) {
	in.Identifier = strings.TrimSpace(in.Identifier)
	in.Message = strings.TrimSpace(in.Message)
	in.Phone = strings.TrimSpace(in.Phone)
	errs := &ValidationError{}
	if in.Identifier == "" || utf8.RuneCountInString(in.Identifier) > 254 || HasControl(in.Identifier) || !utf8.ValidString(in.Identifier) {
		errs.Add("identifier", "errors.forgot.missing")
	}
	known := false
	for _, p := range HelpProblems {
		known = known || string(p) == in.Problem
	}
	if !known {
		errs.Add("problem", "recovery.errors.problem")
	}
	if utf8.RuneCountInString(in.Message) > 1000 || !utf8.ValidString(in.Message) {
		errs.Add("message", "recovery.errors.message", "Max", 1000)
	}
	if len(in.Phone) > 40 || strings.IndexFunc(in.Phone, func(r rune) bool { return !strings.ContainsRune("0123456789+-() .", r) }) >= 0 {
		errs.Add("phone", "recovery.errors.phone")
	}
	if len(errs.Fields) > 0 {
		return in, errs
	}
	return in, nil
}

// allowAsk applies the silent limits (see helpPerAddress).
func (r *RecoveryService) allowAsk(ctx context.Context, portal *Portal, ident, ip string, now time.Time) (bool, error) {
	pid, ip := strconv.FormatInt(portal.ID, 10), AddressGroup(ip)
	for _, l := range []struct {
		key string
		max int
	}{
		{"help-ip:" + pid + ":" + ip, helpPerAddress},
		{"help-id-ip:" + pid + ":" + ip + ":" + ident, helpPerIdentifier},
		{"help-id:" + pid + ":" + ident, helpPerIdentifierGlobal},
	} {
		n, err := r.store.Hit(ctx, l.key, now, helpWindow)
		if err != nil || n > l.max {
			return false, err
		}
	}
	return true, nil
}

// tellHelpers e-mails everyone who may handle the request, each in their language.
func (r *RecoveryService) tellHelpers(ctx context.Context, tx Store, portal *Portal, user *User, req *HelpRequest) error {
	helpers, err := tx.UsersWithPermission(ctx, portal.ID, PermHandleHelp)
	if err != nil {
		return err
	}
	for i := range helpers {
		h := &helpers[i]
		if h.ID == user.ID || !covers(h.Role, user.Role) {
			continue
		}
		if err := r.enqueue(ctx, tx, req.CreatedAt, portal.ID, helpArrivedEmail(portal, h, user, req, r.link(HelpRequestPath(portal.Code, req.ID)))); err != nil {
			return err
		}
	}
	return nil
}

// codeHash is the stored form of a short code: keyed with the two-step key and bound to
// its portal, request and purpose, so that neither a copy of the database alone nor a
// code of another request opens it.
func (r *RecoveryService) codeHash(portalID, requestID int64, purpose, code string) string {
	return r.twoStep.recoveryHash(portalID, requestID, "help:"+purpose+":"+code)
}

// sameCode compares a typed code with its stored hash in constant time.
func (r *RecoveryService) sameCode(portalID, requestID int64, purpose, typed, stored string) bool {
	if stored == "" {
		return false
	}
	got := r.codeHash(portalID, requestID, purpose, typed)
	return subtle.ConstantTimeCompare([]byte(got), []byte(stored)) == 1
}
