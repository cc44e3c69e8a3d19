// Package config is how a Watchpost deployment is set up: one nested struct, one table
// of defaults, the command-line flags with the environment variables behind them, and
// the checks that refuse a bad setup at start with a message saying what to fix.
// server.New turns it into the services' and the web app's settings.
package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// DefaultDatabase is the embedded SQLite file used when no database is named.
const DefaultDatabase = "data/watchpost.db"

// Config is a deployment's configuration.
type Config struct {
	HTTP     HTTP
	Database Database
	Mail     Mail
	Security Security
	Log      Log
	// Retention is how long expired data is kept; zero fields keep the defaults.
	Retention domain.Retention
	// Dev is the development mode (the embedded demo default, or --dev): without SMTP,
	// the development mailbox page shows every e-mail. Never on a production
	// configuration: anyone could read reset links there.
	Dev bool
	// Demo creates the demo portals and accounts if missing.
	Demo bool
}

// HTTP is where the portal answers and how it is reached.
type HTTP struct {
	Addr    string // listen address
	BaseURL string // public address for links in e-mail; default http://Addr
	// ProxyHeader and TrustedProxies: behind a reverse proxy or load balancer, the
	// header it sets to the client's address and the proxies' addresses or CIDR ranges.
	ProxyHeader    string
	TrustedProxies []string
	// MetricsAddr is a private listen address serving only GET /metrics; empty: none.
	MetricsAddr string
	// MetricsToken lets GET /metrics on the public port answer callers that send it as
	// a bearer token; empty: /metrics is not served on the public port.
	MetricsToken string
	// Drain is how long, on SIGTERM, /readyz answers 503 before the server closes.
	Drain time.Duration
}

// Database is where everything is kept.
type Database struct {
	URL string // postgres://... or a SQLite file path
}

// Mail is how e-mail leaves.
type Mail struct {
	SMTPURL string // "" keeps e-mail in the outbox (shown in the development mailbox in Dev)
	From    string
}

// Security holds the keys kept outside the database.
type Security struct {
	// TwoStepKey is 32 bytes in base64 that seal two-step secrets and waiting e-mail;
	// empty: a key generated into the database (SQLite only), which protects less.
	TwoStepKey string
}

// Log is how log lines are written.
type Log struct {
	Format string // text (key=value) or json
}

// Default is the table of defaults: what a deployment gets for each setting it leaves out.
func Default() Config {
	return Config{
		HTTP:      HTTP{Addr: "127.0.0.1:8080"},
		Database:  Database{URL: DefaultDatabase},
		Mail:      Mail{From: "Watchpost <no-reply@watchpost.local>"},
		Log:       Log{Format: "text"},
		Retention: domain.DefaultRetention(),
	}
}

// bind binds every setting to its flag on fs, each defaulting to its environment
// variable (read with getenv), and to c's value when that is unset. After parsing, call
// the function it returns: it splits the lists.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string) (parsed func()) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envDuration := func(name string, def time.Duration) time.Duration {
		if d, err := time.ParseDuration(getenv(name)); err == nil && d > 0 {
			return d
		}
		return def // unset or unreadable
	}
	h := &c.HTTP
	fs.StringVar(&h.Addr, "addr", env("WATCHPOST_ADDR", h.Addr), "listen address (env WATCHPOST_ADDR)")
	fs.StringVar(&c.Database.URL, "database", env("DATABASE_URL", c.Database.URL), "postgres:// URL or SQLite file (env DATABASE_URL)")
	fs.StringVar(&h.BaseURL, "base-url", env("WATCHPOST_BASE_URL", h.BaseURL), "public address for links in e-mail (env WATCHPOST_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.Mail.SMTPURL, "smtp", env("WATCHPOST_SMTP_URL", c.Mail.SMTPURL), "SMTP server, e.g. smtp://user:pass@host:587 (env WATCHPOST_SMTP_URL; empty: development mailbox)")
	fs.StringVar(&c.Mail.From, "mail-from", env("WATCHPOST_MAIL_FROM", c.Mail.From), "From address of e-mail (env WATCHPOST_MAIL_FROM)")
	fs.StringVar(&c.Security.TwoStepKey, "two-step-key", env("WATCHPOST_TWO_STEP_KEY", c.Security.TwoStepKey), "32 bytes, base64, that encrypt two-step secrets and waiting e-mail (env WATCHPOST_TWO_STEP_KEY; required with PostgreSQL; empty on SQLite: a key generated into the database)")
	fs.StringVar(&h.MetricsAddr, "metrics-addr", env("WATCHPOST_METRICS_ADDR", h.MetricsAddr), "private listen address for GET /metrics, e.g. 127.0.0.1:9090 (env WATCHPOST_METRICS_ADDR)")
	fs.StringVar(&h.ProxyHeader, "proxy-header", env("WATCHPOST_PROXY_HEADER", h.ProxyHeader), "behind a reverse proxy: the header it sets to the client's address, e.g. X-Real-IP (env WATCHPOST_PROXY_HEADER; needs --trusted-proxies)")
	var trusted string
	fs.StringVar(&trusted, "trusted-proxies", env("WATCHPOST_TRUSTED_PROXIES", strings.Join(h.TrustedProxies, ",")), "comma-separated addresses or CIDR ranges of the reverse proxies whose --proxy-header is believed (env WATCHPOST_TRUSTED_PROXIES)")
	fs.StringVar(&h.MetricsToken, "metrics-token", env("WATCHPOST_METRICS_TOKEN", h.MetricsToken), "bearer token that opens GET /metrics on the public address (env WATCHPOST_METRICS_TOKEN; empty: not served there)")
	fs.StringVar(&c.Log.Format, "log-format", env("WATCHPOST_LOG_FORMAT", c.Log.Format), "log lines as text (key=value) or json (env WATCHPOST_LOG_FORMAT)")
	fs.DurationVar(&h.Drain, "drain", envDuration("WATCHPOST_DRAIN", h.Drain), "on SIGTERM, answer /readyz with 503 for this long before closing, so the load balancer moves traffic away (env WATCHPOST_DRAIN)")
	r := &c.Retention
	for _, d := range []struct {
		v         *time.Duration
		flag, env string
		usage     string
	}{
		{&r.Sessions, "keep-sessions", "WATCHPOST_KEEP_SESSIONS", "keep expired sessions and app tokens this long"},
		{&r.Links, "keep-links", "WATCHPOST_KEEP_LINKS", "keep used or expired reset links this long"},
		{&r.Counters, "keep-counters", "WATCHPOST_KEEP_COUNTERS", "keep rate and failed-sign-in counters this long after their window"},
		{&r.Help, "keep-help", "WATCHPOST_KEEP_HELP", "keep help-assistant conversations this long after their last message"},
		{&r.SentMail, "keep-sent-mail", "WATCHPOST_KEEP_SENT_MAIL", "keep delivered e-mail this long"},
		{&r.Interval, "purge-every", "WATCHPOST_PURGE_EVERY", "run the purge job this often (one instance per run)"},
	} {
		fs.DurationVar(d.v, d.flag, envDuration(d.env, *d.v), d.usage+" (env "+d.env+")")
	}
	fs.BoolVar(&c.Demo, "demo", c.Demo, "create the demo portals and accounts if missing (always on for the embedded default database)")
	fs.BoolVar(&c.Dev, "dev", c.Dev || getenv("WATCHPOST_DEV") == "1", "development mode: without SMTP, the development mailbox shows every e-mail (env WATCHPOST_DEV=1; always on for the embedded default database)")
	return func() { h.TrustedProxies = splitList(trusted) }
}

