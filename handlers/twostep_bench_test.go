package handlers_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
	"github.com/watchpost/watchpost/server/servertest"
)

// BenchmarkSignInTwoStep measures one web sign-in through the whole HTTP stack with
// production argon2id parameters: the password alone (eve, not enrolled) against the
// password and then a code (ada, enrolled). One client, one sign-in at a time, so the
// difference is the second step's own cost (a challenge written and used, a code checked,
// its time step recorded), not queueing at the hash pool.
func BenchmarkSignInTwoStep(b *testing.B) {
	f := servertest.New(b, servertest.Options{Argon2: passwordhash.Default})
	secret := f.EnrolTwoStep(b, "acme", "ada.admin")
	pw := url.Values{"password": {domain.DemoPassword}}
	b.Run("password-only", func(b *testing.B) {
		c := jarClient(b, f)
		for b.Loop() {
			pw.Set("identifier", "eve.employee")
			if _, loc := c.post("/acme/sign-in", pw.Encode()); loc != "/acme/" {
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
			if _, loc := c.post("/acme/sign-in", pw.Encode()); loc != "/acme/sign-in/two-step" {
				b.Fatalf("password step went to %q", loc)
			}
			start := time.Now()
			if _, loc := c.post("/acme/sign-in/two-step", url.Values{"code": {totpCode(b, secret, f.Clock.Now())}}.Encode()); loc != "/acme/" {
				b.Fatalf("code step went to %q", loc)
			}
			codeStep += time.Since(start)
		}
		b.ReportMetric(float64(codeStep.Microseconds())/float64(b.N)/1000, "code-step-ms/op")
	})
}
