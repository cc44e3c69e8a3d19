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
	f.Fuzz(func(t *testing.T, text, choice, topic, stTopic, stNode string) {
		for _, c := range []Context{anonymous, administrator, accountManager} {
			r, st := engine.Respond(State{Topic: stTopic, Node: stNode}, Input{Text: text, Choice: choice, Topic: topic}, c)
			if !slices.Contains(Topics(), r.Topic) || !slices.Contains(Topics(), st.Topic) {
				t.Fatalf("unknown topic %q / state %+v", r.Topic, st)
			}
			if r.Text == "" && len(r.Steps) == 0 {
				t.Fatalf("empty reply for %q", text)
			}
		}
	})
}