// Load reads the configuration of the command cmd ("serve", "migrate", ...) from args
// and the environment, over the defaults; extra, if any, adds the command's own flags.
// It fills what follows from other settings and checks the result.
func Load(cmd string, args []string, getenv func(string) string, extra func(*flag.FlagSet)) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("watchpost "+cmd, flag.ContinueOnError)
	if extra != nil {
		extra(fs)
	}
	parsed := c.bind(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	parsed()
	if c.HTTP.BaseURL == "" {
		c.HTTP.BaseURL = "http://" + c.HTTP.Addr
	}
	// Demo data, and the development mailbox, come only with the embedded default
	// database unless asked for: a production configuration never shows e-mail on a page.
	embedded := cmd == "serve" && getenv("DATABASE_URL") == "" && c.Database.URL == DefaultDatabase
	c.Demo = c.Demo || embedded
	c.Dev = c.Dev || embedded
	return c, c.Validate()
}

// Validate refuses a configuration the portal cannot run safely with, naming the flag
// (and so the environment variable) to fix.
func (c Config) Validate() error {
	var errs []error
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("--log-format must be text or json, not %q", c.Log.Format))
	}
	if c.Database.URL == "" {
		errs = append(errs, errors.New("--database is empty: give a postgres:// URL or a SQLite file"))
	}
	if u, err := url.Parse(c.HTTP.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, fmt.Errorf("--base-url must be an absolute http:// or https:// address such as https://portal.example.com, not %q", c.HTTP.BaseURL))
	}
	if c.HTTP.ProxyHeader != "" && len(c.HTTP.TrustedProxies) == 0 {
		errs = append(errs, fmt.Errorf("a proxy header (%s) needs the trusted proxies' addresses (--trusted-proxies), or any client could claim any address", c.HTTP.ProxyHeader))
	}
	for _, p := range c.HTTP.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				errs = append(errs, fmt.Errorf("--trusted-proxies: %q is neither an address nor a CIDR range", p))
			}
		}
	}
	if c.HTTP.Drain < 0 {
		errs = append(errs, fmt.Errorf("--drain must not be negative, not %s", c.HTTP.Drain))
	}
	if c.Mail.SMTPURL != "" && strings.TrimSpace(c.Mail.From) == "" {
		errs = append(errs, errors.New("--mail-from is empty: e-mail sent over SMTP needs a From address"))
	}
	if c.Security.TwoStepKey != "" {
		if _, err := DecodeKey(c.Security.TwoStepKey); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ErrKeyFormat is the answer for a two-step key that is not 32 bytes in base64.
var ErrKeyFormat = errors.New("the two-step key (--two-step-key) must be 32 bytes in base64 (e.g. openssl rand -base64 32)")

// DecodeKey reads a 32-byte key written in standard or URL-safe base64.
func DecodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawURLEncoding.DecodeString(s)
	}
	if err != nil || len(key) != 32 {
		return nil, ErrKeyFormat
	}
	return key, nil
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
