package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// recoveryMetrics count assisted recovery: requests, failed identity checks, passes
// issued and redeemed, and the time from request to resolution.
type recoveryMetrics struct {
	requested, checkFailed, issued, redeemed prometheus.Counter
	resolution                               prometheus.Histogram
}

func newRecoveryMetrics(reg *prometheus.Registry) *recoveryMetrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	m := &recoveryMetrics{
		requested:   counter("watchpost_help_requests_total", "Help requests naming an account (assisted recovery)."),
		checkFailed: counter("watchpost_help_checks_failed_total", "Wrong codes entered by helpers checking who asks."),
		issued:      counter("watchpost_recovery_passes_issued_total", "Recovery passes issued by helpers."),
		redeemed:    counter("watchpost_recovery_passes_redeemed_total", "Recovery passes with which a person set their password."),
		resolution: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "watchpost_help_resolution_seconds", Help: "Time from a help request to its pass being redeemed.",
			Buckets: []float64{60, 300, 900, 1800, 3600, 3 * 3600, 8 * 3600, 24 * 3600},
		}),
	}
	reg.MustRegister(m.requested, m.checkFailed, m.issued, m.redeemed, m.resolution)
	return m
}

func (p *Prometheus) HelpRequested()      { p.recovery.requested.Inc() }
func (p *Prometheus) HelpCheckFailed()    { p.recovery.checkFailed.Inc() }
func (p *Prometheus) RecoveryPassIssued() { p.recovery.issued.Inc() }
func (p *Prometheus) RecoveryPassRedeemed(d time.Duration) {
	p.recovery.redeemed.Inc()
	p.recovery.resolution.Observe(d.Seconds())
}
