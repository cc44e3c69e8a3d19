package bot

import (
	"slices"
	"testing"
	"time"
)

// benchMessages mix short replies, typical questions and long rambling text.
var benchMessages = []string{
	"I forgot my password",
	"i got lockd out after typing my pasword wrong a few times, what now??",
	"done",
	"it says my new password cannot be reused, I only changed one letter",
	"I reset my password on the website but the app on my phone still says invalid credentials. I already tried twice. What should I do? My manager is away this week.",
	"hi",
	"how do I give a new guard a temporary password",
	"what's the weather like tomorrow in Lisbon",
}

// benchTurn runs one message against a state in the middle of a flow,
// the common case for a chat.
func benchTurn(i int) {
	st := State{Topic: Lockout, Node: "start", Step: 1}
	engine.Respond(st, Input{Text: benchMessages[i%len(benchMessages)]}, anonymous)
}

func BenchmarkRespond(b *testing.B) {
	i := 0
	for b.Loop() {
		benchTurn(i)
		i++
	}
}

// BenchmarkRespondLatency records every call's duration and reports the
// median and 99th percentile, the figures the help API promises.
func BenchmarkRespondLatency(b *testing.B) {
	var durations []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		benchTurn(i)
		durations = append(durations, time.Since(start))
		i++
	}
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Nanoseconds())
	}
	b.ReportMetric(pct(0.50), "p50-ns")
	b.ReportMetric(pct(0.99), "p99-ns")
}

func BenchmarkClassify(b *testing.B) {
	i := 0
	for b.Loop() {
		engine.Classify(benchMessages[i%len(benchMessages)])
		i++
	}
}
