// Package servertest starts a real Watchpost (database, services, Fiber app) for tests,
// with a manual clock and cheap password hashing, seeded with the demo data.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/valyala/fasthttp"

	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/server"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestArgon2 keeps the real algorithm with small costs so the suite stays fast; the
// benchmarks use the production parameters.
var TestArgon2 = passwordhash.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

// TestTwoStepKey is the fixtures' two-step key (32 bytes in base64), kept outside the
// database as production keeps its own.
const TestTwoStepKey = "dGVzdC10d28tc3RlcC1rZXktMzItYnl0ZXMtbG9uZyE="

// Options change the fixture.
type Options struct {
	DatabaseURL string // default: a fresh SQLite file
	SMTPURL     string // default: none (e-mail stays in the outbox)
	Production  bool   // not development mode: no development mailbox
	NoDemo      bool   // no demo data (nor demo mode): a production deployment
	// ProxyHeader and TrustedProxies: as behind a reverse proxy (see server.Config).
	ProxyHeader    string
	TrustedProxies []string
	Argon2         passwordhash.Params // default: TestArgon2
	Services       func(*domain.Config)
	// MetricsToken serves /metrics on the public port to callers holding it.
	MetricsToken string
	// RequestLog gets the line per request; default: formatted and discarded, so test
	// output stays readable and benchmarks still pay for the line.
	RequestLog *slog.Logger
	// TwoStepKey: default a fixed test key (PostgreSQL refuses to start without one).
	TwoStepKey string
	// Localhost serves the base URL as http://localhost:PORT rather than 127.0.0.1: an IP
	// address cannot be a WebAuthn relying party, so passkeys need it.
	Localhost bool
	// Arrived, when set, runs in every request once the server has read it, before the
	// app handles it; it may block, to hold a request in flight.
	Arrived func(method, path string)
}

// Fixture is a running Watchpost for one test.
type Fixture struct {
	*server.Server
	Clock *domain.ManualClock
	URL   string // base URL once Listen was called
	// ShuttingDown is closed when Shutdown closes the listener (new connections are
	// refused from then on; requests in flight are still being answered).
	ShuttingDown <-chan struct{}
}

// New builds a seeded Watchpost; it is shut down after the test.
func New(t testing.TB, o Options) *Fixture {
	t.Helper()
	if o.DatabaseURL == "" {
		o.DatabaseURL = storetest.MigratedSQLiteURL(t)
	}
	if o.TwoStepKey == "" {
		o.TwoStepKey = TestTwoStepKey
	}
	if o.Argon2 == (passwordhash.Params{}) {
		o.Argon2 = TestArgon2
	}
	if o.RequestLog == nil {
		o.RequestLog = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	clock := domain.NewManualClock(time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	if o.Localhost {
		base = "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	c := config.Default()
	c.Database.URL, c.HTTP.BaseURL, c.Security.TwoStepKey, c.Mail.SMTPURL = o.DatabaseURL, base, o.TwoStepKey, o.SMTPURL
	c.Demo, c.Dev = !o.NoDemo, !o.Production
	c.HTTP.MetricsToken, c.HTTP.ProxyHeader, c.HTTP.TrustedProxies = o.MetricsToken, o.ProxyHeader, o.TrustedProxies
	s, err := server.New(context.Background(), server.Config{
		Config: c, Clock: clock, Argon2: o.Argon2, RequestLog: o.RequestLog,
		Services: func(c *domain.Config) {
			c.ResponseFloor = 20 * time.Millisecond
			if o.Services != nil {
				o.Services(c)
			}
		},
	})
	if err != nil {
		ln.Close()
		t.Fatalf("start watchpost: %v", err)
	}
	if o.Arrived != nil {
		srv := s.App.Server()
		inner := srv.Handler
		srv.Handler = func(c *fasthttp.RequestCtx) {
			o.Arrived(string(c.Method()), string(c.Path()))
			inner(c)
		}
	}
	sl := &signalListener{Listener: ln, closed: make(chan struct{})}
	f := &Fixture{Server: s, Clock: clock, URL: base, ShuttingDown: sl.closed}
	go func() { _ = s.Serve(sl) }()
	t.Cleanup(func() { _ = s.Shutdown(5 * time.Second) })
	return f
}

// signalListener closes its channel when the server closes it on shutdown.
type signalListener struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *signalListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// Portal returns a demo portal by code.
func (f *Fixture) Portal(t testing.TB, code string) *domain.Portal {
	t.Helper()
	p, err := f.Store.PortalByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("portal %s: %v", code, err)
	}
	return p
}

// User returns a demo user by portal code and username.
func (f *Fixture) User(t testing.TB, portal, username string) *domain.User {
	t.Helper()
	u, err := f.Store.UserByIdentifier(context.Background(), f.Portal(t, portal).ID, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// BenchUsers adds n employees to acme and returns their usernames (see AddLoadUsers).
func (f *Fixture) BenchUsers(t testing.TB, n int) []string {
	t.Helper()
	names, err := f.AddLoadUsers(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// Mail returns the outbox, newest first.
func (f *Fixture) Mail(t testing.TB) []domain.OutboxMessage {
	t.Helper()
	m, err := f.Store.Outbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Client is an HTTP client that does not follow redirects, for checking them.
func Client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
}

// EnrolTwoStep turns two-step verification on for a demo user (whose password is the
// demo one) as they would on their account page, and returns the secret. The confirming
// code's time step is used up: the clock moves on 30 seconds.
func (f *Fixture) EnrolTwoStep(t testing.TB, portal, username string) string {
	t.Helper()
	ctx := context.Background()
	p := f.Portal(t, portal)
	res, err := f.Services.Auth.SignIn(ctx, domain.SignInRequest{Portal: p, Identifier: username, Password: domain.DemoPassword, Kind: domain.SessionWeb})
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	en, err := f.Services.TwoStep.Begin(ctx, p, res.Session)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCodeCustom(en.Secret, f.Clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Services.TwoStep.Confirm(ctx, p, res.Session, en.Flow, code, domain.Reauth{Password: domain.DemoPassword}, ""); err != nil {
		t.Fatalf("enrol %s: %v", username, err)
	}
	f.Clock.Advance(30 * time.Second)
	return en.Secret
}
