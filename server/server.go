// Package server wires Watchpost together: database, services, mail worker and web app.
// main.go and the end-to-end tests both start the product through it.
package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/watchpost/watchpost/bot"
	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/handlers"
	"github.com/watchpost/watchpost/mail"
	"github.com/watchpost/watchpost/metrics"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/views/emails"
	"github.com/watchpost/watchpost/views/pages"
)

// Config is a deployment's configuration (flags and environment, see package config)
// with what a process sets in code: tests and tools choose the clock, the hash's cost,
// the request log and the services' tuning.
type Config struct {
	config.Config
	Clock       domain.Clock
	Argon2      passwordhash.Params
	HashWorkers int // 0: one per CPU core
	// RequestLog gets one line per request; nil: slog's default logger.
	RequestLog *slog.Logger
	// Services adjusts the services' settings after they are derived (tests, tools).
	Services func(*domain.Config)
}

// Server is a running Watchpost: the Fiber app plus its background mail worker.
type Server struct {
	App      *fiber.App
	DB       *bun.DB
	Store    *store.Store
	Services *domain.Services
	Hasher   *passwordhash.Pool
	Worker   *mail.Worker
	Metrics  *metrics.Prometheus
	Seeded   bool

	metricsSrv *http.Server
	draining   atomic.Bool

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New opens the database, applies migrations, seeds demo data when asked, and builds the app.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = domain.SystemClock{}
	}
	if cfg.Argon2 == (passwordhash.Params{}) {
		cfg.Argon2 = passwordhash.Default
	}
	db, err := store.Open(cfg.Database.URL)
	if err != nil {
		return nil, err
	}
	// database/sql keeps 2 idle connections unless told otherwise: with more requests
	// than that in flight, every query beyond them opened a new connection and closed it
	// after (a new PostgreSQL backend, or a new SQLite handle parsing the schema), about
	// half a core under sign-in load on PostgreSQL. Keep as many as may be open, and let
	// those unused for a while go.
	db.SetMaxIdleConns(db.Stats().MaxOpenConnections)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := store.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	st := store.New(db)
	sealKey, err := twoStepKey(ctx, st, cfg.Security.TwoStepKey)
	if err != nil {
		db.Close()
		return nil, err
	}
	st.SealOutbox(domain.NewBodySealer(sealKey))
	secret, err := st.Secret(ctx, "csrf", randomSecret)
	if err != nil {
		db.Close()
		return nil, err
	}
	csrfKey, _ := base64.RawURLEncoding.DecodeString(secret)
	scfg, hcfg := settings(cfg, sealKey, csrfKey)
	m := metrics.New()
	scfg.Metrics, scfg.Mail = m, emails.Renderer{}
	hasher := passwordhash.NewPool(cfg.Argon2, cfg.HashWorkers, 2*time.Second)
	hasher.SetMetrics(m)
	m.WatchHashQueue(hasher.Queued)
	m.WatchOutbox(st)
	svc := domain.NewServices(st, hasher, cfg.Clock, scfg)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	s := &Server{DB: db, Store: st, Services: svc, Hasher: hasher, Metrics: m,
		metricsSrv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	if cfg.Demo {
		if s.Seeded, err = svc.Portals.SeedDemo(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("seed demo data: %w", err)
		}
	}
	if cfg.Mail.SMTPURL != "" {
		sender, err := mail.NewSMTPSender(cfg.Mail.SMTPURL, cfg.Mail.From)
		if err != nil {
			db.Close()
			return nil, err
		}
		s.Worker = mail.NewWorker(st, sender, cfg.Clock)
		s.Worker.Metrics = m
	}
	assistant, err := bot.Load() // the models trained ahead of time (go generate ./bot)
	if err != nil {
		db.Close()
		return nil, err
	}
	hcfg.Observer, hcfg.Metrics, hcfg.Draining = m, m.Handler(), s.draining.Load
	s.App = handlers.New(handlers.Deps{Services: svc, Hasher: hasher, Bot: bot.NewService(assistant, svc.Help, pages.HelpArticlePath), Config: hcfg})
	// Answers given while shutting down say "Connection: close", so a keep-alive client
	// does not send its next request on a connection about to close.
	s.App.Server().CloseOnShutdown = true
	return s, nil
}

