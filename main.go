// Command watchpost runs the Watchpost portal: sign-in and password help for the
// employees of many companies on one deployment.
//
//	watchpost [serve] [flags]   start the web portal (default)
//	watchpost migrate           apply database migrations and exit
//	watchpost demo              create the demo portals and accounts and exit
//	watchpost portal create --code CODE --name NAME --admin-email EMAIL
//	                            create a portal and print its first administrator's
//	                            one-time set-password link
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server"
	"github.com/watchpost/watchpost/store"
)

const defaultDatabase = "data/watchpost.db"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "watchpost:", err)
		os.Exit(1)
	}
}

// options are the command-line flags; each falls back to an environment variable.
type options struct {
	addr, database, baseURL, smtpURL, mailFrom string
	twoStepKey                                 string
	metricsAddr, metricsToken, logFormat       string
	drainFor                                   time.Duration
	proxyHeader, trustedProxies                string
	demo, dev                                  bool
	retention                                  domain.Retention
}

// parse reads the common flags, and any that extra adds for one command.
func parse(cmd string, args []string, extra func(*flag.FlagSet)) (options, error) {
	var o options
	fs := flag.NewFlagSet("watchpost "+cmd, flag.ContinueOnError)
	if extra != nil {
		extra(fs)
	}
	fs.StringVar(&o.addr, "addr", env("WATCHPOST_ADDR", "127.0.0.1:8080"), "listen address (env WATCHPOST_ADDR)")
	fs.StringVar(&o.database, "database", env("DATABASE_URL", defaultDatabase), "postgres:// URL or SQLite file (env DATABASE_URL)")
	fs.StringVar(&o.baseURL, "base-url", env("WATCHPOST_BASE_URL", ""), "public address for links in e-mail (env WATCHPOST_BASE_URL; default http://ADDR)")
	fs.StringVar(&o.smtpURL, "smtp", env("WATCHPOST_SMTP_URL", ""), "SMTP server, e.g. smtp://user:pass@host:587 (env WATCHPOST_SMTP_URL; empty: development mailbox)")
	fs.StringVar(&o.mailFrom, "mail-from", env("WATCHPOST_MAIL_FROM", "Watchpost <no-reply@watchpost.local>"), "From address of e-mail (env WATCHPOST_MAIL_FROM)")
	fs.StringVar(&o.twoStepKey, "two-step-key", env("WATCHPOST_TWO_STEP_KEY", ""), "32 bytes, base64, that encrypt two-step secrets and waiting e-mail (env WATCHPOST_TWO_STEP_KEY; required with PostgreSQL; empty on SQLite: a key generated into the database)")
	fs.StringVar(&o.metricsAddr, "metrics-addr", env("WATCHPOST_METRICS_ADDR", ""), "private listen address for GET /metrics, e.g. 127.0.0.1:9090 (env WATCHPOST_METRICS_ADDR)")
	fs.StringVar(&o.proxyHeader, "proxy-header", env("WATCHPOST_PROXY_HEADER", ""), "behind a reverse proxy: the header it sets to the client's address, e.g. X-Real-IP (env WATCHPOST_PROXY_HEADER; needs --trusted-proxies)")
	fs.StringVar(&o.trustedProxies, "trusted-proxies", env("WATCHPOST_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of the reverse proxies whose --proxy-header is believed (env WATCHPOST_TRUSTED_PROXIES)")
	fs.StringVar(&o.metricsToken, "metrics-token", env("WATCHPOST_METRICS_TOKEN", ""), "bearer token that opens GET /metrics on the public address (env WATCHPOST_METRICS_TOKEN; empty: not served there)")
	fs.StringVar(&o.logFormat, "log-format", env("WATCHPOST_LOG_FORMAT", "text"), "log lines as text (key=value) or json (env WATCHPOST_LOG_FORMAT)")
	fs.DurationVar(&o.drainFor, "drain", envDuration("WATCHPOST_DRAIN", 0), "on SIGTERM, answer /readyz with 503 for this long before closing, so the load balancer moves traffic away (env WATCHPOST_DRAIN)")
	def := domain.DefaultRetention()
	for _, d := range []struct {
		v         *time.Duration
		flag, env string
		def       time.Duration
		usage     string
	}{
		{&o.retention.Sessions, "keep-sessions", "WATCHPOST_KEEP_SESSIONS", def.Sessions, "keep expired sessions and app tokens this long"},
		{&o.retention.Links, "keep-links", "WATCHPOST_KEEP_LINKS", def.Links, "keep used or expired reset links this long"},
		{&o.retention.Counters, "keep-counters", "WATCHPOST_KEEP_COUNTERS", def.Counters, "keep rate and failed-sign-in counters this long after their window"},
		{&o.retention.Help, "keep-help", "WATCHPOST_KEEP_HELP", def.Help, "keep help-assistant conversations this long after their last message"},
		{&o.retention.SentMail, "keep-sent-mail", "WATCHPOST_KEEP_SENT_MAIL", def.SentMail, "keep delivered e-mail this long"},
		{&o.retention.Interval, "purge-every", "WATCHPOST_PURGE_EVERY", def.Interval, "run the purge job this often (one instance per run)"},
	} {
		fs.DurationVar(d.v, d.flag, envDuration(d.env, d.def), d.usage+" (env "+d.env+")")
	}
	fs.BoolVar(&o.demo, "demo", false, "create the demo portals and accounts if missing (always on for the embedded default database)")
	fs.BoolVar(&o.dev, "dev", env("WATCHPOST_DEV", "") == "1", "development mode: without SMTP, the development mailbox shows every e-mail (env WATCHPOST_DEV=1; always on for the embedded default database)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return o, fmt.Errorf("--log-format must be text or json")
	}
	if o.baseURL == "" {
		o.baseURL = "http://" + o.addr
	}
	// Demo data, and the development mailbox, come only with the embedded default
	// database unless asked for: a production configuration never shows e-mail on a page.
	embedded := !store.IsPostgres(o.database) && cmd == "serve" && os.Getenv("DATABASE_URL") == "" && o.database == defaultDatabase
	o.demo = o.demo || embedded
	o.dev = o.dev || embedded
	return o, nil
}

// envDuration reads a duration such as 36h from the environment; a bad value keeps def.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

// splitList reads a comma-separated list, ignoring blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "portal" {
		if len(args) == 0 || args[0] != "create" {
			return fmt.Errorf("usage: watchpost portal create --code CODE --name NAME --admin-email EMAIL")
		}
		return createPortal(args[1:])
	}
	o, err := parse(cmd, args, nil)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(o)
	case "migrate":
		s, err := open(o, false)
		if err != nil {
			return err
		}
		fmt.Println("migrations applied")
		return s.DB.Close()
	case "demo":
		s, err := open(o, true)
		if err != nil {
			return err
		}
		fmt.Println(demoBanner(s.Seeded))
		return s.DB.Close()
	}
	return fmt.Errorf("unknown command %q (try serve, migrate, demo)", cmd)
}

