package bot

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labelled is one utterance with the topic it should get.
type labelled struct {
	topic, text string
}

// readTSV reads rows of a TSV file with a header line, taking the topic from
// column 0 and the utterance from column textCol.
func readTSV(t *testing.T, path string, textCol int) []labelled {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) <= textCol {
			continue
		}
		rows = append(rows, labelled{topic: cols[0], text: cols[textCol]})
	}
	require.NoError(t, sc.Err())
	return rows
}

// evalReport holds recall and precision per topic and the confusions.
type evalReport struct {
	recall, precision map[string]float64
	confusion         map[string]map[string]int
	misses            []string
}

func evaluate(e *Engine, rows []labelled) evalReport {
	r := evalReport{recall: map[string]float64{}, precision: map[string]float64{}, confusion: map[string]map[string]int{}}
	gold, predicted, correct := map[string]int{}, map[string]int{}, map[string]int{}
	for _, row := range rows {
		got, _ := e.Classify(row.text)
		gold[row.topic]++
		predicted[got]++
		if r.confusion[row.topic] == nil {
			r.confusion[row.topic] = map[string]int{}
		}
		r.confusion[row.topic][got]++
		if got == row.topic {
			correct[row.topic]++
		} else {
			r.misses = append(r.misses, fmt.Sprintf("%s -> %s: %s", row.topic, got, row.text))
		}
	}
	for topic, n := range gold {
		r.recall[topic] = float64(correct[topic]) / float64(n)
	}
	for topic, n := range predicted {
		r.precision[topic] = float64(correct[topic]) / float64(n)
	}
	return r
}

// log prints the per-topic table and the confusion table.
func (r evalReport) log(t *testing.T) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-17s %6s %9s\n", "topic", "recall", "precision")
	for _, topic := range Topics() {
		if _, ok := r.confusion[topic]; ok {
			fmt.Fprintf(&b, "%-17s %6.3f %9.3f\n", topic, r.recall[topic], r.precision[topic])
		}
	}
	b.WriteString("\nconfusion (row: expected, columns: predicted, only non-zero)\n")
	for _, topic := range Topics() {
		row, ok := r.confusion[topic]
		if !ok {
			continue
		}
		var cells []string
		for _, got := range Topics() {
			if row[got] > 0 {
				cells = append(cells, fmt.Sprintf("%s=%d", got, row[got]))
			}
		}
		fmt.Fprintf(&b, "%-17s %s\n", topic, strings.Join(cells, " "))
	}
	t.Log(b.String())
	if testing.Verbose() {
		slices.Sort(r.misses)
		t.Log("misses:\n" + strings.Join(r.misses, "\n"))
	}
}

// devSetPath finds the shared dev set: $WATCHPOST_BOT_EVAL, else
// ../../shared/bot-eval/dev-set.tsv relative to this package.
func devSetPath() string {
	if p := os.Getenv("WATCHPOST_BOT_EVAL"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "shared", "bot-eval", "dev-set.tsv")
}

func TestDevSet(t *testing.T) {
	path := devSetPath()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatalf("dev set %s is required but missing: %v", path, err)
		}
		t.Skipf("dev set %s not found; set WATCHPOST_BOT_EVAL to run this test", path)
	}
	rows := readTSV(t, path, 2)
	require.NotEmpty(t, rows)
	r := evaluate(New(), rows)
	r.log(t)
	assert.GreaterOrEqual(t, r.recall[ForgotPassword], 0.90, "forgot_password recall")
	assert.GreaterOrEqual(t, r.recall[Lockout], 0.90, "lockout recall")
	assert.GreaterOrEqual(t, r.recall[Fallback], 0.95, "share of fallback rows answered as fallback")
}

func TestOwnUtterances(t *testing.T) {
	rows := readTSV(t, filepath.Join("testdata", "utterances.tsv"), 1)
	r := evaluate(New(), rows)
	r.log(t)
	for _, topic := range Topics() {
		n := r.confusion[topic]
		if topic == ForgotPassword || topic == Lockout || topic == Fallback {
			continue
		}
		total := 0
		for _, c := range n {
			total += c
		}
		assert.GreaterOrEqual(t, total, 20, "utterances for %s", topic)
		assert.GreaterOrEqual(t, r.recall[topic], 0.95, "recall for %s", topic)
	}
}