// settings is the one place the deployment's configuration becomes the services' and
// the web app's settings; the services' own numbers come from domain.DefaultConfig.
func settings(cfg Config, twoStepKey, csrfKey []byte) (domain.Config, handlers.Config) {
	d := domain.DefaultConfig(cfg.HTTP.BaseURL)
	d.TwoStepKey = twoStepKey
	d.Retention = withDefaults(cfg.Retention, d.Retention)
	if cfg.Services != nil {
		cfg.Services(&d)
	}
	noSMTP := cfg.Mail.SMTPURL == ""
	return d, handlers.Config{
		BaseURL: d.BaseURL, DevMailbox: cfg.Dev && noSMTP, Simulator: cfg.Dev || cfg.Demo, MailHeld: noSMTP, CSRFSecret: csrfKey,
		MetricsToken: cfg.HTTP.MetricsToken, RequestLog: cfg.RequestLog,
		ProxyHeader: cfg.HTTP.ProxyHeader, TrustedProxies: cfg.HTTP.TrustedProxies,
	}
}

// ErrNoTwoStepKey refuses PostgreSQL without a configured key: a key generated into the
// database would sit beside the secrets, reset links and sessions it protects.
var ErrNoTwoStepKey = errors.New("PostgreSQL needs --two-step-key (or WATCHPOST_TWO_STEP_KEY): 32 bytes in base64, e.g. from `openssl rand -base64 32`, kept outside the database; " +
	"it seals two-step secrets and the e-mails waiting in the outbox. Every instance needs the same key")

// twoStepKey decodes the configured two-step key, or takes the one generated into the
// database when none is configured.
func twoStepKey(ctx context.Context, st *store.Store, configured string) ([]byte, error) {
	if configured == "" {
		if st.DB().Dialect().Name().String() == "pg" {
			return nil, ErrNoTwoStepKey
		}
		var err error
		if configured, err = st.Secret(ctx, "two_step", randomSecret); err != nil {
			return nil, err
		}
	}
	return config.DecodeKey(configured)
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// withDefaults fills the zero fields of r from def.
func withDefaults(r, def domain.Retention) domain.Retention {
	for _, f := range []struct{ v, d *time.Duration }{
		{&r.Sessions, &def.Sessions}, {&r.Links, &def.Links}, {&r.Counters, &def.Counters},
		{&r.Help, &def.Help}, {&r.SentMail, &def.SentMail}, {&r.Devices, &def.Devices}, {&r.Interval, &def.Interval},
	} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	return r
}

// StartWorker runs the outbox worker and the purge job in the background until Shutdown.
// Without SMTP there is no worker: e-mail waits in the outbox (for the development
// mailbox in development mode, or until the server is started with SMTP).
func (s *Server) StartWorker() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	if s.Worker != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.Worker.Run(ctx)
		}()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.Services.Retention.Run(ctx, instanceID())
	}()
}

// instanceID names this process among the instances sharing the database.
func instanceID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), randomSecret()[:8])
}

// Serve answers HTTP on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.App.Listener(ln) }

// ServeMetrics answers GET /metrics, and nothing else, on ln (a private address) until
// Shutdown.
func (s *Server) ServeMetrics(ln net.Listener) error {
	err := s.metricsSrv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Drain makes /readyz answer 503 from now on, so load balancers stop sending requests
// to this instance before it shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

// Shutdown lets in-flight requests finish (up to timeout), stops the mail worker after
// the message in hand, and closes the database.
func (s *Server) Shutdown(timeout time.Duration) error {
	err := s.App.ShutdownWithTimeout(timeout)
	_ = s.metricsSrv.Close()
	if s.stop != nil {
		s.stop()
	}
	s.wg.Wait()
	if cerr := s.DB.Close(); err == nil {
		err = cerr
	}
	return err
}

// SetMemoryLimit gives the Go runtime a soft memory limit unless GOMEMLIMIT sets one:
// 58 MiB for the rest of the server plus, for each slot of the hash pool (one per core),
// the argon2id block memory that slot keeps (19 MiB in production), i.e. 96 MiB on two
// cores. Without a limit the heap would grow to twice what is live before collecting;
// a fixed limit below what the pool's slots hold on a larger machine would make the
// collector run without pause.
func SetMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(58<<20 + int64(runtime.NumCPU())*int64(passwordhash.Default.MemoryKiB)<<10)
	}
}
