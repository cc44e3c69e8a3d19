package bot

import (
	"slices"
	"testing"
)

// FuzzRespond checks that no input, state or choice makes Respond panic or
// answer with an unknown topic.
func FuzzRespond(f *testing.F) {
	f.Add("I forgot my password", "", "", "", "")
	f.Add("done", "", "", Lockout, "start")
	f.Add("", "lockout/app1", "", Lockout, "reset")
	f.Add("", "", PasswordReuse, "", "")
	f.Add("my password is hunter2", "../", "nope", "x/y/z", "{")
	f.Add("reset my password", "", "", "", "") // a "which one?" question
	f.Add("password not working", "", "", Lockout, "signin")
	f.Fuzz(func(t *testing.T, text, choice, topic, stTopic, stNode string) {
		for _, c := range []Context{anonymous, administrator, accountManager} {
			r, st := engine.Respond(State{Topic: stTopic, Node: stNode}, Input{Text: text, Choice: choice, Topic: topic}, c)
			// A state without a topic is a conversation not under way (after a
			// "which one?" question): the next message is recognised afresh.
			if !slices.Contains(Topics(), r.Topic) || st.Topic != "" && !slices.Contains(Topics(), st.Topic) {
				t.Fatalf("unknown topic %q / state %+v", r.Topic, st)
			}
			if r.Text == "" && len(r.Steps) == 0 {
				t.Fatalf("empty reply for %q", text)
			}
		}
	})
}
