package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// BenchmarkSignInParallel signs in through the whole HTTP stack (CSRF, argon2id with
// production parameters, session write) from many clients at once.
func BenchmarkSignInParallel(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: domain.DefaultArgon2})
	const clients = 8 // 4 x GOMAXPROCS on this 2-core machine
	users := f.BenchUsers(b, clients)
	var ok, busy, next atomic.Int64
	b.SetParallelism(clients / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := formClient(b, f)
		user := users[int(next.Add(1)-1)%len(users)] // one account per client, as real people
		for pb.Next() {
			switch status := c.post("/acme/sign-in", "identifier="+user+"&password="+url.QueryEscape(domain.DemoPassword)); status {
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

// BenchmarkLockedAttempt measures a refused attempt on a locked account; its response is
// padded to a hash's time, so the figure to compare is CPU, not wall time: run with
// -cpuprofile or compare ns/op at -cpu 1 against BenchmarkWrongPassword.
func BenchmarkLockedAttempt(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: domain.DefaultArgon2})
	c := formClient(b, f)
	for range 5 {
		c.post("/acme/sign-in", "identifier=eve.employee&password=wrong-password")
	}
	b.ResetTimer()
	for b.Loop() {
		if status := c.post("/acme/sign-in", "identifier=eve.employee&password=wrong-password"); status != http.StatusLocked {
			b.Fatalf("status %d", status)
		}
	}
}

// BenchmarkWrongPassword measures a normal failed attempt (one hash) for comparison.
func BenchmarkWrongPassword(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: domain.DefaultArgon2, Services: func(c *domain.Config) {}})
	c := formClient(b, f)
	i := 0
	for b.Loop() {
		i++
		if i%4 == 0 { // stay under the lockout threshold
			f.Clock.Advance(16 * 60e9)
		}
		c.post("/acme/sign-in", "identifier=max.manager&password=wrong-password")
	}
}

// BenchmarkSignInPage renders the sign-in page through the HTTP stack.
func BenchmarkSignInPage(b *testing.B) {
	f := servertest.New(b, servertest.Options{})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := http.Get(f.URL + "/acme/sign-in")
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// formClient keeps one browser's cookies and CSRF token.
type benchClient struct {
	b     testing.TB
	http  *http.Client
	base  string
	token string
	seed  *http.Cookie
}

func formClient(b testing.TB, f *servertest.Fixture) *benchClient {
	resp, err := http.Get(f.URL + "/acme/sign-in")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		b.Fatal("no csrf token")
	}
	var seed *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "wp_csrf" {
			seed = c
		}
	}
	return &benchClient{b: b, http: servertest.Client(), base: f.URL, token: string(m[1]), seed: seed}
}

func (c *benchClient) post(path, form string) int {
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form+"&_csrf="+c.token))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c.seed)
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
