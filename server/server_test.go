package server_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestShutdownFinishesInFlightRequests holds sign-ins inside the server once it has read
// them, shuts the server down, lets them go on only once the listener is closed, and
// checks that every one still got its real answer, with "Connection: close".
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	const n = 4
	arrived := make(chan struct{}, n)
	release := make(chan struct{})
	f := servertest.New(t, servertest.Options{Arrived: func(method, _ string) {
		if method == http.MethodPost {
			arrived <- struct{}{}
			<-release
		}
	}})
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

	type answer struct {
		status int
		close  bool
		err    error
	}
	answers := make(chan answer, n)
	client := &http.Client{Timeout: 30 * time.Second} // keep-alive, as browsers
	for i := range n {
		go func() {
			form := url.Values{"identifier": {"load" + string(rune('a'+i))}, "password": {"wrong-password"}, "_csrf": {string(token)}}
			req, _ := http.NewRequest("POST", f.URL+"/acme/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "wp_csrf="+seed)
			r, err := client.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
			answers <- answer{status: r.StatusCode, close: r.Close}
		}()
	}
	for range n { // every request has been read and is held in the server
		<-arrived
	}
	shut := make(chan error, 1)
	go func() { shut <- f.Shutdown(30 * time.Second) }()
	<-f.ShuttingDown
	close(release)
	for range n {
		a := <-answers
		require.NoError(t, a.err, "a request in flight lost its answer")
		assert.Equal(t, http.StatusUnauthorized, a.status, "each request in flight got its real answer")
		assert.True(t, a.close, "answers during shutdown tell the client not to reuse the connection")
	}
	require.NoError(t, <-shut)
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
