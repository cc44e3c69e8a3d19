package domain

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Config holds the settings the services need from the deployment.
type Config struct {
	// BaseURL is the public address links in e-mails are built from (never the Host header).
	BaseURL string
	// SessionIdle and SessionAbsolute bound a browser session; MobileIdle and
	// MobileAbsolute bound a mobile-app token.
	SessionIdle, SessionAbsolute time.Duration
	MobileIdle, MobileAbsolute   time.Duration
	// ResetPerIdentifier e-mails per ResetWindow for one identifier, ResetPerClient
	// requests per ResetWindow from one client address.
	ResetPerIdentifier, ResetPerClient int
	ResetWindow                        time.Duration
	// ResponseFloor is the least time a forgot-password request takes. Above it, every
	// answer is padded to the measured time of a known account's request, so that the
	// answer for a known account takes as long as for an unknown one.
	ResponseFloor time.Duration
	// TwoStepKey (32 bytes) seals the two-step secrets with AES-GCM.
	TwoStepKey []byte
	// Metrics is told what the services do; nil counts nothing.
	Metrics Metrics
	// Retention is how long the purge job keeps expired data.
	Retention Retention
}

// DefaultConfig holds sensible production settings.
func DefaultConfig(baseURL string) Config {
	return Config{
		BaseURL:            strings.TrimRight(baseURL, "/"),
		SessionIdle:        2 * time.Hour,
		SessionAbsolute:    12 * time.Hour,
		MobileIdle:         14 * 24 * time.Hour,
		MobileAbsolute:     90 * 24 * time.Hour,
		ResetPerIdentifier: 3,
		ResetPerClient:     30,
		ResetWindow:        15 * time.Minute,
		ResponseFloor:      250 * time.Millisecond,
		Retention:          DefaultRetention(),
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
	Mailbox   *MailboxService
	Retention *RetentionService
}

// env is what every service shares.
type env struct {
	store   Store
	hasher  Hasher
	clock   Clock
	cfg     Config
	metrics Metrics
}

// NewServices wires the services over one store, hasher and clock.
func NewServices(s Store, h Hasher, c Clock, cfg Config) *Services {
	e := &env{store: s, hasher: h, clock: c, cfg: cfg, metrics: cfg.Metrics}
	if e.metrics == nil {
		e.metrics = NopMetrics{}
	}
	pw := &PasswordService{e}
	auth := &AuthService{env: e, passwords: pw}
	auth.twoStep = newTwoStepService(e, auth)
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
		Mailbox:   &MailboxService{e},
		Retention: &RetentionService{env: e, store: s},
	}
}

// Ready tells whether the database answers, for readiness checks.
func (s *Services) Ready(ctx context.Context) error { return s.Auth.store.Ping(ctx) }

// Clock returns the clock the services use, for views that show remaining time.
func (s *Services) Clock() Clock { return s.Auth.clock }

// audit records an event; a failure to audit is logged, not fatal to the user's action,
// except inside a transaction where the caller decides.
func audit(ctx context.Context, st Store, now time.Time, portalID, userID, actorID int64, typ, detail, ip string) error {
	return st.Audit(ctx, &AuditEvent{
		PortalID: portalID, UserID: userID, ActorID: actorID,
		Type: typ, Detail: detail, IP: ip, CreatedAt: now,
	})
}

// enqueue writes an e-mail to the outbox.
func enqueue(ctx context.Context, st Store, now time.Time, portalID int64, m Email) error {
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