// createPortal is `watchpost portal create`.
func createPortal(args []string) error {
	var code, name, email string
	o, err := parse("portal create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&code, "code", "", "portal code, part of every URL (e.g. initech)")
		fs.StringVar(&name, "name", "", "company name shown on the portal")
		fs.StringVar(&email, "admin-email", "", "e-mail of the first administrator")
	})
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	s, err := open(o, false)
	if err != nil {
		return err
	}
	defer s.DB.Close()
	link, err := s.Services.Portals.CreateWithAdmin(context.Background(), s.Services.Reset, code, name, email)
	var v *domain.ValidationError
	if errors.As(err, &v) {
		var msgs []string
		for field, msg := range v.Text(i18n.English) { // the command line speaks English
			msgs = append(msgs, "--"+strings.ReplaceAll(field, "_", "-")+": "+msg)
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	if err != nil {
		return err
	}
	fmt.Printf("Portal %q created. Its administrator sets a password at this one-time link:\n%s\n", code, link)
	return nil
}

func open(o options, demo bool) (*server.Server, error) {
	return server.New(context.Background(), server.Config{
		DatabaseURL: o.database, BaseURL: o.baseURL, SMTPURL: o.smtpURL, MailFrom: o.mailFrom, SeedDemo: demo, Dev: o.dev,
		TwoStepKey:   o.twoStepKey,
		MetricsToken: o.metricsToken, Retention: o.retention,
		ProxyHeader: o.proxyHeader, TrustedProxies: splitList(o.trustedProxies),
	})
}

func serve(o options) error {
	server.SetMemoryLimit()
	setLogger(o.logFormat)
	s, err := open(o, o.demo)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		s.DB.Close()
		return err
	}
	if o.metricsAddr != "" {
		mln, err := net.Listen("tcp", o.metricsAddr)
		if err != nil {
			ln.Close()
			s.DB.Close()
			return fmt.Errorf("metrics address: %w", err)
		}
		go func() {
			if err := s.ServeMetrics(mln); err != nil {
				slog.Error("metrics listener", "err", err)
			}
		}()
		fmt.Printf("Metrics at http://%s/metrics\n", mln.Addr())
	}
	s.StartWorker()
	fmt.Printf("Watchpost is running at %s\n", o.baseURL)
	if o.demo {
		fmt.Println(demoBanner(s.Seeded))
	}
	switch {
	case o.smtpURL == "" && o.dev:
		fmt.Printf("Development mode, no SMTP configured: e-mail goes to %s/dev/mailbox\n", o.baseURL)
	case o.smtpURL == "":
		slog.Warn("NO SMTP SERVER CONFIGURED: e-mail (reset links, lockout notices) is NOT SENT; it is kept in the outbox and sent once Watchpost runs with --smtp (see /readyz)")
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() {
		<-stop
		if o.drainFor > 0 {
			slog.Info("draining", "for", o.drainFor)
			s.Drain()
			time.Sleep(o.drainFor)
		}
		slog.Info("shutting down")
		done <- s.Shutdown(20 * time.Second)
	}()
	if err := s.Serve(ln); err != nil {
		return err
	}
	return <-done
}

// setLogger writes structured log lines (one per request, among others) to standard error.
func setLogger(format string) {
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if format == "json" {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	slog.SetDefault(slog.New(h))
}

func demoBanner(created bool) string {
	var b strings.Builder
	if created {
		b.WriteString("Demo data created. ")
	}
	b.WriteString("Demo accounts (password " + domain.DemoPassword + "):\n")
	for _, line := range domain.DemoAccounts() {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("  support console: sam.support (vendor support)")
	return b.String()
}
