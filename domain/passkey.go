package domain

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Passkeys: WebAuthn credentials kept by the person's device (or synced by their
// platform), discoverable, and always used with user verification (a fingerprint, a face
// or the device's PIN). A passkey signs the person in without a password; its user
// verification counts as a second step (see Policy.PasskeyReplacesStep for the roles that
// must use two-step). The WebAuthn checks are the go-webauthn library's (passkey_webauthn.go);
// this file holds the records and the rules.

// Passkey is one registered credential of a portal user. The credential works only on the
// portal it was registered on: its portal id must match, and the user handle the device
// returns names the portal and the person (see userHandle).
type Passkey struct {
	ID       int64 `bun:",pk,autoincrement"`
	PortalID int64 `bun:",notnull,unique:passkey_portal_credential"`
	UserID   int64 `bun:",notnull"`
	// CredentialID is the credential's id, base64url without padding.
	CredentialID string `bun:",notnull,unique:passkey_portal_credential"`
	// PublicKey is the COSE public key the library checks signatures with.
	PublicKey []byte `bun:",notnull"`
	AAGUID    []byte `bun:",notnull"`
	// SignCount is the authenticator's last signature counter (0 for synced passkeys that
	// keep none). CloneWarning is set once a counter went backwards: the passkey is then
	// refused until it is removed.
	SignCount    int64 `bun:",notnull"`
	CloneWarning bool  `bun:",notnull"`
	// BackupEligible and BackupState are the authenticator's flags at registration (the
	// library refuses a sign-in whose eligibility changed).
	BackupEligible bool `bun:",notnull"`
	BackupState    bool `bun:",notnull"`
	// Transports the browser reported (comma-separated: "internal,hybrid").
	Transports string    `bun:",notnull"`
	Name       string    `bun:",notnull"`
	CreatedAt  time.Time `bun:",notnull"`
	LastUsedAt time.Time `bun:",nullzero"`
}

// PasskeyCeremony is the server's half of one WebAuthn ceremony (registration on the
// account page, or a sign-in): the library's SessionData, kept in the database so that
// any app instance can finish what another began. Only the hash of its token is stored;
// it is used once (deleted as it is read) and expires.
type PasskeyCeremony struct {
	ID        string `bun:",pk"` // SHA-256 of the token
	PortalID  int64  `bun:",notnull"`
	Purpose   string `bun:",notnull"` // CeremonyRegister or CeremonySignIn
	UserID    int64  `bun:",notnull"` // registration: whose passkey; sign-in: 0
	SessionID string `bun:",notnull"` // registration: the session that began it
	// Name is the name the person gave the passkey being registered.
	Name string `bun:",notnull"`
	// Data is the library's SessionData as JSON (the challenge, the user handle, the
	// user verification asked for).
	Data      string    `bun:",notnull"`
	CreatedAt time.Time `bun:",notnull"`
	ExpiresAt time.Time `bun:",notnull"`
}

// What a ceremony is for.
const (
	CeremonyRegister = "register"
	CeremonySignIn   = "sign_in"
)

// passkeyCeremonyLife bounds a ceremony: long enough to find a phone and touch it.
const passkeyCeremonyLife = 5 * time.Minute

// PasskeyNameMax is the longest name a passkey may have.
const PasskeyNameMax = 60

// The audit events of passkeys.
const (
	EventPasskeyAdded   = "passkey_added"
	EventPasskeyRemoved = "passkey_removed"
	EventPasskeySignIn  = "passkey_sign_in"
	EventPasskeyRefused = "passkey_refused"
)

// Errors of passkeys.
var (
	// ErrPasskeyRefused: the passkey's answer did not sign anyone in (unknown here, from
	// another portal, a bad signature, no user verification, a cloned authenticator).
	ErrPasskeyRefused = errors.New("passkey refused")
	// ErrPasskeyEnded: the ceremony is unknown, expired or already used; start again.
	ErrPasskeyEnded = errors.New("passkey ceremony ended")
	// ErrPasskeysOff: the portal's policy does not allow passkeys, or the site's address
	// cannot be a WebAuthn relying party (an IP address).
	ErrPasskeysOff = errors.New("passkeys are not available here")
	// ErrLastWayIn: removing this passkey would leave the account no way to sign in.
	ErrLastWayIn = errors.New("the last way to sign in cannot be removed")
)

