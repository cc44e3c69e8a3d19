package server_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestShutdownFinishesInFlightRequests opens sign-ins that each need a production hash
// (so they queue on the two-slot pool), shuts the server down once all of them are
// connected, and checks that every one still got its real answer.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	f := servertest.New(t, servertest.Options{Argon2: domain.DefaultArgon2})
	f.StartWorker()
	page, err := http.Get(f.URL + "/acme/sign-in")
	require.NoError(t, err)
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	token := csrfRe.FindSubmatch(body)[1]
	var seed string
	for _, c := range page.Cookies() {
		if c.Name == "wp_csrf" {
			seed = c.Value
		}
	}

	const n = 4
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for i := range n {
		wg.Go(func() {
			form := url.Values{"identifier": {"load" + string(rune('a'+i))}, "password": {"wrong-password"}, "_csrf": {string(token)}}
			req, _ := http.NewRequest("POST", f.URL+"/acme/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "wp_csrf="+seed)
			r, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			r.Body.Close()
			statuses <- r.StatusCode
		})
	}
	for f.App.Server().GetOpenConnectionsCount() < n { // wait until every request is connected
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, f.Shutdown(10*time.Second))
	wg.Wait()
	close(statuses)
	for s := range statuses {
		assert.Equal(t, http.StatusUnauthorized, s, "each request in flight got its answer")
	}
}

// TestMetricsOnSeparateAddress: the private listener answers /metrics without a token,
// and nothing else.
func TestMetricsOnSeparateAddress(t *testing.T) {
	f := servertest.New(t, servertest.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = f.ServeMetrics(ln) }()
	r, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode)
	assert.Contains(t, string(body), "watchpost_signins_total")
	r, err = http.Get("http://" + ln.Addr().String() + "/acme/sign-in")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 404, r.StatusCode)
}
