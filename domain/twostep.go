package domain

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-step verification: a time-based one-time code (RFC 6238) from an authenticator app
// after the password, or one of ten single-use recovery codes. This file holds the
// records, the rules shared by every flow and the secret's encryption; the flows live in
// twostep_enrol.go (turning it on and off, an administrator's reset) and
// twostep_signin.go (the step after the password).

// TwoStep is a person's authenticator enrolment. Vendor support staff have one too,
// under portal id 0 (they belong to no portal).
type TwoStep struct {
	PortalID int64 `bun:",pk"`
	UserID   int64 `bun:",pk"`
	// Secret is the confirmed TOTP secret, sealed with AES-GCM; "" until confirmed.
	Secret      string    `bun:",notnull"`
	ConfirmedAt time.Time `bun:",nullzero"`
	// LastStep is the newest time step whose code was accepted: a code works once.
	LastStep int64 `bun:",notnull"`
}

// SecondStepDue reports whether a session may no longer be used as it is: its person's
// role requires two-step verification (the policy or their role changed after it began)
// and it never passed a second step. The web sends its person to sign in again, and so
// to enrolment; the app is refused.
func (p Policy) SecondStepDue(s *Session) bool {
	return s.User != nil && !s.TwoStep && p.RequiredFor(s.User.Role)
}

// Enrolled reports whether a confirmed authenticator is in force.
func (t *TwoStep) Enrolled() bool { return t != nil && t.Secret != "" && !t.ConfirmedAt.IsZero() }

// RecoveryCode is one single-use recovery code, stored only as a keyed hash.
type RecoveryCode struct {
	PortalID  int64     `bun:",pk"`
	UserID    int64     `bun:",pk"`
	Hash      string    `bun:",pk"`
	CreatedAt time.Time `bun:",notnull"`
	UsedAt    time.Time `bun:",nullzero"`
}

// TwoStepChallenge is the short-lived, single-use state between a correct password and
// the second step. Only the hash of its token is stored, so app instances stay stateless.
type TwoStepChallenge struct {
	ID       string `bun:",pk"` // SHA-256 of the token
	PortalID int64  `bun:",notnull"`
	UserID   int64  `bun:",notnull"`
	// Ident is the identifier typed at sign-in: wrong codes count on its lockout counter.
	Ident   string      `bun:",notnull"`
	Kind    SessionKind `bun:",notnull"` // web, mobile, or support
	Purpose string      `bun:",notnull"` // ChallengeCode or ChallengeEnrol
	Device  string      `bun:",notnull"`
	IP      string      `bun:",notnull"`
	// PasswordChangedAt is the user's at the password step: a password changed since
	// voids the challenge.
	PasswordChangedAt time.Time `bun:",notnull"`
	CreatedAt         time.Time `bun:",notnull"`
	ExpiresAt         time.Time `bun:",notnull"`
	// Secret is the sealed authenticator secret an enrolment flow shows: made for this
	// flow alone, so only this flow can confirm it, and it dies with the flow.
	Secret string `bun:",notnull"`
	// SessionID binds an enrolment flow of the account page to the session that opened it.
	SessionID string `bun:",notnull"`
}

// What a challenge asks for.
const (
	ChallengeCode  = "code"  // an enrolled person enters a code or a recovery code
	ChallengeEnrol = "enrol" // a role that requires two-step: enrol before anything else
	// ChallengeAccountEnrol is one opening of the account page's enrolment: a fresh
	// secret bound to the session that opened it.
	ChallengeAccountEnrol = "account_enrol"
)

// SessionSupport marks a challenge of the vendor support console.
const SessionSupport SessionKind = "support"

