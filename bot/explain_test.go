package bot

import (
	"os"
	"testing"
)

// TestExplain shows why a message gets its topic:
// BOT_EXPLAIN="mon compte est bloqué" go test ./bot -run TestExplain -v
func TestExplain(t *testing.T) {
	text := os.Getenv("BOT_EXPLAIN")
	if text == "" {
		t.Skip(`set BOT_EXPLAIN="some message"`)
	}
	r := engine.Recognise(text)
	t.Log(r.String())
	t.Logf("reply kinds %v, facts %05b", replyKinds(tokens(text)), factsIn(tokens(text)))
}
