package bot

import (
	"os"
	"testing"
)

// TestExplain shows why a message gets its topic:
// BOT_EXPLAIN="mon compte est bloqué" [BOT_STEP=check_email] go test ./bot -run TestExplain -v
func TestExplain(t *testing.T) {
	text := os.Getenv("BOT_EXPLAIN")
	if text == "" {
		t.Skip(`set BOT_EXPLAIN="some message"`)
	}
	r := engine.Recognise(text)
	t.Log(r.String())
	step := os.Getenv("BOT_STEP") // a corpus step id; "first" by default
	if step == "" {
		step = actFirst
	}
	rd := engine.ReadReply(step, text)
	t.Logf("as a reply in step %s: act %s (%.2f), facts %v", step, rd.Act, rd.Confidence, rd.Facts.Names())
}
