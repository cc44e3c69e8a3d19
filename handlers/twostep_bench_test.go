package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// BenchmarkSignInTwoStep measures one web sign-in through the whole HTTP stack with
// production argon2id parameters: the password alone (eve, not enrolled) against the
// password and then a code (ada, enrolled). One client, one sign-in at a time, so the
// difference is the second step's own cost (a challenge written and used, a code checked,
// its time step recorded), not queueing at the hash pool.
func BenchmarkSignInTwoStep(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: domain.DefaultArgon2})
	ctx := context.Background()
	acme, ada := f.Portal(b, "acme"), f.User(b, "acme", "ada.admin")
	en, err := f.Services.TwoStep.Begin(ctx, acme, ada)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Services.TwoStep.Confirm(ctx, acme, ada, totpCode(b, en.Secret, f.Clock.Now()), ""); err != nil {
		b.Fatal(err)
	}
	pw := url.Values{"password": {domain.DemoPassword}}
	b.Run("password-only", func(b *testing.B) {
		c := jarClient(b, f)
		for b.Loop() {
			pw.Set("identifier", "eve.employee")
			if loc := c.post("/acme/sign-in", pw); loc != "/acme/" {
				b.Fatalf("signed in to %q", loc)
			}
		}
	})
	b.Run("password-and-code", func(b *testing.B) {
		c := jarClient(b, f)
		var codeStep time.Duration
		for b.Loop() {
			f.Clock.Advance(30 * time.Second) // each sign-in uses the app's next code
			pw.Set("identifier", "ada.admin")
			if loc := c.post("/acme/sign-in", pw); loc != "/acme/sign-in/two-step" {
				b.Fatalf("password step went to %q", loc)
			}
			start := time.Now()
			if loc := c.post("/acme/sign-in/two-step", url.Values{"code": {totpCode(b, en.Secret, f.Clock.Now())}}); loc != "/acme/" {
				b.Fatalf("code step went to %q", loc)
			}
			codeStep += time.Since(start)
		}
		b.ReportMetric(float64(codeStep.Microseconds())/float64(b.N)/1000, "code-step-ms/op")
	})
}

type jarBench struct {
	b     *testing.B
	http  *http.Client
	base  string
	token string
}

func jarClient(b *testing.B, f *servertest.Fixture) *jarBench {
	jar, _ := cookiejar.New(nil)
	c := servertest.Client()
	c.Jar = jar
	resp, err := c.Get(f.URL + "/acme/sign-in")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		b.Fatal("no csrf token")
	}
	return &jarBench{b: b, http: c, base: f.URL, token: string(m[1])}
}

// post submits a form and returns where it redirected to.
func (c *jarBench) post(path string, v url.Values) string {
	v.Set("_csrf", c.token)
	resp, err := c.http.Post(c.base+path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		c.b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header.Get("Location")
}
