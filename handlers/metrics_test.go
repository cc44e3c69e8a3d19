package handlers_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/server/servertest"
)

const metricsToken = "metrics-token-for-tests-0123456789"

// TestMetricsAfterSignInLockoutAndReset signs in, locks an account and resets a
// password, then reads /metrics with its token: every one is counted, and latency is
// labelled by route pattern, never by a path that holds a token.
func TestMetricsAfterSignInLockoutAndReset(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{MetricsToken: metricsToken})
	b := newBrowser(t, f)
	require.Equal(t, 303, b.signIn("acme", "eve.employee", demoPW).status)
	for range 5 {
		b.signIn("acme", "amy.accounts", "wrong-password-123")
	}
	assert.Contains(t, b.signIn("acme", "amy.accounts", "wrong-password-123").body, "locked")

	b.post("/acme/forgot-password", "/acme/forgot-password", url.Values{"identifier": {"gus@globex.test"}})
	b.post("/globex/forgot-password", "/globex/forgot-password", url.Values{"identifier": {"gus@globex.test"}})
	link := regexp.MustCompile(`/globex/reset/[A-Za-z0-9_-]{43}`).FindString(b.get("/dev/mailbox").body)
	require.NotEmpty(t, link)
	pw := "lantern-orchard-velvet-42"
	require.Equal(t, 303, b.post(link, link, url.Values{"password": {pw}, "confirm": {pw}}).status)

	_, ran, err := f.Services.Retention.RunOnce(t.Context(), "test")
	require.NoError(t, err)
	require.True(t, ran)

	m := b.get("/metrics", "Authorization", "Bearer "+metricsToken)
	require.Equal(t, 200, m.status)
	for _, want := range []string{
		`watchpost_signins_total{outcome="ok"} 1`,
		`watchpost_signins_total{outcome="wrong"} 4`,
		`watchpost_signins_total{outcome="locked"} 2`,
		`watchpost_signins_total{outcome="busy"} 0`,
		`watchpost_lockouts_total 1`,
		`watchpost_reset_links_sent_total 1`,
		`watchpost_reset_links_used_total 1`,
		`watchpost_hash_pool_queue 0`,
		`watchpost_hash_pool_wait_seconds_count`,
		`watchpost_outbox_messages{status="pending"}`,
		`watchpost_outbox_failures_total`,
		`watchpost_http_unavailable_total 0`,
		`watchpost_purged_rows_total{kind="sessions"} 0`,
		`watchpost_purged_rows_total{kind="audit_events"} 0`,
		`watchpost_http_request_duration_seconds_count{method="POST",route="/:portal/reset/:token",status="303"} 1`,
		`watchpost_http_request_duration_seconds_count{method="POST",route="/:portal/sign-in",status="303"} 1`,
	} {
		assert.Contains(t, m.body, want)
	}
	token := strings.TrimPrefix(link, "/globex/reset/")
	assert.NotContains(t, m.body, token, "no raw path in the labels")
}

// TestMetricsRefusedWithoutToken: the public port never serves /metrics to a caller
// without the configured token, and not at all when none is configured.
func TestMetricsRefusedWithoutToken(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{MetricsToken: metricsToken})
	b := newBrowser(t, f)
	assert.Equal(t, 401, b.get("/metrics").status)
	assert.Equal(t, 401, b.get("/metrics", "Authorization", "Bearer wrong").status)
	assert.Equal(t, 401, b.get("/metrics", "Authorization", metricsToken).status)
	assert.NotContains(t, b.get("/metrics").body, "watchpost_")

	open := newBrowser(t, servertest.New(t, servertest.Options{}))
	assert.Equal(t, 404, open.get("/metrics").status)
	assert.Equal(t, 404, open.get("/metrics", "Authorization", "Bearer ").status)
}

// TestRequestLog: one structured line per request, with its id (also sent back as a
// header), route pattern, status and duration, and never the token in the path.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	f := servertest.New(t, servertest.Options{RequestLog: slog.New(slog.NewJSONHandler(&buf, nil))})
	b := newBrowser(t, f)
	token := strings.Repeat("A", 43)
	p := b.get("/acme/reset/" + token)
	id := p.header.Get("X-Request-Id")
	require.Len(t, id, 24)
	kept := b.get("/acme/sign-in", "X-Request-Id", "lb-abcdef-123456")
	assert.Equal(t, "lb-abcdef-123456", kept.header.Get("X-Request-Id"), "a load balancer's id is kept")

	logs := buf.String()
	assert.NotContains(t, logs, token)
	line := ""
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, id) {
			line = l
		}
	}
	require.NotEmpty(t, line)
	assert.Contains(t, line, `"msg":"request"`)
	assert.Contains(t, line, `"route":"/:portal/reset/:token"`)
	assert.Contains(t, line, `"status":410`)
	assert.Contains(t, line, `"duration":`)
	assert.Contains(t, logs, `"id":"lb-abcdef-123456"`)
}

// syncBuffer is a log sink the server writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestReadinessFailsWhileDraining: an instance about to shut down tells the load
// balancer it is not ready, while still answering pages.
func TestReadinessFailsWhileDraining(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	b := newBrowser(t, f)
	assert.Equal(t, 200, b.get("/readyz").status)
	f.Drain()
	r := b.get("/readyz")
	assert.Equal(t, 503, r.status)
	assert.Equal(t, "shutting down", r.body)
	assert.Equal(t, 200, b.get("/healthz").status)
	assert.Equal(t, 200, b.get("/acme/sign-in").status, "requests are still served")
}
