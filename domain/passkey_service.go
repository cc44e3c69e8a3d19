package domain

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/watchpost/watchpost/i18n"
)

// PasskeyService registers, lists and removes passkeys and signs people in with them.
// Every WebAuthn check (challenge, origin, relying party, signature, user verification,
// counter) is the go-webauthn library's; the service keeps the ceremonies in the
// database and applies the portal's rules.
type PasskeyService struct {
	*env
	twoStep *TwoStepService
	wa      *webauthn.WebAuthn // nil: the base URL cannot be a relying party
}

func newPasskeyService(e *env, twoStep *TwoStepService) *PasskeyService {
	s := &PasskeyService{env: e, twoStep: twoStep}
	id, origin, ok := RelyingPartyID(e.cfg.BaseURL)
	if !ok {
		return s
	}
	wa, err := webauthn.New(&webauthn.Config{RPID: id, RPDisplayName: "Watchpost", RPOrigins: []string{origin}})
	if err != nil {
		logErr(context.Background(), "passkeys off", err)
		return s
	}
	s.wa = wa
	return s
}

// PasskeyStart is a ceremony begun: Flow names it (the browser sends it back with the
// answer), Options is what the browser's navigator.credentials call takes (JSON with
// its publicKey member).
type PasskeyStart struct {
	Flow    string
	Options json.RawMessage
}

// SiteReady reports whether the site can be a WebAuthn relying party at all (its base
// URL names a host, not an IP address).
func (s *PasskeyService) SiteReady() bool { return s.wa != nil }

// Available reports whether the portal's people can use passkeys here.
func (s *PasskeyService) Available(portal *Portal) bool {
	return s.wa != nil && portal.Policy.PasskeysAllowed()
}

// passkeyUser is a portal user with their passkeys, as the library sees them.
type passkeyUser struct {
	portal *Portal
	user   *User
	keys   []Passkey
}

func (u passkeyUser) WebAuthnID() []byte   { return userHandle(u.portal.ID, u.user.ID) }
func (u passkeyUser) WebAuthnName() string { return u.user.Username }
func (u passkeyUser) WebAuthnDisplayName() string {
	return u.user.DisplayName + " (" + u.portal.Name + ")"
}

func (u passkeyUser) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, 0, len(u.keys))
	for _, k := range u.keys {
		id, err := base64.RawURLEncoding.DecodeString(k.CredentialID)
		if err != nil {
			continue
		}
		var transports []protocol.AuthenticatorTransport
		for _, t := range strings.Split(k.Transports, ",") {
			if t != "" {
				transports = append(transports, protocol.AuthenticatorTransport(t))
			}
		}
		out = append(out, webauthn.Credential{
			ID: id, PublicKey: k.PublicKey, AttestationType: "none", Transport: transports,
			Flags:         webauthn.CredentialFlags{UserPresent: true, UserVerified: true, BackupEligible: k.BackupEligible, BackupState: k.BackupState},
			Authenticator: webauthn.Authenticator{AAGUID: k.AAGUID, SignCount: uint32(k.SignCount), CloneWarning: k.CloneWarning},
		})
	}
	return out
}

// List returns the person's passkeys, oldest first.
func (s *PasskeyService) List(ctx context.Context, portal *Portal, user *User) ([]Passkey, error) {
	return s.store.Passkeys(ctx, portal.ID, user.ID)
}

// BeginRegistration starts adding a passkey to the signed-in person's account, named
// name, once they proved it is them (password, and a current code where they use
// two-step verification; checked under the lockout like a sign-in). The ceremony belongs
// to this session alone.
func (s *PasskeyService) BeginRegistration(ctx context.Context, portal *Portal, sess *Session, name string, proof Reauth, ip string) (*PasskeyStart, error) {
	if !s.Available(portal) {
		return nil, ErrPasskeysOff
	}
	name, err := cleanPasskeyName(name)
	if err != nil {
		return nil, err
	}
	if err := s.twoStep.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
		return nil, err
	}
	keys, err := s.store.Passkeys(ctx, portal.ID, sess.UserID)
	if err != nil {
		return nil, err
	}
	u := passkeyUser{portal: portal, user: sess.User, keys: keys}
	creation, sd, err := s.wa.BeginRegistration(u,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationRequired,
		}),
		webauthn.WithExclusions(webauthn.Credentials(u.WebAuthnCredentials()).CredentialDescriptors()),
		webauthn.WithRegistrationRelyingPartyName(portal.Name))
	if err != nil {
		return nil, err
	}
	return s.begin(ctx, &PasskeyCeremony{PortalID: portal.ID, Purpose: CeremonyRegister, UserID: sess.UserID, SessionID: sess.ID, Name: name}, sd, creation)
}

