package domain

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/watchpost/watchpost/i18n"
)

// Config holds the settings the services need from the deployment.
type Config struct {
	// BaseURL is the public address links in e-mails are built from (never the Host header).
	BaseURL string
	// SessionIdle and SessionAbsolute bound a vendor support session. Portal sessions
	// and app tokens follow their portal's policy (Policy.SessionLifetimes).
	SessionIdle, SessionAbsolute time.Duration
	// ResetPerIdentifier e-mails per ResetWindow for one identifier, ResetPerClient
	// requests per ResetWindow from one client address.
	ResetPerIdentifier, ResetPerClient int
	ResetWindow                        time.Duration
	// ResetPerIdentifierGlobal e-mails per ResetWindow for one identifier from all
	// addresses together: the per-identifier limit is per requesting address, so a
	// stranger cannot use up the owner's allowance, and this higher ceiling still bounds
	// the mail one account receives.
	ResetPerIdentifierGlobal int
	// ResetTrickle: past that ceiling, one e-mail per identifier still goes this often.
	ResetTrickle time.Duration
	// ResponseFloor is the least time a forgot-password request takes. Above it, every
	// answer is padded to the measured time of a known account's request, so that the
	// answer for a known account takes as long as for an unknown one.
	ResponseFloor time.Duration
	// SprayPerAddress failed sign-ins per SprayWindow from one client address, across
	// every account, before that address is refused for the rest of the window
	// (password spraying); 0 turns it off.
	SprayPerAddress int
	SprayWindow     time.Duration
	// HashPerAddress and HashPerSource bound how many password checks one client
	// address, and one signed-in session re-entering its password, may have running or
	// waiting for the pool at once; the excess is refused at once (503), so nobody takes
	// more than a share. (Per identifier, the lockout already allows only a few.)
	HashPerAddress, HashPerSource int
	// TwoStepKey (32 bytes) seals the two-step secrets with AES-GCM.
	TwoStepKey []byte
	// Metrics is told what the services do; nil counts nothing.
	Metrics Metrics
	// Mail writes the HTML body of e-mails (views/emails); nil sends plain text only.
	Mail MailRenderer
	// Retention is how long the purge job keeps expired data.
	Retention Retention
}

// DefaultConfig holds sensible production settings.
func DefaultConfig(baseURL string) Config {
	return Config{
		BaseURL:            strings.TrimRight(baseURL, "/"),
		SessionIdle:        30 * time.Minute,
		SessionAbsolute:    12 * time.Hour,
		ResetPerIdentifier: 3,
		ResetPerClient:     30,
		ResetWindow:        15 * time.Minute,
		ResponseFloor:      250 * time.Millisecond,
		Retention:          DefaultRetention(),

		ResetPerIdentifierGlobal: 10,
		ResetTrickle:             5 * time.Minute,
		SprayPerAddress:          50,
		SprayWindow:              15 * time.Minute,
		HashPerAddress:           4,
		HashPerSource:            2,
	}
}

// Services is the application's business logic, grouped by concern.
type Services struct {
	Auth      *AuthService
	Reset     *ResetService
	Passwords *PasswordService
	Portals   *PortalService
	Admin     *AdminService
	Settings  *SettingsService
	Support   *SupportService
	Help      *HelpService
	TwoStep   *TwoStepService
	Passkeys  *PasskeyService
	Mailbox   *MailboxService
	Retention *RetentionService
	Notices   *NoticeService
	Recovery  *RecoveryService
}

// env is what every service shares.
type env struct {
	store     Store
	hasher    Hasher
	clock     Clock
	cfg       Config
	lockout   *Lockout
	admission *Admission

	dummyMu sync.Mutex
	dummy   string // a hash of nothing anyone knows, for accounts that do not exist
	metrics Metrics
}

