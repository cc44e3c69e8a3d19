package bot

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// measured is one labelled message of an evaluation set.
type measured struct {
	topic, lang, text string
}

func readEval(t tb, name string, langCol int) []measured {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "bot-eval", name)
	if dir := os.Getenv("WATCHPOST_BOT_EVAL_DIR"); dir != "" {
		path = filepath.Join(dir, name)
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatalf("evaluation set %s is required: %v", path, err)
		}
		t.Skipf("evaluation set %s not found (set WATCHPOST_BOT_EVAL_DIR)", path)
	}
	var rows []measured
	for i, line := range strings.Split(strings.TrimRight(string(buf), "\n"), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 3 {
			continue
		}
		lang := "en"
		if langCol >= 0 {
			lang = cols[langCol]
		}
		rows = append(rows, measured{topic: cols[0], lang: lang, text: cols[2]})
	}
	return rows
}

// scorecard counts a classifier's answers against the gold topics.
type scorecard struct {
	n, correct, wrongInScope, inScope int
	confusion                         map[string]map[string]int
}

func newScorecard() *scorecard { return &scorecard{confusion: map[string]map[string]int{}} }

func (s *scorecard) add(gold, got string) {
	s.n++
	if s.confusion[gold] == nil {
		s.confusion[gold] = map[string]int{}
	}
	s.confusion[gold][got]++
	if gold == got {
		s.correct++
	}
	if gold != Fallback {
		s.inScope++
		if got != gold && got != Fallback {
			s.wrongInScope++
		}
	}
}

func (s *scorecard) accuracy() float64 { return float64(s.correct) / float64(max(1, s.n)) }

func (s *scorecard) recall(topic string) float64 {
	row := s.confusion[topic]
	total := 0
	for _, n := range row {
		total += n
	}
	return float64(row[topic]) / float64(max(1, total))
}

func (s *scorecard) precision(topic string) float64 {
	got := 0
	for _, row := range s.confusion {
		got += row[topic]
	}
	return float64(s.confusion[topic][topic]) / float64(max(1, got))
}

func (s *scorecard) wrongRate() float64 { return float64(s.wrongInScope) / float64(max(1, s.inScope)) }

// table prints recall, precision and the confusion table.
func (s *scorecard) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n== %s: accuracy %.3f (%d/%d), in-scope sent to a wrong topic %.3f (%d/%d)\n",
		title, s.accuracy(), s.correct, s.n, s.wrongRate(), s.wrongInScope, s.inScope)
	short := map[string]string{}
	for _, t := range Topics() {
		short[t] = abbrev(t)
	}
	fmt.Fprintf(&b, "%-17s %6s %6s  confusion (row gold, column predicted):", "topic", "recall", "prec")
	for _, t := range Topics() {
		fmt.Fprintf(&b, " %5s", short[t])
	}
	b.WriteString("\n")
	for _, t := range Topics() {
		if _, ok := s.confusion[t]; !ok {
			continue
		}
		fmt.Fprintf(&b, "%-17s %6.3f %6.3f  %-37s", t, s.recall(t), s.precision(t), "")
		for _, c := range Topics() {
			fmt.Fprintf(&b, " %5d", s.confusion[t][c])
		}
		b.WriteString("\n")
	}
	return b.String()
}

func abbrev(topic string) string {
	parts := strings.Split(topic, "_")
	out := ""
	for _, p := range parts {
		out += p[:min(3, len(p))]
	}
	return out[:min(5, len(out))]
}

func topicsIn(s *scorecard) []string {
	var out []string
	for _, t := range Topics() {
		if _, ok := s.confusion[t]; ok {
			out = append(out, t)
		}
	}
	return slices.Clip(out)
}

func getenvBool(name string) bool { return os.Getenv(name) == "1" }