// begin stores a ceremony's SessionData and returns its token with the options.
func (s *PasskeyService) begin(ctx context.Context, c *PasskeyCeremony, sd *webauthn.SessionData, options any) (*PasskeyStart, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return nil, err
	}
	opts, err := json.Marshal(options)
	if err != nil {
		return nil, err
	}
	token, hash := NewToken()
	now := s.clock.Now()
	c.ID, c.Data, c.CreatedAt, c.ExpiresAt = hash, string(data), now, now.Add(passkeyCeremonyLife)
	if err := s.store.CreatePasskeyCeremony(ctx, c); err != nil {
		return nil, err
	}
	return &PasskeyStart{Flow: token, Options: opts}, nil
}

// ceremony uses up the ceremony a token names: whatever the answer, it works once.
func (s *PasskeyService) ceremony(ctx context.Context, portal *Portal, token, purpose string) (*PasskeyCeremony, webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if !ValidTokenShape(token) {
		return nil, sd, ErrPasskeyEnded
	}
	c, err := s.store.UsePasskeyCeremony(ctx, HashToken(token), s.clock.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, sd, ErrPasskeyEnded
	}
	if err != nil {
		return nil, sd, err
	}
	if c.PortalID != portal.ID || c.Purpose != purpose {
		return nil, sd, ErrPasskeyEnded
	}
	if err := json.Unmarshal([]byte(c.Data), &sd); err != nil {
		return nil, sd, ErrPasskeyEnded
	}
	return c, sd, nil
}

// refused wraps why the library refused an answer, for the log; callers see ErrPasskeyRefused.
func refused(why error) error { return fmt.Errorf("%w: %v", ErrPasskeyRefused, why) }

// FinishRegistration checks the device's answer to a registration this session began
// and stores the passkey. Like every change to how a person signs in, it signs out
// their other sessions; the person is told by e-mail.
func (s *PasskeyService) FinishRegistration(ctx context.Context, portal *Portal, sess *Session, flow string, response []byte, ip string) (*Passkey, error) {
	if !s.Available(portal) {
		return nil, ErrPasskeysOff
	}
	c, sd, err := s.ceremony(ctx, portal, flow, CeremonyRegister)
	if err != nil {
		return nil, err
	}
	if c.UserID != sess.UserID || c.SessionID != sess.ID {
		return nil, ErrPasskeyEnded
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, refused(err)
	}
	keys, err := s.store.Passkeys(ctx, portal.ID, sess.UserID)
	if err != nil {
		return nil, err
	}
	cred, err := s.wa.CreateCredential(passkeyUser{portal: portal, user: sess.User, keys: keys}, sd, parsed)
	if err != nil {
		return nil, refused(err)
	}
	if !cred.Flags.UserVerified {
		return nil, refused(errors.New("no user verification"))
	}
	now := s.clock.Now()
	var transports []string
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	pk := &Passkey{
		PortalID: portal.ID, UserID: sess.UserID, CredentialID: credentialKey(cred.ID), PublicKey: cred.PublicKey,
		AAGUID: cred.Authenticator.AAGUID, SignCount: int64(cred.Authenticator.SignCount),
		BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState,
		Transports: Truncate(strings.Join(transports, ","), 100), Name: c.Name, CreatedAt: now,
	}
	if pk.AAGUID == nil {
		pk.AAGUID = []byte{}
	}
	h := userHolder(portal, sess.User)
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreatePasskey(ctx, pk); err != nil {
			if errors.Is(err, ErrConflict) {
				return refused(errors.New("credential already registered"))
			}
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, portal.ID, sess.UserID, sess.ID); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: sess.UserID, Type: EventPasskeyAdded, IP: ip, CreatedAt: now}, Notes{note("audit.passkey.added", "Name", pk.Name)}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, now, portal.ID, passkeyEmail(ctx, h, "added", pk.Name, 0))
	})
	if err != nil {
		return nil, err
	}
	return pk, nil
}

