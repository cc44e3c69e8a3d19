package bot

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// explain lists the matching patterns per topic for one message: the tool
// for tuning the knowledge.
func (e *Engine) explain(text string) string {
	m := e.lx.analyse(text)
	h := e.g.find(m)
	var b strings.Builder
	fmt.Fprintf(&b, "%q -> %v\n", text, m.surface)
	for _, id := range Topics() {
		for _, p := range e.g.patterns[id] {
			if p.matches(h) {
				fmt.Fprintf(&b, "  %-16s %+5.1f %s\n", id, p.weight, p.src)
			}
		}
	}
	topic, conf := e.Classify(text)
	fmt.Fprintf(&b, "  => %s (%.2f)\n", topic, conf)
	return b.String()
}

// TestExplain prints the reasoning for the messages in $BOT_EXPLAIN (one per
// line); it does nothing otherwise.
func TestExplain(t *testing.T) {
	in := os.Getenv("BOT_EXPLAIN")
	if in == "" {
		t.Skip("set BOT_EXPLAIN to a message to see how it is classified")
	}
	e := New()
	for _, line := range strings.Split(in, "\n") {
		t.Log(e.explain(line))
	}
}