// TwoStepStore keeps enrolments, recovery codes and pending challenges. The methods that
// guard a code's single use are one atomic statement each.
type TwoStepStore interface {
	// TwoStep loads a person's enrolment (portal 0: vendor support).
	TwoStep(ctx context.Context, portalID, userID int64) (*TwoStep, error)
	// EnableTwoStep makes sealed the person's confirmed secret (creating the row if
	// needed), with step as the last used time step.
	EnableTwoStep(ctx context.Context, portalID, userID int64, sealed string, step int64, now time.Time) error
	// UseTwoStepStep records step as used unless it, or a later one, already was; false
	// means the code was used before (a replay, or a parallel submission that won).
	UseTwoStepStep(ctx context.Context, portalID, userID, step int64) (bool, error)
	// DeleteTwoStep removes the enrolment and the recovery codes; false: there was none.
	DeleteTwoStep(ctx context.Context, portalID, userID int64) (bool, error)
	// ReplaceRecoveryCodes voids the person's recovery codes and stores these hashes.
	ReplaceRecoveryCodes(ctx context.Context, portalID, userID int64, hashes []string, now time.Time) error
	// UseRecoveryCode marks the unused code with this hash used; false: none such.
	UseRecoveryCode(ctx context.Context, portalID, userID int64, hash string, now time.Time) (bool, error)
	// RecoveryCodesLeft counts the person's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, portalID, userID int64) (int, error)
	CreateChallenge(ctx context.Context, c *TwoStepChallenge) error
	// Challenge returns an unexpired challenge by the hash of its token.
	Challenge(ctx context.Context, id string, now time.Time) (*TwoStepChallenge, error)
	// UseChallenge deletes the unexpired challenge and returns it; exactly one caller
	// succeeds, the others get ErrNotFound.
	UseChallenge(ctx context.Context, id string, now time.Time) (*TwoStepChallenge, error)
	// DeleteUserChallenges voids the person's pending challenges.
	DeleteUserChallenges(ctx context.Context, portalID, userID int64) error
	// OpenChallenges counts the person's unexpired second steps after a password (code
	// or enrolment at sign-in).
	OpenChallenges(ctx context.Context, portalID, userID int64, now time.Time) (int, error)
	// MarkSessionTwoStep records that the session passed a second step.
	MarkSessionTwoStep(ctx context.Context, portalID int64, sessionID string) error
	// DeleteSessionChallenges voids the enrolment flows a session opened.
	DeleteSessionChallenges(ctx context.Context, portalID int64, sessionID string) error
}

// Errors of the second step; handlers show each with its own message.
var (
	// ErrCodeFormat: the code typed is not six digits.
	ErrCodeFormat = errors.New("two-step code is not six digits")
	// ErrRecoveryCodeFormat: the recovery code typed does not look like one.
	ErrRecoveryCodeFormat = errors.New("recovery code has the wrong shape")
	// ErrWrongCode: a wrong, expired or already used code or recovery code.
	ErrWrongCode = errors.New("wrong two-step code")
	// errCodeReplayed: a right code whose time step was already used (a replay, or the
	// same form sent twice); it is a wrong code to the caller.
	errCodeReplayed = fmt.Errorf("%w: already used", ErrWrongCode)
	// ErrChallengeEnded: the challenge is unknown, expired or used; sign in again.
	ErrChallengeEnded = errors.New("two-step challenge ended")
	// ErrTwoStepRequired: the person's role requires two-step, so it cannot be turned off.
	ErrTwoStepRequired = errors.New("two-step verification is required for this role")
	// ErrNotEnrolled: there is no enrolment to act on.
	ErrNotEnrolled = errors.New("two-step verification is not turned on")
)

// TwoStepRequiredError answers a correct password when a second step must follow: the
// password alone makes no session. Token names the challenge; Enrol says the person
// must first set up an authenticator because their role requires one.
type TwoStepRequiredError struct {
	Token     string
	Enrol     bool
	ExpiresAt time.Time
}

func (e *TwoStepRequiredError) Error() string { return "two-step verification required" }

// Lifetimes of the pending state after a correct password.
const (
	codeChallengeLife  = 5 * time.Minute
	enrolChallengeLife = 15 * time.Minute
	accountFlowLife    = 30 * time.Minute
	// RecoveryCodeCount is how many recovery codes a person gets.
	RecoveryCodeCount = 10
)

// totpOpts are the code parameters every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TwoStepService enrols people in two-step verification and checks their codes.
type TwoStepService struct {
	*env
	aead cipher.AEAD
	mac  []byte // keys the recovery-code hashes
}

func newTwoStepService(e *env) *TwoStepService {
	key := e.cfg.TwoStepKey
	if len(key) != 32 {
		// Only tests get here: server.New always passes the configured key (or the one
		// generated into the database). A key that lives only as long as the process
		// cannot open secrets after a restart.
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("watchpost recovery codes"))
	return &TwoStepService{env: e, aead: aead, mac: m.Sum(nil)}
}

// seal encrypts a TOTP secret, bound to its owner so a row copied to another person
// does not open.
func (t *TwoStepService) seal(portalID, userID int64, secret string) string {
	nonce := make([]byte, t.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := t.aead.Seal(nonce, nonce, []byte(secret), owner(portalID, userID))
	return base64.RawStdEncoding.EncodeToString(out)
}

func (t *TwoStepService) open(portalID, userID int64, sealed string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	n := t.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", errors.New("two-step secret is damaged")
	}
	plain, err := t.aead.Open(nil, raw[:n], raw[n:], owner(portalID, userID))
	if err != nil {
		return "", errors.New("two-step secret does not open with the configured key")
	}
	return string(plain), nil
}