// Remove deletes one of the signed-in person's own passkeys once they proved it is them
// (as for adding one), and signs out their other sessions. Their password stays, so this
// is normally allowed; it is refused only when it would leave no way in (an account
// without a password). The person is told by e-mail.
func (s *PasskeyService) Remove(ctx context.Context, portal *Portal, sess *Session, id int64, proof Reauth, ip string) error {
	keys, err := s.store.Passkeys(ctx, portal.ID, sess.UserID)
	if err != nil {
		return err
	}
	var pk *Passkey
	for i := range keys {
		if keys[i].ID == id {
			pk = &keys[i]
		}
	}
	if pk == nil {
		return ErrNotFound
	}
	if len(keys) == 1 && sess.User.PasswordHash == "" {
		return ErrLastWayIn
	}
	if err := s.twoStep.reauthenticate(ctx, portal, sess, proof, ip); err != nil {
		return err
	}
	now := s.clock.Now()
	h := userHolder(portal, sess.User)
	return s.store.InTx(ctx, func(tx Store) error {
		found, err := tx.DeletePasskey(ctx, portal.ID, sess.UserID, id)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		if _, err := tx.DeleteUserSessions(ctx, portal.ID, sess.UserID, sess.ID); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: sess.UserID, Type: EventPasskeyRemoved, IP: ip, CreatedAt: now}, Notes{note("audit.passkey.removed", "Name", pk.Name)}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, now, portal.ID, passkeyEmail(ctx, h, "removed", pk.Name, 0))
	})
}

// RemoveAllFor removes every passkey of another person, for someone who lost the
// device: it needs the "Reset two-step verification" permission and, as for passwords,
// that the person holds no permission the actor lacks. Their sessions end (whoever holds
// the lost device may hold one too); the event is audited and the person told.
func (s *PasskeyService) RemoveAllFor(ctx context.Context, actor *User, targetID int64, ip string) (int, error) {
	target, err := s.store.UserByID(ctx, actor.PortalID, targetID)
	if err != nil {
		return 0, err
	}
	if err := guard(actor, target, PermResetTwoStep); err != nil {
		return 0, err
	}
	if actor.ID == target.ID {
		return 0, &ForbiddenError{Permission: PermResetTwoStep, Reason: "errors.forbidden.own_passkeys"}
	}
	if target.PasswordHash == "" {
		return 0, ErrLastWayIn
	}
	portal, err := s.store.PortalByID(ctx, actor.PortalID)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	n := 0
	err = s.store.InTx(ctx, func(tx Store) error {
		if n, err = tx.DeleteUserPasskeys(ctx, portal.ID, target.ID); err != nil {
			return err
		}
		if n == 0 {
			return ErrNoPasskeys
		}
		if _, err := tx.DeleteUserSessions(ctx, portal.ID, target.ID, ""); err != nil {
			return err
		}
		if err := audit(ctx, tx, AuditEvent{PortalID: portal.ID, UserID: target.ID, ActorID: actor.ID, Type: EventPasskeyRemoved, IP: ip, CreatedAt: now}, Notes{note("audit.passkey.removed_by", "Name", actor.Username)}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, now, portal.ID, passkeyEmail(ctx, userHolder(portal, target), "removed_by_admin", "", actor.ID))
	})
	return n, err
}

// ErrNoPasskeys: the person has no passkey to remove.
var ErrNoPasskeys = errors.New("no passkeys")

// passkeyBeginsPerMinute bounds the sign-in ceremonies one client address (its
// AddressGroup) may open a minute: each writes a row, and nobody signs in that often.
const passkeyBeginsPerMinute = 60