// NewServices wires the services over one store, hasher and clock.
func NewServices(s Store, h Hasher, c Clock, cfg Config) *Services {
	e := &env{store: s, hasher: h, clock: c, cfg: cfg, metrics: cfg.Metrics}
	if e.metrics == nil {
		e.metrics = NopMetrics{}
	}
	e.lockout, e.admission = &Lockout{e}, newAdmission()
	pw := &PasswordService{e}
	twoStep := newTwoStepService(e)
	auth := &AuthService{env: e, passwords: pw, twoStep: twoStep}
	reset := &ResetService{env: e, passwords: pw}
	portals := &PortalService{env: e, twoStep: auth.twoStep}
	return &Services{
		Auth:      auth,
		Reset:     reset,
		Passwords: pw,
		Portals:   portals,
		Admin:     &AdminService{env: e, reset: reset, passwords: pw, auth: auth},
		Settings:  &SettingsService{env: e, portals: portals},
		Support:   &SupportService{env: e, twoStep: auth.twoStep},
		Help:      NewHelpService(s, c),
		TwoStep:   auth.twoStep,
		Passkeys:  newPasskeyService(e, twoStep),
		Mailbox:   &MailboxService{e},
		Retention: &RetentionService{env: e, store: s},
		Notices:   &NoticeService{env: e, reset: reset},
		Recovery:  &RecoveryService{env: e, passwords: pw, twoStep: auth.twoStep},
	}
}

// Ready tells whether the database answers, for readiness checks.
func (s *Services) Ready(ctx context.Context) error { return s.Auth.store.Ping(ctx) }

// MailBacklog counts the e-mails waiting in the outbox, for readiness details.
func (s *Services) MailBacklog(ctx context.Context) (int, error) {
	counts, err := s.Auth.store.OutboxCounts(ctx)
	return counts[OutboxPending] + counts[OutboxSending], err
}

// Clock returns the clock the services use, for views that show remaining time.
func (s *Services) Clock() Clock { return s.Auth.clock }

// Admission is the fair entry to password checking the services share.
func (s *Services) Admission() *Admission { return s.Auth.admission }

// admit lets one password check in for the client address ip (its AddressGroup) and,
// when not "", the signed-in session source (see Admission); release when the check is
// over.
func (e *env) admit(ip, source string) (release func(), err error) {
	addr := ""
	if ip != "" {
		addr = "addr:" + AddressGroup(ip)
	}
	return e.admission.enter(admissionKey{addr, e.cfg.HashPerAddress}, admissionKey{source, e.cfg.HashPerSource})
}

// verifyFor checks password against the hash of the account, or, when there is no usable
// one (no such account, or no password set yet), against a dummy hash: every identifier
// takes the same path through the hash pool, with the same queue, cost and busy answer,
// so timing tells nothing about accounts.
func (e *env) verifyFor(ctx context.Context, hash, password string) (ok, rehash bool, err error) {
	real := hash != ""
	if !real {
		if hash, err = e.dummyHash(); err != nil {
			return false, false, err
		}
	}
	ok, rehash, err = e.hasher.Verify(ctx, password, hash)
	return ok && real, rehash && real, err
}

// dummyHash is made once, with the hasher's current parameters, so that checking it
// costs what checking a real account's hash costs.
func (e *env) dummyHash() (string, error) {
	e.dummyMu.Lock()
	defer e.dummyMu.Unlock()
	if e.dummy == "" {
		h, err := e.hasher.Hash(context.Background(), GeneratePassword())
		if err != nil {
			return "", err
		}
		e.dummy = h
	}
	return e.dummy, nil
}

// audit records e with its detail, in English and as notes (the device, if any, kept
// short and valid UTF-8); a failure to audit is logged, not fatal to the user's action,
// except inside a transaction where the caller decides.
func audit(ctx context.Context, st Store, e AuditEvent, detail Notes) error {
	e.Detail, e.Notes = detail.In(i18n.Default), detail.encode()
	e.Device = Truncate(strings.ToValidUTF8(e.Device, ""), 200)
	return st.Audit(ctx, &e)
}

// enqueue writes a mail to the outbox, inside st, with its bodies rendered.
func (e *env) enqueue(ctx context.Context, st Store, now time.Time, portalID int64, mail Mail) error {
	m, err := mail.Email(ctx, e.cfg.Mail)
	if err != nil {
		return err
	}
	return st.Enqueue(ctx, &OutboxMessage{
		PortalID: portalID, ToAddr: m.To, Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML,
		Category: m.Category, Status: OutboxPending, NextAttempt: now, CreatedAt: now,
	})
}

func logInfo(ctx context.Context, msg string, args ...any) { slog.InfoContext(ctx, msg, args...) }

func logErr(ctx context.Context, msg string, err error) {
	if err != nil {
		slog.ErrorContext(ctx, msg, "err", err)
	}
}

// link builds an absolute URL on the public base address.
func (e *env) link(path string) string { return AbsoluteURL(e.cfg.BaseURL, path) }
