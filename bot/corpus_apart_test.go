package bot

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestCorpusStaysApartFromTheEvaluationSets keeps the measure honest: the
// evaluation sets (dev-set.tsv, dev-set-2.tsv, and every typed turn of
// dev-conversations.jsonl and of our held-out conversations) only measure, so
// no training row (topic, reply or question corpus) may be one of their
// messages, or the same message with a word or two changed. A figure on messages the model was
// trained on says nothing about the next person. When this fails, remove (or
// rewrite in your own words) the rows it names, then measure again.
//
// The fourth held-out set (heldout-conversations-4.jsonl, blind) is here: one
// reply row that nearly repeated one of its turns was rewritten.
//
// The third held-out set (heldout-conversations-3.jsonl) is not here: it was
// written blind after the corpus and scored once before anyone read it; since
// then its failing turns guide development, so it is a development set. Twelve
// of its 275 turns are short messages a corpus row already says word for word
// ("locked", "who is my admin"): people write those alike, and removing the rows
// moved every other figure by more than they weigh.
//
// The fifth (heldout-conversations-5.jsonl) is not here either, for the same
// reasons: written blind on 2026-12-08 after the corpus, scored once (63 of
// 90 conversations), then read as a development set. Four of its 279 turns
// are short messages that rows written before it say nearly word for word.
func TestCorpusStaysApartFromTheEvaluationSets(t *testing.T) {
	corpus, err := loadCorpus()
	if err != nil {
		t.Fatal(err)
	}
	replies, err := loadReplyCorpus(corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range replies {
		corpus = append(corpus, example{text: r.text})
	}
	midflow, err := loadMidflowCorpus(corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range midflow {
		corpus = append(corpus, example{text: m.text})
	}
	questions, err := loadQuestionCorpus(corpusFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range questions {
		corpus = append(corpus, example{text: q.text})
	}
	var eval []string
	for _, set := range []struct {
		name string
		lang int
	}{{"dev-set-2.tsv", 1}, {"dev-set.tsv", -1}} {
		for _, r := range readEval(t, set.name, set.lang) {
			eval = append(eval, apartKey(r.text))
		}
	}
	for _, path := range []string{filepath.Join(evalDir(), "dev-conversations.jsonl"), filepath.Join("testdata", "heldout-conversations.jsonl"),
		filepath.Join("testdata", "heldout-conversations-2.jsonl"), filepath.Join("testdata", "heldout-conversations-4.jsonl")} {
		convs := readConversations(t, path)
		if convs == nil {
			t.Fatalf("%s not found", path)
		}
		for _, c := range convs {
			for _, turn := range c.Turns {
				eval = append(eval, apartKey(turn.User))
			}
		}
	}
	// Each evaluation message is listed under its word pairs, so a corpus row is compared
	// only with the messages it shares a pair with: the overlap of two sets of pairs is
	// counted, not searched (all pairs against all messages took 15 s).
	exact := map[string]bool{}
	sizes := make([]int, len(eval))
	byPair := map[string][]int32{}
	for i, e := range eval {
		exact[e] = true
		g := bigrams(e)
		sizes[i] = len(g)
		for p := range g {
			byPair[p] = append(byPair[p], int32(i))
		}
	}
	var clashes []string
	shared := make([]int, len(eval))
	for _, ex := range corpus {
		k := apartKey(ex.text)
		if exact[k] {
			clashes = append(clashes, "same as an evaluation message: "+ex.text)
			continue
		}
		g := bigrams(k)
		if len(g) < 3 {
			continue // two or three words: people write these alike
		}
		var touched []int32
		for p := range g {
			for _, i := range byPair[p] {
				if shared[i] == 0 {
					touched = append(touched, i)
				}
				shared[i]++
			}
		}
		near := -1
		for _, i := range touched {
			if near < 0 && float64(shared[i]) >= 0.7*float64(len(g)+sizes[i]-shared[i]) {
				near = int(i)
			}
			shared[i] = 0
		}
		if near >= 0 {
			clashes = append(clashes, "nearly "+eval[near]+": "+ex.text)
		}
	}
	if len(clashes) > 0 {
		t.Errorf("%d corpus rows repeat evaluation messages:\n%s", len(clashes), strings.Join(clashes, "\n"))
	}
}

// apartKey folds case, accents and punctuation, so "I don't" and "i dont" compare equal.
func apartKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func bigrams(s string) map[string]bool {
	w := strings.Fields(s)
	out := map[string]bool{}
	for i := 0; i+1 < len(w); i++ {
		out[w[i]+" "+w[i+1]] = true
	}
	return out
}