// BeginSignIn starts a passkey sign-in on the portal: the browser asks the person to
// pick one of their passkeys for this site (discoverable credentials; no username is
// sent, so nothing tells whether an account exists or has a passkey). An address that
// opens too many gets *ThrottledError.
func (s *PasskeyService) BeginSignIn(ctx context.Context, portal *Portal, ip string) (*PasskeyStart, error) {
	if !s.Available(portal) {
		return nil, ErrPasskeysOff
	}
	if ip != "" {
		n, err := s.store.Hit(ctx, "passkey-begin:"+AddressGroup(ip), s.clock.Now(), time.Minute)
		if err != nil {
			return nil, err
		}
		if n > passkeyBeginsPerMinute {
			return nil, &ThrottledError{Left: time.Minute}
		}
	}
	assertion, sd, err := s.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, err
	}
	return s.begin(ctx, &PasskeyCeremony{PortalID: portal.ID, Purpose: CeremonySignIn}, sd, assertion)
}

// PasskeySignInRequest is the answer of the person's device to a sign-in ceremony.
type PasskeySignInRequest struct {
	Portal   *Portal
	Flow     string
	Response []byte // the PublicKeyCredential as JSON
	IP       string
	Device   string
	Kind     SessionKind
	// DeviceToken is the browser's device token, if it kept one (see devices.go).
	DeviceToken string
}

// SignIn checks a passkey's answer and starts the session. The passkey's user
// verification is the second step, except for a role that must use two-step and whose
// policy does not accept a passkey for it: then *TwoStepRequiredError follows, as after
// a password. A passkey works while password sign-in is locked (the lock is about
// guessing passwords) and clears the failed count. Errors: ErrPasskeyEnded,
// ErrPasskeyRefused, ErrPasskeysOff, ErrTempPasswordExpired.
func (s *PasskeyService) SignIn(ctx context.Context, r PasskeySignInRequest) (*SignInResult, error) {
	res, err := s.signIn(ctx, r)
	s.metrics.SignIn(SignInOutcomeOf(err))
	return res, err
}

func (s *PasskeyService) signIn(ctx context.Context, r PasskeySignInRequest) (*SignInResult, error) {
	if !s.Available(r.Portal) {
		return nil, ErrPasskeysOff
	}
	_, sd, err := s.ceremony(ctx, r.Portal, r.Flow, CeremonySignIn)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(r.Response)
	if err != nil {
		return nil, refused(err)
	}
	var (
		pk     *Passkey
		user   *User
		lookup error // a store failure, told apart from a passkey that is not here
	)
	owner := func(rawID, handle []byte) (webauthn.User, error) {
		user, lookup = nil, nil
		portalID, userID, ok := parseUserHandle(handle)
		if !ok || portalID != r.Portal.ID {
			return nil, errors.New("a passkey of another portal or site")
		}
		found, err := s.store.PasskeyByCredential(ctx, r.Portal.ID, credentialKey(rawID))
		if err != nil {
			lookup = err
			return nil, err
		}
		if found.UserID != userID {
			return nil, errors.New("user handle and credential disagree")
		}
		u, err := s.store.UserByID(ctx, r.Portal.ID, userID)
		if err != nil {
			lookup = err
			return nil, err
		}
		pk, user = found, u
		return passkeyUser{portal: r.Portal, user: user, keys: []Passkey{*pk}}, nil
	}
	_, cred, err := s.wa.ValidatePasskeyLogin(owner, sd, parsed)
	now := s.clock.Now()
	if lookup != nil && !errors.Is(lookup, ErrNotFound) {
		return nil, lookup
	}
	if err != nil {
		if user != nil {
			logErr(ctx, "audit", audit(ctx, s.store, AuditEvent{PortalID: r.Portal.ID, UserID: user.ID, Type: EventPasskeyRefused, IP: r.IP, CreatedAt: now}, Notes{note("audit.passkey.refused", "Name", pk.Name)}))
		}
		return nil, refused(err)
	}
	switch {
	case user.Disabled:
		return nil, refused(errors.New("account disabled"))
	case !cred.Flags.UserVerified:
		return nil, refused(errors.New("no user verification"))
	case pk.CloneWarning || cred.Authenticator.CloneWarning:
		return nil, s.cloned(ctx, r, user, pk)
	}
	fresh, err := s.store.UsePasskey(ctx, r.Portal.ID, pk.ID, pk.SignCount, int64(cred.Authenticator.SignCount), now)
	if err != nil {
		return nil, err
	}
	if !fresh {
		return nil, s.cloned(ctx, r, user, pk) // another sign-in moved the counter past this one
	}
	// The passkey proves the person: the password's failed count and lock go.
	if err := s.lockout.ClearUser(ctx, s.store, user); err != nil {
		return nil, err
	}
	logErr(ctx, "audit", audit(ctx, s.store, AuditEvent{PortalID: r.Portal.ID, UserID: user.ID, Type: EventPasskeySignIn, IP: r.IP, CreatedAt: now}, Notes{note("audit.passkey.used", "Name", pk.Name)}))
	if r.Portal.Policy.RequiredFor(user.Role) && !r.Portal.Policy.PasskeyReplacesStep(user.Role) {
		return nil, s.secondStep(ctx, r, user)
	}
	if user.TempPasswordExpired(now) {
		return nil, ErrTempPasswordExpired
	}
	return s.startSession(ctx, SignInRequest{Portal: r.Portal, IP: r.IP, Device: r.Device, Kind: r.Kind, DeviceToken: r.DeviceToken}, user, now, true)
}

