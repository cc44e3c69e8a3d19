package bot

import (
	"runtime"
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
	st := State{Topic: Lockout, Node: "lock_reset_or_wait", Step: 1, Given: []string{"lock_reset_or_wait"}}
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

// BenchmarkNew is the start-up cost: reading the corpus and training both models.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New()
	}
}

// TestModelMemory reports what the trained models hold and what building
// the engine leaves on the heap; the bar is under 20 MiB.
func TestModelMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e := New()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	size := e.rc.topics.bytes() + e.rc.midflow.bytes() + e.rc.langs.bytes() + e.rc.topics.index.bytes() +
		e.models.acts.bytes() + e.models.facts.bytes() + e.models.acts.index.bytes() +
		e.models.asks.bytes() + e.models.asks.index.bytes()
	t.Logf("models: %d topic features, %d reply features, %d question features, ~%.1f MiB of weights and index; heap kept by New: %.1f MiB",
		len(e.rc.topics.index.names), len(e.models.acts.index.names), len(e.models.asks.index.names), float64(size)/(1<<20), float64(heap)/(1<<20))
	if size > 20<<20 || heap > 20<<20 {
		t.Errorf("model memory over 20 MiB")
	}
	runtime.KeepAlive(e)
}
