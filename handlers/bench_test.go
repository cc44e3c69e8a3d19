package handlers_test

import (
	"net"
	"net/http/cookiejar"
	"slices"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/server/servertest"
)

// BenchmarkSignInParallel signs in through the whole HTTP stack (CSRF, argon2id with
// production parameters, session write) from many clients at once.
func BenchmarkSignInParallel(b *testing.B) {
	// The clients all come from 127.0.0.1, which the per-address share would treat as one
	// flooding client: this measures capacity, BenchmarkSignInDuringFlood fairness.
	f := servertest.New(b, servertest.Options{Argon2: passwordhash.Default, Services: func(c *domain.Config) { c.HashPerAddress = 0 }})
	const clients = 8 // 4 x GOMAXPROCS on this 2-core machine
	users := f.BenchUsers(b, clients)
	var ok, busy, next atomic.Int64
	b.SetParallelism(clients / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := formClient(b, f)
		user := users[int(next.Add(1)-1)%len(users)] // one account per client, as real people
		for pb.Next() {
			switch status, _ := c.post("/acme/sign-in", "identifier="+user+"&password="+url.QueryEscape(domain.DemoPassword)); status {
			case http.StatusSeeOther:
				ok.Add(1)
			case http.StatusServiceUnavailable: // the hash pool's queue was full: a correct answer under overload
				busy.Add(1)
			default:
				b.Fatalf("status %d", status)
			}
		}
	})
	b.ReportMetric(float64(ok.Load())/b.Elapsed().Seconds(), "signins/s")
	b.ReportMetric(float64(busy.Load()), "busy")
}

// BenchmarkRefusedAttempts compares the three answers an attacker could time: a wrong
// password (one production hash), an unknown user and a locked account (no hash, padded
// to a hash's time). It reports the process CPU per attempt and the median latency of
// each, so the CPU saved and the timing match can be read side by side.
func BenchmarkRefusedAttempts(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: passwordhash.Default})
	c := formClient(b, f)
	cases := []struct {
		name, ident string
		want        int
	}{
		{"wrong-password", "max.manager", http.StatusUnauthorized},
		{"unknown-user", "nobody.at.all", http.StatusUnauthorized},
		{"locked", "eve.employee", http.StatusLocked},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if tc.name == "locked" {
				for range 5 {
					c.post("/acme/sign-in", "identifier=eve.employee&password=wrong-password")
				}
			}
			var lat []time.Duration
			cpu0 := cpuTime()
			i := 0
			for b.Loop() {
				if i++; i%4 == 0 && tc.name != "locked" {
					f.Clock.Advance(16 * time.Minute) // stay below the lockout threshold
				}
				start := time.Now()
				if status, _ := c.post("/acme/sign-in", "identifier="+tc.ident+"&password=wrong-password"); status != tc.want {
					b.Fatalf("status %d", status)
				}
				lat = append(lat, time.Since(start))
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
		})
	}
}

// cpuTime is the CPU this process used so far (user plus system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSignInPage renders the sign-in page through the HTTP stack for clients that
// keep their cookies, as browsers do.
func BenchmarkSignInPage(b *testing.B) {
	f := servertest.New(b, servertest.Options{})
	getAll(b, f.URL+"/acme/sign-in")
}

// BenchmarkSignInPageUncompressed is the same page asked for without compression: what
// rendering it costs, without the gzip work on both ends that BenchmarkSignInPage includes.
func BenchmarkSignInPageUncompressed(b *testing.B) {
	f := servertest.New(b, servertest.Options{})
	getAllWith(b, f.URL+"/acme/sign-in", &http.Transport{DisableCompression: true})
}

// getAll fetches url from parallel clients, each with its own cookie jar, asking for
// compressed answers as browsers do.
func getAll(b *testing.B, url string) { getAllWith(b, url, nil) }

func getAllWith(b *testing.B, url string, transport http.RoundTripper) {
	b.RunParallel(func(pb *testing.PB) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Transport: transport}
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkBareFiber is the yardstick for BenchmarkSignInPage: a Fiber handler returning
// a fixed string, through the same HTTP client on loopback.
func BenchmarkBareFiber(b *testing.B) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	b.Cleanup(func() { _ = app.Shutdown() })
	getAll(b, "http://"+ln.Addr().String()+"/")
}

// benchClient is one browser-like client for the benchmarks: the sign-in form's CSRF
// token, and either a fixed CSRF cookie (formClient: stateless, so parallel sign-ins
// never carry a session) or a cookie jar (jarClient: keeps the two-step cookies).
type benchClient struct {
	b     testing.TB
	http  *http.Client
	base  string
	token string
	seed  *http.Cookie // nil when http has a jar
}

func formClient(b testing.TB, f *servertest.Fixture) *benchClient {
	return newBenchClient(b, f, servertest.Client())
}

func jarClient(b testing.TB, f *servertest.Fixture) *benchClient {
	c := servertest.Client()
	c.Jar, _ = cookiejar.New(nil)
	return newBenchClient(b, f, c)
}

func newBenchClient(b testing.TB, f *servertest.Fixture, hc *http.Client) *benchClient {
	resp, err := hc.Get(f.URL + "/acme/sign-in")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		b.Fatal("no csrf token")
	}
	c := &benchClient{b: b, http: hc, base: f.URL, token: string(m[1])}
	if hc.Jar == nil {
		for _, ck := range resp.Cookies() {
			if ck.Name == "wp_csrf" {
				c.seed = ck
			}
		}
	}
	return c
}

// post submits the url-encoded form with the CSRF token; it returns the status and
// where a redirect went.
func (c *benchClient) post(path, form string) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form+"&_csrf="+c.token))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.seed != nil {
		req.AddCookie(c.seed)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