func owner(portalID, userID int64) []byte { return fmt.Appendf(nil, "%d/%d", portalID, userID) }

// matchStep returns the time step (of now, one before or one after) whose code is code,
// comparing in constant time; ok is false when none matches.
func matchStep(secret, code string, now time.Time) (step int64, ok bool) {
	period := int64(totpOpts.Period)
	for _, d := range []int64{0, -1, 1} {
		s := now.Unix()/period + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// CleanCode reads a typed authenticator code: six digits, spaces allowed between.
func CleanCode(s string) (string, error) {
	s = strings.Join(strings.Fields(s), "")
	if len(s) != 6 || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", ErrCodeFormat
	}
	return s, nil
}

// recoveryAlphabet leaves out letters and digits that look alike (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// cleanRecovery reads a typed recovery code: ten characters, case, spaces and dashes
// ignored.
func cleanRecovery(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if len(s) != 10 || strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune(recoveryAlphabet, r) }) >= 0 {
		return "", ErrRecoveryCodeFormat
	}
	return s, nil
}

// newRecoveryCodes makes the codes shown once ("abcde-fghjk") and their stored hashes.
func (t *TwoStepService) newRecoveryCodes(portalID, userID int64) (codes, hashes []string) {
	for range RecoveryCodeCount {
		code := randomFrom(recoveryAlphabet, 10)
		codes = append(codes, code[:5]+"-"+code[5:])
		hashes = append(hashes, t.recoveryHash(portalID, userID, code))
	}
	return codes, hashes
}

// randomFrom draws n characters uniformly from alphabet (fewer than 256 of them).
func randomFrom(alphabet string, n int) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet) // refuse the bytes that would bias the draw
	buf := make([]byte, 1)
	for len(out) < n {
		_, _ = rand.Read(buf)
		if int(buf[0]) < limit {
			out = append(out, alphabet[int(buf[0])%len(alphabet)])
		}
	}
	return string(out)
}

// recoveryHash keys the hash with the two-step key, so that a copy of the database
// alone cannot be searched for the codes.
func (t *TwoStepService) recoveryHash(portalID, userID int64, clean string) string {
	m := hmac.New(sha256.New, t.mac)
	m.Write(owner(portalID, userID))
	m.Write([]byte{0})
	m.Write([]byte(clean))
	return hex.EncodeToString(m.Sum(nil))
}

// RequiredFor reports whether the portal's policy makes the role use two-step.
func (p Policy) RequiredFor(role *Role) bool {
	if role == nil {
		return false
	}
	for _, r := range p.TwoStepRoleList() {
		if r == role.Name {
			return true
		}
	}
	return false
}

// TwoStepRoleList is the roles that must use two-step verification.
func (p Policy) TwoStepRoleList() []string {
	var out []string
	for _, r := range strings.Split(p.TwoStepRoles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// TwoStepStatus is what the account and profile pages show.
type TwoStepStatus struct {
	Enrolled     bool
	Since        time.Time
	RecoveryLeft int
	Required     bool // the person's role must use it
}

// Status tells whether the person uses two-step verification.
func (t *TwoStepService) Status(ctx context.Context, portal *Portal, user *User) (TwoStepStatus, error) {
	st := TwoStepStatus{Required: portal.Policy.RequiredFor(user.Role)}
	ts, err := t.store.TwoStep(ctx, portal.ID, user.ID)
	if errors.Is(err, ErrNotFound) || (err == nil && !ts.Enrolled()) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Enrolled, st.Since = true, ts.ConfirmedAt
	st.RecoveryLeft, err = t.store.RecoveryCodesLeft(ctx, portal.ID, user.ID)
	return st, err
}

// enrolment loads a person's enrolment; nil (no error) when there is none.
func (t *TwoStepService) enrolment(ctx context.Context, portalID, userID int64) (*TwoStep, error) {
	ts, err := t.store.TwoStep(ctx, portalID, userID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return ts, err
}

// checkTwoStepRoles keeps only the portal's own role names in the policy's list.
func (s *SettingsService) checkTwoStepRoles(ctx context.Context, portalID int64, p *Policy) error {
	roles, err := s.store.Roles(ctx, portalID)
	if err != nil {
		return err
	}
	var keep []string
	for _, r := range roles {
		if p.RequiredFor(&r) {
			keep = append(keep, r.Name)
		}
	}
	p.TwoStepRoles = strings.Join(keep, ",")
	return nil
}
