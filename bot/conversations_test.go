package bot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// TestConversations plays typed multi-turn conversations against the
// engine in-process, with the demo portal's context as an anonymous person
// sees it, and scores them exactly as ../shared/bot-eval/score_conversations.py
// does: a turn is right when the answer (reply, steps and link labels) carries
// every concept of must_mention and none of must_not ("restart": it repeats a
// reply and steps already given). The sets are measures only: no rule, reply
// or corpus row comes from them.
//
//	go test ./bot -run Conversations -v
func TestConversations(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "bot-eval")
	if d := os.Getenv("WATCHPOST_BOT_EVAL_DIR"); d != "" {
		dir = d
	}
	raw, err := os.ReadFile(filepath.Join(dir, "concepts.json"))
	if err != nil {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatalf("concepts.json is required: %v", err)
		}
		t.Skipf("no %s (the evaluation sets live beside the repository)", filepath.Join(dir, "concepts.json"))
	}
	var cf struct {
		Concepts map[string]map[string]string `json:"concepts"`
	}
	if err := json.Unmarshal(raw, &cf); err != nil {
		t.Fatal(err)
	}
	concepts := map[string]map[string]*regexp.Regexp{}
	for name, byLang := range cf.Concepts {
		concepts[name] = map[string]*regexp.Regexp{}
		for l, p := range byLang {
			concepts[name][l] = regexp.MustCompile("(?i)" + p)
		}
	}
	for _, set := range []struct{ name, path string }{
		{"dev-conversations", filepath.Join(dir, "dev-conversations.jsonl")},
		{"held-out conversations", filepath.Join("testdata", "heldout-conversations.jsonl")},
		{"held-out conversations 2", filepath.Join("testdata", "heldout-conversations-2.jsonl")},
		{"held-out conversations 3", filepath.Join("testdata", "heldout-conversations-3.jsonl")},
		{"held-out conversations 4", filepath.Join("testdata", "heldout-conversations-4.jsonl")},
	} {
		convs := readConversations(t, set.path)
		if convs == nil {
			t.Logf("%s: %s not found, skipped", set.name, set.path)
			continue
		}
		// BOT_SHOW_FAILURES=1 lists every set's failing turns; a file's name lists only its own.
		show := os.Getenv("BOT_SHOW_FAILURES")
		res := scoreConversations(convs, concepts, show == "1" || show != "" && filepath.Base(set.path) == show, t)
		for _, l := range []string{"en", "fr", "es"} {
			s := res[l]
			if s == nil {
				continue
			}
			t.Logf("%s %s: conversations right %d/%d = %.3f; turns right %d/%d = %.3f; turn topics %.3f",
				set.name, l, s.right, s.total, float64(s.right)/float64(s.total),
				s.turnsRight, s.turns, float64(s.turnsRight)/float64(s.turns), float64(s.topicRight)/float64(s.turns))
			if os.Getenv("BOT_FAILURE_KINDS") == "1" {
				kinds := slices.Sorted(maps.Keys(s.kinds))
				for _, k := range kinds {
					t.Logf("   %3d failing turns: %s", s.kinds[k], k)
				}
			}
		}
	}
}

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

func readConversations(t *testing.T, path string) []conversation {
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

type convScore struct {
	right, total, turnsRight, turns, topicRight int
	// kinds counts the failing turns by kind (BOT_FAILURE_KINDS=1 prints them):
	// first or later turn, and whether the topic was the expected one, stayed
	// on the previous turn's topic, or moved elsewhere.
	kinds map[string]int
}

// demoContext is what the demo portal "acme" tells an anonymous person.
func demoContext(lang string) Context {
	l, _ := i18n.Parse(lang)
	p := domain.DefaultPolicy()
	p.AdminContact = "Ada Admin (ada@acme.test)"
	return Context{PortalName: "Acme Security", AdminContact: p.AdminContact, Policy: p, Lang: l,
		Links: Links{ForgotPassword: domain.ForgotPasswordPath("acme"), SignIn: domain.SignInPath("acme"),
			Article: "/help/articles/password-assistance", Mobile: domain.MobilePath}}
}

func scoreConversations(convs []conversation, concepts map[string]map[string]*regexp.Regexp, show bool, t *testing.T) map[string]*convScore {
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
		prevTopic := ""
		for i, turn := range c.Turns {
			r, next := engine.Respond(st, Input{Text: turn.User}, ctx)
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
			prevTopic = r.Topic
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
				if d := os.Getenv("BOT_KIND_DETAIL"); d == "stayed" && strings.Contains(kind, "stayed") || d == "right" && strings.Contains(kind, "topic right") || d == "moved" && strings.Contains(kind, "moved") {
					s.kinds[d+": "+turnDetail(i, turn.ExpectTopic, r)+fmt.Sprintf(", lacks %v carries %v", missing, wrong)]++
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
	d := fmt.Sprintf("turn %d, expected %s, answered %s at %s", i+1, expected, r.Topic, r.Node)
	if r.Read != nil {
		d += fmt.Sprintf(", read %s %.2f asked %s %.2f facts %v", r.Read.Act, r.Read.Confidence, r.Read.Asked, r.Read.AskedConf, r.Read.Facts.Names())
	}
	if r.Why != nil {
		d += fmt.Sprintf(", topic model %s %.2f off-topic %v", r.Why.Topic, r.Why.Confidence, r.Why.OffTopic)
	}
	return d
}
