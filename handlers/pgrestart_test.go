package handlers_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
	"github.com/watchpost/watchpost/store/storetest"
)

// TestPostgresRestart stops and starts the PostgreSQL server under a steady load: /readyz
// goes false then true, the app recovers by itself, and no answer shows internals. It
// restarts the machine's cluster, so it runs only when WATCHPOST_TEST_PG_RESTART=1 (CI
// runs it alone, after the rest of the suite).
func TestPostgresRestart(t *testing.T) {
	if os.Getenv("WATCHPOST_TEST_PG_RESTART") != "1" {
		t.Skip("restarts the PostgreSQL cluster: set WATCHPOST_TEST_PG_RESTART=1 to run")
	}
	versions, _ := filepath.Glob("/etc/postgresql/*")
	require.NotEmpty(t, versions, "no PostgreSQL cluster on this machine")
	ctl := func(action string) *exec.Cmd {
		return exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", filepath.Base(versions[0]), "main", action)
	}
	cluster := func(action string) {
		out, err := ctl(action).CombinedOutput()
		require.NoError(t, err, "%s: %s", action, out)
	}
	t.Cleanup(func() { _ = ctl("start").Run() }) // never leave the machine without its database

	f := servertest.New(t, servertest.Options{DatabaseURL: storetest.MigratedPostgresURL(t)})
	b := newBrowser(t, f)
	ready := func() int { return b.get("/readyz").status }
	require.Equal(t, 200, ready())

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	wg.Go(func() {
		c := newBrowser(t, f)
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, p := range []page{c.get("/acme/sign-in"), c.signInMaybe()} {
				mu.Lock()
				statuses[p.status]++
				mu.Unlock()
				for _, leak := range []string{"goroutine", "SQLSTATE", "dial tcp", "pgdriver", "panic"} {
					if strings.Contains(p.body, leak) {
						t.Errorf("status %d page shows %q", p.status, leak)
					}
				}
			}
		}
	})

	cluster("stop")
	down := ready()
	cluster("start")
	for ready() != 200 { // the pool reconnects by itself; no restart of the app
		time.Sleep(50 * time.Millisecond)
	}
	assert.Equal(t, 503, down, "/readyz is false while the database is down")
	assert.Equal(t, 303, newBrowser(t, f).signIn("acme", "eve.employee", demoPW).status, "sign-in works again")
	close(stop)
	wg.Wait()
	t.Logf("answers during the restart: %v", statuses)
	for status := range statuses {
		assert.Contains(t, []int{200, 303, 401, 403, 423, 503}, status)
	}
}

// signInMaybe posts a sign-in if a form can be fetched, else returns the page it got.
func (b *browser) signInMaybe() page {
	p := b.get("/acme/sign-in")
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		return p
	}
	form := url.Values{"_csrf": {m[1]}, "identifier": {"max.manager"}, "password": {"wrong-password"}}
	req, _ := http.NewRequest(http.MethodPost, b.base+"/acme/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}
