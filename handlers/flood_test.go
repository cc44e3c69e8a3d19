package handlers_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/server/servertest"
)

// Bounded load runs on 127.0.0.1 for issue 11: fair admission to the hash pool, and
// sign-in timing that tells nothing about accounts. Clients come from distinct loopback
// addresses (127.0.0.0/8 all reach the server), so the server sees distinct clients.
// They use the production argon2id parameters. Figures are logged; the tests assert only
// what must hold whatever the machine's load (no 503 for the bystander, timing within
// 15%).

// addrClient is a browser at one source address: it keeps cookies and fetches a form's
// CSRF token before posting it.
type addrClient struct {
	t    testing.TB
	http *http.Client
	base string
}

func newAddrClient(t testing.TB, f *servertest.Fixture, ip string) *addrClient {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}
	return &addrClient{t: t, base: f.URL, http: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *addrClient) csrf(path string) string {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(body))
	if m == nil {
		c.t.Fatalf("no CSRF token on %s (status %d)", path, resp.StatusCode)
	}
	return m[1]
}

// post sends a form with token and returns the status; 0 when the request failed.
func (c *addrClient) post(path, token string, v url.Values) int {
	v.Set("_csrf", token)
	resp, err := c.http.Post(c.base+path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// signIn fetches the form and signs in, as a browser does, returning status and latency.
func (c *addrClient) signIn(ident, pw string) (int, time.Duration) {
	start := time.Now()
	token := c.csrf("/acme/sign-in")
	status := c.post("/acme/sign-in", token, url.Values{"identifier": {ident}, "password": {pw}})
	return status, time.Since(start)
}

// flood runs n loops from one address until ctx ends, counting answers by status.
type flood struct {
	wg     sync.WaitGroup
	counts sync.Map // status -> *atomic.Int64
}

func (fl *flood) count(status int) {
	v, _ := fl.counts.LoadOrStore(status, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (fl *flood) String() string {
	var parts []string
	fl.counts.Range(func(k, v any) bool {
		parts = append(parts, fmt.Sprintf("%d×%d", v.(*atomic.Int64).Load(), k.(int)))
		return true
	})
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// unprotected turns off the lockout and the spraying throttle, so that only fair
// admission stands between the flood and the hash pool: the hard case.
func unprotected(t testing.TB, f *servertest.Fixture) {
	p := f.Portal(t, "acme")
	p.Policy.MaxFailedAttempts = 1 << 30
	require.NoError(t, f.Store.UpdatePolicy(context.Background(), p.ID, p.Policy))
}

// startFlood starts 80 loops of wrong passwords from one session or one address, waits
// until they fill the server's queue, and returns the function that stops them.
func startFlood(t testing.TB, f *servertest.Fixture, kind string) (stop func() *flood) {
	ctx, cancel := context.WithCancel(context.Background())
	fl := &flood{}
	switch kind {
	case "session": // 80 parallel wrong current passwords from one employee's session
		attacker := newAddrClient(t, f, "127.0.0.2")
		status, _ := attacker.signIn("eve.employee", domain.DemoPassword)
		require.Equal(t, 303, status)
		token := attacker.csrf("/acme/account")
		for range 80 {
			fl.wg.Go(func() {
				for ctx.Err() == nil {
					fl.count(attacker.post("/acme/account/password", token, url.Values{"current": {"guess-guess-guess"}, "password": {"new-passphrase-2026"}, "confirm": {"new-passphrase-2026"}}))
				}
			})
		}
	case "address": // 80 parallel sign-ins with made-up accounts from one address
		attacker := newAddrClient(t, f, "127.0.0.3")
		token := attacker.csrf("/acme/sign-in")
		var next atomic.Int64
		for range 80 {
			fl.wg.Go(func() {
				for ctx.Err() == nil {
					fl.count(attacker.post("/acme/sign-in", token, url.Values{"identifier": {fmt.Sprintf("spray%06d", next.Add(1))}, "password": {"Winter2026!"}}))
				}
			})
		}
	}
	for fl.total() < 200 { // let the flood fill the queue first
		runtimeYield()
	}
	return func() *flood {
		cancel()
		fl.wg.Wait()
		return fl
	}
}

func (fl *flood) total() int64 {
	var n int64
	fl.counts.Range(func(_, v any) bool { n += v.(*atomic.Int64).Load(); return true })
	return n
}

func runtimeYield() { runtime.Gosched() } // lets the flood's goroutines run

func p95(lat []time.Duration) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[(len(s)*95+99)/100-1]
}

// loadRun skips a load or timing run unless WATCHPOST_LOAD_TESTS=1. Their figures measure
// the machine as much as the code (a timing ratio beside a busy browser measures the
// browser), so they run alone on it: CI runs them after the suite (.ci/run), and so can
// anyone: WATCHPOST_LOAD_TESTS=1 go test -run 'Flood|Timing' ./handlers/.
func loadRun(t *testing.T) {
	t.Helper()
	if os.Getenv("WATCHPOST_LOAD_TESTS") != "1" {
		t.Skip("load run: set WATCHPOST_LOAD_TESTS=1 to run it, alone on the machine")
	}
}

// TestFloodDoesNotStarveSignIn: while one session, or one address, floods the server
// with wrong passwords, another client's correct sign-ins all succeed, with no 503
// (issue 11, item 5). Run with the lockout and throttle off, so that fair admission
// alone holds; the p95 is logged (see BenchmarkSignInDuringFlood for the figure).
func TestFloodDoesNotStarveSignIn(t *testing.T) {
	loadRun(t)
	for _, kind := range []string{"session", "address"} {
		t.Run(kind, func(t *testing.T) {
			f := servertest.New(t, servertest.Options{Argon2: passwordhash.Default, Services: func(c *domain.Config) { c.SprayPerAddress = 0 }})
			unprotected(t, f)
			stop := startFlood(t, f, kind)
			bystander := newAddrClient(t, f, "127.0.0.9")
			var statuses []int
			var lat []time.Duration
			for range 12 {
				status, d := bystander.signIn("max.manager", domain.DemoPassword)
				statuses, lat = append(statuses, status), append(lat, d)
			}
			fl := stop()
			t.Logf("%s flood answers: %s; bystander p95 %v, hasher %+v, refused over share %d", kind, fl, p95(lat), f.Hasher.Stats(), f.Services.Admission().Refused())
			for _, s := range statuses {
				assert.Equal(t, 303, s, "the bystander signs in")
			}
		})
	}
}

// BenchmarkSignInDuringFlood reports the bystander's sign-in latency (p95) and 503s
// during each flood, with only fair admission protecting (lockout and throttle off), and
// with the production protections on.
func BenchmarkSignInDuringFlood(b *testing.B) {
	for _, kind := range []string{"session", "address"} {
		for _, protected := range []bool{false, true} {
			name := kind + "/admission-only"
			if protected {
				name = kind + "/production"
			}
			b.Run(name, func(b *testing.B) {
				f := servertest.New(b, servertest.Options{Argon2: passwordhash.Default, Services: func(c *domain.Config) {
					if !protected {
						c.SprayPerAddress = 0
					}
				}})
				if !protected {
					unprotected(b, f)
				}
				stop := startFlood(b, f, kind)
				bystander := newAddrClient(b, f, "127.0.0.9")
				var lat []time.Duration
				busy := 0
				for b.Loop() {
					status, d := bystander.signIn("max.manager", domain.DemoPassword)
					lat = append(lat, d)
					if status != 303 {
						busy++
					}
				}
				fl := stop()
				b.ReportMetric(float64(p95(lat).Milliseconds()), "p95-ms")
				b.ReportMetric(float64(busy), "bystander-failures")
				b.ReportMetric(float64(fl.total()), "flood-requests")
				b.Logf("flood answers: %s; hasher %+v, refused over share %d", fl, f.Hasher.Stats(), f.Services.Admission().Refused())
			})
		}
	}
}

// TestSignInTimingRevealsNothing compares wrong-password answers for an existing and a
// made-up account while other people sign in (issue 11, item 4): the medians are within
// 15%, as both take the same path through the hash pool.
func TestSignInTimingRevealsNothing(t *testing.T) {
	loadRun(t)
	f := servertest.New(t, servertest.Options{Argon2: passwordhash.Default})
	users := f.BenchUsers(t, 4)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, u := range users { // other sign-ins in flight, from their own addresses
		c := newAddrClient(t, f, fmt.Sprintf("127.0.1.%d", i+1))
		wg.Go(func() {
			for ctx.Err() == nil {
				c.signIn(u, domain.DemoPassword)
			}
		})
	}
	t.Cleanup(func() { stop(); wg.Wait() }) // before the server stops (cleanups run last first)
	c := newAddrClient(t, f, "127.0.0.9")
	// A real difference (the code before the fix showed 2.18x here) shows in every round;
	// the noise of a shared machine does not: up to three rounds, the best must be within
	// 15%.
	best := 0.0
	for round := range 3 {
		ratio := timingRound(t, f, c, round)
		if best == 0 || math.Abs(ratio-1) < math.Abs(best-1) {
			best = ratio
		}
		if math.Abs(best-1) <= 0.15 {
			break
		}
	}
	assert.InDelta(t, 1.0, best, 0.15)
}

// timingRound times 20 wrong-password answers each for an existing and made-up accounts,
// interleaved, and returns the ratio of their medians.
func timingRound(t *testing.T, f *servertest.Fixture, c *addrClient, round int) float64 {
	var known, unknown []time.Duration
	for i := range 40 {
		if i%4 == 0 {
			f.Clock.Advance(16 * time.Minute) // stay below the lockout and the throttle
		}
		ident := "max.manager"
		if i%2 == 1 {
			ident = fmt.Sprintf("nobody%d.%03d", round, i)
		}
		token := c.csrf("/acme/sign-in")
		start := time.Now()
		status := c.post("/acme/sign-in", token, url.Values{"identifier": {ident}, "password": {"wrong-password"}})
		d := time.Since(start)
		require.Equal(t, 401, status, ident)
		if i%2 == 1 {
			unknown = append(unknown, d)
		} else {
			known = append(known, d)
		}
	}
	mk, mu := median(known), median(unknown)
	ratio := float64(mk) / float64(mu)
	t.Logf("round %d: median known %v, unknown %v, ratio %.2f (20 each, interleaved; 4 other clients signing in all along; hasher %+v)", round+1, mk, mu, ratio, f.Hasher.Stats())
	return ratio
}
