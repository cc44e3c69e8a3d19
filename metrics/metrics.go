// Package metrics counts what Watchpost does in Prometheus form. It implements
// domain.Metrics for the services and observes every HTTP request by route pattern;
// the server wires it, so domain and the views know nothing of Prometheus.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/watchpost/watchpost/domain"
)

// Prometheus holds Watchpost's metrics in a registry of their own.
type Prometheus struct {
	reg          *prometheus.Registry
	signIns      *prometheus.CounterVec
	lockouts     prometheus.Counter
	resetSent    prometheus.Counter
	resetUsed    prometheus.Counter
	hashWait     prometheus.Histogram
	mailSent     prometheus.Counter
	mailFailures *prometheus.CounterVec
	purged       *prometheus.CounterVec
	requests     *prometheus.HistogramVec
	unavailable  prometheus.Counter
	recovery     *recoveryMetrics
}

var _ domain.Metrics = (*Prometheus)(nil)

// New registers Watchpost's metrics and the Go runtime's.
func New() *Prometheus {
	p := &Prometheus{
		reg: prometheus.NewRegistry(),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watchpost_signins_total", Help: "Sign-in attempts (web and mobile) by outcome: ok, wrong, locked, busy, expired, invalid, error.",
		}, []string{"outcome"}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "watchpost_lockouts_total", Help: "Sign-in locks set after too many failed attempts.",
		}),
		resetSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "watchpost_reset_links_sent_total", Help: "Reset and set-password links written to the outbox.",
		}),
		resetUsed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "watchpost_reset_links_used_total", Help: "Links that changed a password.",
		}),
		hashWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "watchpost_hash_pool_wait_seconds", Help: "Time a password hash waited for a slot in the hash pool.",
			Buckets: []float64{.0005, .001, .005, .01, .025, .05, .1, .25, .5, 1, 2},
		}),
		mailSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "watchpost_outbox_sent_total", Help: "E-mails delivered from the outbox.",
		}),
		mailFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watchpost_outbox_failures_total", Help: "Failed delivery attempts; final=true when the message was given up.",
		}, []string{"final"}),
		purged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watchpost_purged_rows_total", Help: "Rows deleted by the retention job, by kind of data.",
		}, []string{"kind"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "watchpost_http_request_duration_seconds", Help: "HTTP requests by method, route pattern (never the raw path) and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route", "status"}),
		unavailable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "watchpost_http_unavailable_total", Help: "Answers 503 (hash pool saturated or database unavailable).",
		}),
	}
	for _, o := range []domain.SignInOutcome{domain.SignInOK, domain.SignInWrong, domain.SignInLocked, domain.SignInBusy} {
		p.signIns.WithLabelValues(string(o)) // present at zero from the start
	}
	p.mailFailures.WithLabelValues("false")
	p.mailFailures.WithLabelValues("true")
	p.reg.MustRegister(p.signIns, p.lockouts, p.resetSent, p.resetUsed, p.hashWait, p.mailSent,
		p.mailFailures, p.purged, p.requests, p.unavailable,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	p.recovery = newRecoveryMetrics(p.reg)
	return p
}

// WatchHashQueue exports the hash pool's queue depth, read at each scrape.
func (p *Prometheus) WatchHashQueue(queued func() int) {
	p.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "watchpost_hash_pool_queue", Help: "Password hashes waiting for a slot in the hash pool.",
	}, func() float64 { return float64(queued()) }))
}

// WatchOutbox exports the outbox backlog (pending or being sent) and the messages
// given up, counted in the database at each scrape, so every instance reports the
// shared figure.
func (p *Prometheus) WatchOutbox(st domain.OutboxStore) {
	p.reg.MustRegister(&outboxCollector{st: st,
		desc: prometheus.NewDesc("watchpost_outbox_messages", "Outbox messages by status (pending and sending are the backlog).", []string{"status"}, nil)})
}

type outboxCollector struct {
	st   domain.OutboxStore
	desc *prometheus.Desc
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.st.OutboxCounts(ctx)
	if err != nil {
		slog.Warn("metrics: outbox counts", "err", err)
		return
	}
	for _, s := range []domain.OutboxStatus{domain.OutboxPending, domain.OutboxSending, domain.OutboxFailed, domain.OutboxSent} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[s]), string(s))
	}
}

// Handler serves the metrics in Prometheus' text format.
func (p *Prometheus) Handler() http.Handler {
	return promhttp.HandlerFor(p.reg, promhttp.HandlerOpts{Registry: p.reg})
}

// Request observes one HTTP request; route is the matched pattern, e.g. /:portal/reset/:token.
func (p *Prometheus) Request(method, route string, status int, d time.Duration) {
	p.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
	if status == http.StatusServiceUnavailable {
		p.unavailable.Inc()
	}
}

func (p *Prometheus) SignIn(o domain.SignInOutcome) { p.signIns.WithLabelValues(string(o)).Inc() }
func (p *Prometheus) Lockout()                      { p.lockouts.Inc() }
func (p *Prometheus) ResetLinkSent()                { p.resetSent.Inc() }
func (p *Prometheus) ResetLinkUsed()                { p.resetUsed.Inc() }
func (p *Prometheus) HashWait(d time.Duration)      { p.hashWait.Observe(d.Seconds()) }
func (p *Prometheus) MailSent()                     { p.mailSent.Inc() }
func (p *Prometheus) MailFailed(final bool) {
	p.mailFailures.WithLabelValues(strconv.FormatBool(final)).Inc()
}
func (p *Prometheus) Purged(kind string, n int) { p.purged.WithLabelValues(kind).Add(float64(n)) }