// cloned refuses a passkey whose signature counter went backwards: two copies of its
// key may exist. It stays refused until removed; the person is told.
func (s *PasskeyService) cloned(ctx context.Context, r PasskeySignInRequest, user *User, pk *Passkey) error {
	now := s.clock.Now()
	logErr(ctx, "passkey clone", s.store.MarkPasskeyCloned(ctx, r.Portal.ID, pk.ID))
	logErr(ctx, "audit", audit(ctx, s.store, AuditEvent{PortalID: r.Portal.ID, UserID: user.ID, Type: EventPasskeyRefused, IP: r.IP, CreatedAt: now}, Notes{note("audit.passkey.cloned", "Name", pk.Name)}))
	if !pk.CloneWarning {
		logErr(ctx, "clone mail", s.enqueue(ctx, s.store, now, r.Portal.ID, passkeyEmail(ctx, userHolder(r.Portal, user), "cloned", pk.Name, 0)))
	}
	return refused(errors.New("signature counter went backwards"))
}

// secondStep opens the code step (or enrolment) after a passkey, for a role that must use
// two-step verification and whose policy does not take a passkey in its place.
func (s *PasskeyService) secondStep(ctx context.Context, r PasskeySignInRequest, user *User) error {
	ts, err := s.twoStep.enrolment(ctx, r.Portal.ID, user.ID)
	if err != nil {
		return err
	}
	purpose := ChallengeCode
	if !ts.Enrolled() {
		purpose = ChallengeEnrol
	}
	return s.twoStep.challenge(ctx, userHolder(r.Portal, user), &TwoStepChallenge{
		PortalID: r.Portal.ID, UserID: user.ID, Ident: NormalizeIdentifier(user.Username), Kind: r.Kind, Purpose: purpose,
		Device: Truncate(r.Device, 200), IP: r.IP, PasswordChangedAt: user.PasswordChangedAt,
	}, s.clock.Now())
}

// passkeyEmail tells the person a passkey was added, removed (what: "added", "removed",
// "removed_by_admin", "cloned"), in their language.
func passkeyEmail(ctx context.Context, h holder, what, name string, actorID int64) Mail {
	l := i18n.FromContext(ctx)
	if h.user != nil {
		l = linkLanguage(ctx, h.portal, h.user, actorID)
	}
	return newMail(l, h.email, l.T("passkeys.mail."+what+".subject", "Portal", h.portalName), "passkey_"+what,
		para(l.T("twostep.mail.hello", "Name", h.name)),
		para(l.T("passkeys.mail."+what+".body", "Portal", h.portalName, "Username", h.account, "Name", name)),
		para(l.T("passkeys.mail.not_you")))
}
