package bot

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
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
	concepts, err := loadConcepts()
	if err != nil {
		if os.Getenv("WATCHPOST_REQUIRE_ALL") == "1" {
			t.Fatalf("concepts.json is required: %v", err)
		}
		t.Skipf("no concepts.json in %s (the evaluation sets live beside the repository): %v", evalDir(), err)
	}
	for _, set := range conversationSets() {
		convs := readConversations(t, set.path)
		if convs == nil {
			t.Logf("%s: %s not found, skipped", set.name, set.path)
			continue
		}
		// BOT_SHOW_FAILURES=1 lists every set's failing turns; a file's name lists only its own.
		show := os.Getenv("BOT_SHOW_FAILURES")
		res := scoreConversations(engine, convs, concepts, show == "1" || show != "" && filepath.Base(set.path) == show, t)
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