// PasskeyStore keeps passkeys and the ceremonies that register and use them. Every
// method is scoped by portal id; the single-use of a ceremony and the counter update
// are one atomic statement each.
type PasskeyStore interface {
	// CreatePasskey stores a new passkey; ErrConflict when its credential id is known.
	CreatePasskey(ctx context.Context, p *Passkey) error
	// Passkeys lists a person's passkeys, oldest first.
	Passkeys(ctx context.Context, portalID, userID int64) ([]Passkey, error)
	// PasskeyByCredential finds the portal's passkey with this credential id.
	PasskeyByCredential(ctx context.Context, portalID int64, credentialID string) (*Passkey, error)
	// UsePasskey records a sign-in: the new counter and when, only while the stored
	// counter is still old (false: another sign-in moved it first).
	UsePasskey(ctx context.Context, portalID, id, old, count int64, now time.Time) (bool, error)
	// MarkPasskeyCloned sets the clone warning of a passkey.
	MarkPasskeyCloned(ctx context.Context, portalID, id int64) error
	// DeletePasskey removes one of a person's passkeys; false: there was none such.
	DeletePasskey(ctx context.Context, portalID, userID, id int64) (bool, error)
	// DeleteUserPasskeys removes all of a person's passkeys and says how many.
	DeleteUserPasskeys(ctx context.Context, portalID, userID int64) (int, error)
	CreatePasskeyCeremony(ctx context.Context, c *PasskeyCeremony) error
	// UsePasskeyCeremony deletes the unexpired ceremony and returns it; exactly one
	// caller succeeds, the others get ErrNotFound.
	UsePasskeyCeremony(ctx context.Context, id string, now time.Time) (*PasskeyCeremony, error)
	// PurgePasskeyCeremonies deletes the ceremonies that expired before before.
	PurgePasskeyCeremonies(ctx context.Context, before time.Time) (int, error)
}

// userHandle is the WebAuthn user handle of a portal user: the portal id and the user
// id. A passkey made on one portal carries the other portal's handle, so a sign-in on
// this portal refuses it even before looking for its credential.
func userHandle(portalID, userID int64) []byte {
	b := make([]byte, 0, 18)
	b = append(b, 'w', 'p')
	b = binary.BigEndian.AppendUint64(b, uint64(portalID))
	return binary.BigEndian.AppendUint64(b, uint64(userID))
}

// parseUserHandle reads a handle made by userHandle.
func parseUserHandle(h []byte) (portalID, userID int64, ok bool) {
	if len(h) != 18 || h[0] != 'w' || h[1] != 'p' {
		return 0, 0, false
	}
	return int64(binary.BigEndian.Uint64(h[2:10])), int64(binary.BigEndian.Uint64(h[10:])), true
}

// credentialKey is how a credential id is stored and compared.
func credentialKey(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// RelyingPartyID is the WebAuthn relying party id of a base URL: its host name. An IP
// address cannot be one (browsers refuse it), nor can an empty address.
func RelyingPartyID(baseURL string) (id, origin string, ok bool) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", "", false
	}
	if net.ParseIP(u.Hostname()) != nil {
		return "", "", false
	}
	return strings.ToLower(u.Hostname()), u.Scheme + "://" + u.Host, true
}

// PasskeysAllowed reports whether the portal's people may use passkeys.
func (p Policy) PasskeysAllowed() bool { return !p.PasskeysOff }

// PasskeyReplacesStep reports whether, for a role that must use two-step verification,
// a passkey sign-in counts as the second step. (For everyone else it always does.)
func (p Policy) PasskeyReplacesStep(role *Role) bool {
	if role == nil {
		return false
	}
	for _, r := range strings.Split(p.PasskeyRoles, ",") {
		if strings.TrimSpace(r) == role.Name {
			return true
		}
	}
	return false
}

// cleanPasskeyName reads the name a person gives a passkey.
func cleanPasskeyName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		return "", Invalid("name", "passkeys.error.name_missing")
	case len([]rune(s)) > PasskeyNameMax:
		return "", Invalid("name", "passkeys.error.name_long", "Max", PasskeyNameMax)
	}
	return s, nil
}

// checkPasskeyRoles keeps only the portal's own role names in the policy's list of roles
// for which a passkey counts as the second step.
func (s *SettingsService) checkPasskeyRoles(ctx context.Context, portalID int64, p *Policy) error {
	roles, err := s.store.Roles(ctx, portalID)
	if err != nil {
		return err
	}
	var keep []string
	for _, r := range roles {
		if p.PasskeyReplacesStep(&r) {
			keep = append(keep, r.Name)
		}
	}
	p.PasskeyRoles = strings.Join(keep, ",")
	return nil
}

// passkeyPolicyNote is the audit log's account of the policy's passkey settings.
func passkeyPolicyNote(p Policy) Note {
	if !p.PasskeysAllowed() {
		return note("audit.policy.passkeys_off")
	}
	var roles any = p.PasskeyRoles
	if p.PasskeyRoles == "" {
		roles = i18n.Key("audit.none")
	}
	return note("audit.policy.passkeys_on", "Roles", roles)
}
