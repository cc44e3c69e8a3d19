package bot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Scoring typed conversations, for TestConversations and the research tool
// (cmd/botcompare seeds): the sets are measures only; nothing here is used
// to answer anyone.

type conversation struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	Turns []struct {
		User        string   `json:"user"`
		ExpectTopic string   `json:"expect_topic"`
		MustMention []string `json:"must_mention"`
		MustNot     []string `json:"must_not"`
	} `json:"turns"`
}

// readConversations reads a conversation set (JSON lines); nil when the
// file is missing.
func readConversations(t tb, path string) []conversation {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []conversation
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c conversation
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, c)
	}
	return out
}

// evalDir is where the public evaluation sets live: ../shared/bot-eval
// beside the repository, or WATCHPOST_BOT_EVAL_DIR.
func evalDir() string {
	if d := os.Getenv("WATCHPOST_BOT_EVAL_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "bot-eval")
}

// conversationSet is one set of typed conversations the assistant is scored on.
type conversationSet struct{ name, path string }

// conversationSets are the public dev set and our held-out sets.
func conversationSets() []conversationSet {
	return []conversationSet{
		{"dev-conversations", filepath.Join(evalDir(), "dev-conversations.jsonl")},
		{"held-out conversations", filepath.Join("testdata", "heldout-conversations.jsonl")},
		{"held-out conversations 2", filepath.Join("testdata", "heldout-conversations-2.jsonl")},
		{"held-out conversations 3", filepath.Join("testdata", "heldout-conversations-3.jsonl")},
		{"held-out conversations 4", filepath.Join("testdata", "heldout-conversations-4.jsonl")},
		{"held-out conversations 5", filepath.Join("testdata", "heldout-conversations-5.jsonl")},
	}
}

// concepts are the evaluation's concepts: a pattern per language.
type concepts map[string]map[string]*regexp.Regexp

// loadConcepts reads concepts.json from the evaluation folder.
func loadConcepts() (concepts, error) {
	raw, err := os.ReadFile(filepath.Join(evalDir(), "concepts.json"))
	if err != nil {
		return nil, err
	}
	var cf struct {
		Concepts map[string]map[string]string `json:"concepts"`
	}
	if err := json.Unmarshal(raw, &cf); err != nil {
		return nil, err
	}
	out := concepts{}
	for name, byLang := range cf.Concepts {
		out[name] = map[string]*regexp.Regexp{}
		for l, p := range byLang {
			re, err := regexp.Compile("(?i)" + p)
			if err != nil {
				return nil, fmt.Errorf("concept %s (%s): %w", name, l, err)
			}
			out[name][l] = re
		}
	}
	return out, nil
}

type convScore struct {
	right, total, turnsRight, turns, topicRight int
	// kinds counts the failing turns by kind (BOT_FAILURE_KINDS=1 prints them):
	// first or later turn, and whether the topic was the expected one, stayed
	// on the previous turn's topic, or moved elsewhere.
	kinds map[string]int
}

// demoContext is what the demo portal "acme" tells an anonymous person, as
// Service.ContextFor builds it (score_conversations.py plays the same sets
// against a running server, and the two must agree).
func demoContext(lang string) Context {
	l, _ := i18n.Parse(lang)
	p := domain.DefaultPolicy()
	p.AdminContact = "Ada Admin (ada@acme.test)"
	return Context{PortalName: "Acme Security", AdminContact: p.AdminContact, Policy: p, Lang: l,
		Links: Links{ForgotPassword: domain.ForgotPasswordPath("acme"), SignIn: domain.SignInPath("acme"),
			Article: "/help/articles/password-assistance", Mobile: domain.MobilePath, AskHelp: domain.AskHelpPath("acme")}}
}

// scoreConversations plays conversations against an engine and scores them
// as score_conversations.py does; show logs every failing turn.
func scoreConversations(e *Engine, convs []conversation, concepts concepts, show bool, t tb) map[string]*convScore {
	res := map[string]*convScore{}
	for _, c := range convs {
		s := res[c.Lang]
		if s == nil {
			s = &convScore{kinds: map[string]int{}}
			res[c.Lang] = s
		}
		ctx := demoContext(c.Lang)
		var st State
		var seen []string
		ok := true
		prevTopic, prevNode := "", ""
		for i, turn := range c.Turns {
			r, next := e.Respond(st, Input{Text: turn.User}, ctx)
			st = next
			parts := []string{r.Text}
			parts = append(parts, r.Steps...)
			for _, l := range r.Links {
				parts = append(parts, l.Label)
			}
			said := strings.Join(parts, " ")
			core := r.Text + strings.Join(r.Steps, "|")
			var missing, wrong []string
			for _, m := range turn.MustMention {
				if re := concepts[m][c.Lang]; re == nil || !re.MatchString(said) {
					missing = append(missing, m)
				}
			}
			for _, m := range turn.MustNot {
				if m == "restart" && slices.Contains(seen, core) || m != "restart" && concepts[m][c.Lang] != nil && concepts[m][c.Lang].MatchString(said) {
					wrong = append(wrong, m)
				}
			}
			seen = append(seen, core)
			s.turns++
			if r.Topic == turn.ExpectTopic || turn.ExpectTopic == Fallback && r.Topic == Fallback {
				s.topicRight++
			}
			if len(missing) > 0 || len(wrong) > 0 {
				ok = false
				kind := "later"
				if i == 0 {
					kind = "first"
				}
				switch {
				case r.Topic == turn.ExpectTopic:
					kind += ", topic right"
				case i > 0 && r.Topic == prevTopic:
					kind += ", stayed on the previous topic"
				default:
					kind += ", moved to another topic"
				}
				if len(wrong) > 0 {
					kind += ", says what it must not"
				}
				s.kinds[kind]++
				// "-": no rule of a step's reply chose it (a first message, a fresh start).
				rule := cmpOr(r.Rule, "-")
				s.kinds["by rule "+rule]++
				if d := os.Getenv("BOT_KIND_DETAIL"); d == "rule:"+rule || d == "all" {
					s.kinds["by rule "+rule+": "+turnDetail(i, turn.ExpectTopic, r)+fmt.Sprintf(", after %s, lacks %v carries %v", prevNode, missing, wrong)]++
				}
				for _, m := range missing {
					s.kinds["lacks "+m]++
					if m == os.Getenv("BOT_KIND_DETAIL") {
						s.kinds["lacks "+m+": "+turnDetail(i, turn.ExpectTopic, r)]++
					}
				}
				for _, m := range wrong {
					s.kinds["carries "+m]++
					if m == os.Getenv("BOT_KIND_DETAIL") {
						s.kinds["carries "+m+": "+turnDetail(i, turn.ExpectTopic, r)]++
					}
				}
				if show {
					t.Logf("%s turn %d: %q\n   topic %s (expected %s) node %s read %v; lacks %v; should not carry %v\n   answer: %.300s",
						c.ID, i+1, turn.User, r.Topic, turn.ExpectTopic, r.Node, r.Read, missing, wrong, said)
				}
			} else {
				s.turnsRight++
			}
			prevTopic, prevNode = r.Topic, r.Topic+"/"+r.Node
		}
		s.total++
		if ok {
			s.right++
		}
	}
	return res
}

// turnDetail describes how a turn was read, without its text: for counting
// failing turns of one kind on a set that is only a measure.
func turnDetail(i int, expected string, r Reply) string {
	d := fmt.Sprintf("turn %d, expected %s, answered %s at %s by %s", i+1, expected, r.Topic, r.Node, r.Rule)
	if r.Read != nil {
		d += fmt.Sprintf(", read %s %.2f asked %s %.2f facts %v", r.Read.Act, r.Read.Confidence, r.Read.Asked, r.Read.AskedConf, r.Read.Facts.Names())
	}
	if r.Why != nil {
		d += fmt.Sprintf(", topic model %s %.2f runner %q off-topic %v", r.Why.Topic, r.Why.Confidence, r.Why.Runner, r.Why.OffTopic)
	}
	return d
}

// compareSeeds retrains the models with several seeds of the reply and
// midflow models' training (BOT_SEEDS, 5 by default; the topic model, which
// reads first messages, keeps its seed) and scores every conversation set with
// each: a change of a few corpus rows or of a rule moves the figures about as
// much as a new seed does (dev conversations 96-101 of 180 on one corpus),
// so a change is judged on the mean.
//
//	go run ./cmd/botcompare seeds
func compareSeeds(t tb) {
	cs, err := loadConcepts()
	if err != nil {
		t.Skipf("no concepts.json in %s: %v", evalDir(), err)
	}
	n := 5
	if v, err := strconv.Atoi(os.Getenv("BOT_SEEDS")); err == nil && v > 0 {
		n = v
	}
	sets := conversationSets()
	seed, midSeed := replyTraining.seed, midflowTraining.seed
	defer func() { replyTraining.seed, midflowTraining.seed = seed, midSeed }()
	totals := make([]int, len(sets))
	for s := range n {
		replyTraining.seed, midflowTraining.seed = seed+uint64(s), midSeed+uint64(s)
		ms, err := trainModels()
		if err != nil {
			t.Fatal(err)
		}
		e, err := compile(ms)
		if err != nil {
			t.Fatal(err)
		}
		var line []string
		for i, set := range sets {
			convs := readConversations(t, set.path)
			if convs == nil {
				continue
			}
			res := scoreConversations(e, convs, cs, false, t)
			sum := 0
			for _, l := range []string{"en", "fr", "es"} {
				if res[l] != nil {
					sum += res[l].right
				}
			}
			totals[i] += sum
			line = append(line, fmt.Sprintf("%s %d", set.name, sum))
		}
		t.Logf("reply seed +%d: %s", s, strings.Join(line, ", "))
	}
	var line []string
	for i, set := range sets {
		line = append(line, fmt.Sprintf("%s %.1f", set.name, float64(totals[i])/float64(n)))
	}
	t.Logf("conversations right, mean over %d seeds: %s", n, strings.Join(line, ", "))
}
