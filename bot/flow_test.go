package bot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var engine = New()

var (
	anonymous = Context{PortalName: "Acme Security", AdminContact: "Jane Doe, jane@acme.example, ext. 100",
		Links: Links{ForgotPassword: "/p/acme/forgot", SignIn: "/p/acme/signin", Article: "/help/articles/password-assistance"}}
	administrator = Context{PortalName: "Acme Security", SignedIn: true, Role: "Administrator", CanResetOthers: true,
		Administrators: []string{"Jane Doe", "Sam Lee"},
		Links:          Links{ForgotPassword: "/p/acme/forgot", Employees: "/p/acme/employees"}}
	accountManager = Context{PortalName: "Acme Security", SignedIn: true, Role: "Account Manager",
		Administrators: []string{"Jane Doe", "Sam Lee"},
		Links:          Links{Employees: "/p/acme/employees"}}
)

// say sends free text and returns the reply and new state.
func say(st State, text string, c Context) (Reply, State) {
	return engine.Respond(st, Input{Text: text}, c)
}

// press presses the button whose label contains label.
func press(t *testing.T, st State, r Reply, label string, c Context) (Reply, State) {
	t.Helper()
	for _, o := range r.Options {
		if strings.Contains(o.Label, label) {
			return engine.Respond(st, Input{Choice: o.Value}, c)
		}
	}
	require.Failf(t, "no such button", "%q not in %+v", label, r.Options)
	return Reply{}, st
}

func labels(r Reply) []string {
	var out []string
	for _, o := range r.Options {
		out = append(out, o.Label)
	}
	return out
}

func linkURLs(r Reply) []string {
	var out []string
	for _, l := range r.Links {
		out = append(out, l.URL)
	}
	return out
}

// TestEveryTopicReachesEscalation presses "didn't work"-style buttons (else
// the first one) from the start of each topic until the administrator
// contact is shown.
func TestEveryTopicReachesEscalation(t *testing.T) {
	for _, id := range Topics() {
		if id == Fallback {
			continue
		}
		t.Run(id, func(t *testing.T) {
			r, st := engine.Respond(State{}, Input{Topic: id}, anonymous)
			require.Equal(t, id, r.Topic)
			require.NotEmpty(t, r.Text)
			for turn := 0; turn < 10 && !r.Escalated; turn++ {
				require.NotEmpty(t, r.Options, "a turn before escalation must offer buttons: %+v", r)
				assert.True(t, r.Text != "" || len(r.Steps) > 0, "empty turn: %+v", r)
				next := r.Options[0]
				for _, o := range r.Options {
					if strings.Contains(o.Value, "escalate") || strings.Contains(o.Label, "didn't") ||
						strings.Contains(o.Label, "administrator") || strings.HasPrefix(o.Label, "No") {
						next = o
						break
					}
				}
				r, st = engine.Respond(st, Input{Choice: next.Value}, anonymous)
			}
			require.True(t, r.Escalated, "never escalated, last reply %+v", r)
			assert.Contains(t, r.Text, "Jane Doe, jane@acme.example, ext. 100")
			assert.Contains(t, labels(r), "Start over")
		})
	}
}

func TestEscalationWithoutContactIsGeneric(t *testing.T) {
	r, _ := engine.Respond(State{}, Input{Topic: ContactAdmin}, Context{})
	assert.True(t, r.Escalated)
	assert.Contains(t, r.Text, "HR/payroll or IT department")
	assert.NotContains(t, r.Text, "{")
}

func TestLockoutWalkthrough(t *testing.T) {
	r, st := say(State{}, "i got lockd out, typed my pasword wrong too many times", anonymous)
	require.Equal(t, Lockout, r.Topic)
	assert.Contains(t, r.Text, "15 minutes")
	assert.Contains(t, r.Steps[0], "Stop trying")
	assert.Equal(t, 1, st.Step)

	r, st = press(t, st, r, "Done, next step", anonymous)
	assert.Contains(t, r.Steps[0], "Forgot password?")
	assert.Contains(t, linkURLs(r), "/p/acme/forgot")
	assert.Equal(t, 2, st.Step)

	r, st = press(t, st, r, "Done, next step", anonymous)
	assert.Contains(t, r.Steps[0], "Sign in with your new password")

	r, _ = press(t, st, r, "still locked", anonymous)
	assert.True(t, r.Escalated)
	assert.Equal(t, Lockout, r.Topic)
}

func TestLockoutMobileBranch(t *testing.T) {
	r, st := engine.Respond(State{}, Input{Topic: Lockout}, anonymous)
	r, st = press(t, st, r, "I'm on the mobile app", anonymous)
	assert.Contains(t, r.Text, "app")
	assert.Contains(t, r.Steps[0], "web sign-in page in a browser")

	r, _ = press(t, st, r, "Done", anonymous)
	assert.Contains(t, r.Steps[0], "sign in to the app")
}

func TestTypedAnswersFollowTheFlow(t *testing.T) {
	_, st := engine.Respond(State{}, Input{Topic: Lockout}, anonymous)
	r, st := say(st, "I'm on my phone", anonymous)
	assert.Equal(t, "app1", st.Node)
	assert.Contains(t, r.Steps[0], "browser")

	r, st = say(st, "ok done", anonymous)
	assert.Equal(t, "app2", st.Node, r.Text)

	r, st = say(st, "still doesnt work", anonymous)
	assert.Equal(t, MobileApp, r.Topic)
	assert.Contains(t, r.Steps[0], "uninstall")

	r, _ = say(st, "didn't help", anonymous)
	assert.True(t, r.Escalated)
}

func TestClarifyingQuestionsBranch(t *testing.T) {
	r, st := say(State{}, "I never got the reset email", anonymous)
	require.Equal(t, ResetEmail, r.Topic)
	assert.Contains(t, r.Text, "access to the e-mail address")
	yes, _ := say(st, "yes", anonymous)
	assert.Contains(t, yes.Steps[0], "spam")
	no, _ := say(st, "no", anonymous)
	assert.Contains(t, no.Steps[0], "Only an administrator or a manager can change the e-mail")

	r, st = say(State{}, "how do I reset my password", anonymous)
	require.Equal(t, ForgotPassword, r.Topic)
	assert.Contains(t, r.Text, "web or in the mobile app")
	web, _ := press(t, st, r, "On the web", anonymous)
	assert.Contains(t, web.Steps[0], "Forgot password?")
	app, _ := say(st, "the app", anonymous)
	assert.Contains(t, app.Text, "no Forgot password link")
}

func TestSwitchTopicMidFlow(t *testing.T) {
	_, st := engine.Respond(State{}, Input{Topic: Lockout}, anonymous)
	r, st := say(st, "the reset email never arrived in my inbox", anonymous)
	assert.Equal(t, ResetEmail, r.Topic)
	assert.Equal(t, ResetEmail, st.Topic)
	assert.Equal(t, 0, st.Step, "a question is not a step")
}

func TestNotUnderstoodRepeatsTheStep(t *testing.T) {
	_, st := engine.Respond(State{}, Input{Topic: Lockout}, anonymous)
	r, next := say(st, "what is the weather like in paris", anonymous)
	assert.Equal(t, st, next)
	assert.Contains(t, r.Text, "didn't catch")
	assert.Contains(t, r.Steps[0], "Stop trying")
}

func TestAdministratorGetsEmployeesLink(t *testing.T) {
	r, st := say(State{}, "how do I reset an employee's password", administrator)
	require.Equal(t, ResetOtherUser, r.Topic)
	assert.Equal(t, "open", st.Node, "no need to ask an administrator whether they are one")
	assert.Contains(t, linkURLs(r), "/p/acme/employees")

	r, st = press(t, st, r, "Done", administrator)
	assert.Contains(t, r.Steps[0], "Force Password Change")
	r, _ = press(t, st, r, "Done", administrator)
	assert.Contains(t, r.Steps[0], "72 hours")
}

func TestAnonymousResetOtherUserAsksRole(t *testing.T) {
	c := anonymous
	c.Links.Employees = "/p/acme/employees" // even if a caller sets it
	r, st := say(State{}, "how can I set a temporary password for my guard", c)
	require.Equal(t, ResetOtherUser, r.Topic)
	assert.Contains(t, r.Text, "administrator or a manager")
	r, _ = press(t, st, r, "Yes", c)
	assert.NotContains(t, linkURLs(r), "/p/acme/employees")
	no, _ := say(st, "no", c)
	assert.Contains(t, no.Text, "Only administrators and managers")
}

func TestAccountManagerWithoutPermission(t *testing.T) {
	r, st := say(State{}, "how do I reset my guard's password", accountManager)
	assert.Equal(t, NoPermission, r.Topic)
	assert.Equal(t, NoPermission, st.Topic)
	assert.Contains(t, r.Text, "Your role, Account Manager, doesn't include the reset-password permission")
	assert.Contains(t, r.Steps[0], "Jane Doe, Sam Lee")
	assert.NotContains(t, linkURLs(r), "/p/acme/employees")

	r, _ = press(t, st, r, "Contact my administrator", accountManager)
	assert.True(t, r.Escalated)
	assert.Contains(t, r.Text, "Jane Doe, Sam Lee")
}

func TestAnonymousNeverLearnsAccountDetails(t *testing.T) {
	leaky := anonymous
	leaky.Role = "Account Manager" // a careless caller must not leak these
	leaky.Administrators = []string{"Jane Doe", "Sam Lee"}
	leaky.Links.Employees = "/p/acme/employees"
	leaky.Links.Account = "/p/acme/account"
	for _, id := range Topics() {
		seen := map[string]bool{}
		queue := []Input{{Topic: id}}
		for len(queue) > 0 && len(seen) < 200 {
			in := queue[0]
			queue = queue[1:]
			r, _ := engine.Respond(State{}, in, leaky)
			for _, text := range append([]string{r.Text}, r.Steps...) {
				assert.NotContains(t, text, "Sam Lee")
				assert.NotContains(t, text, "Account Manager,")
			}
			assert.NotContains(t, linkURLs(r), "/p/acme/employees")
			assert.NotContains(t, linkURLs(r), "/p/acme/account")
			for _, o := range r.Options {
				if !seen[o.Value] {
					seen[o.Value] = true
					queue = append(queue, Input{Choice: o.Value})
				}
			}
		}
	}
}

func TestStartsOnInputTopic(t *testing.T) {
	for _, id := range Topics() {
		r, st := engine.Respond(State{}, Input{Topic: id}, anonymous)
		assert.Equal(t, id, r.Topic)
		assert.Equal(t, id, st.Topic)
	}
	// Text that says nothing specific keeps the error page's topic.
	r, _ := engine.Respond(State{}, Input{Topic: PasswordReuse, Text: "help"}, anonymous)
	assert.Equal(t, PasswordReuse, r.Topic)
}

func TestFallbackAndGreetings(t *testing.T) {
	for _, text := range []string{"hi", "Hello there", "what's the weather tomorrow", "", "???"} {
		r, _ := say(State{}, text, anonymous)
		assert.Equal(t, Fallback, r.Topic, text)
		assert.Contains(t, r.Text, "forgotten password", text)
		assert.NotEmpty(t, r.Options)
	}
	r, st := say(State{}, "hi", anonymous)
	r, _ = press(t, st, r, "I'm locked out", anonymous)
	assert.Equal(t, Lockout, r.Topic)
}

func TestSupportResetSaysNo(t *testing.T) {
	r, _ := say(State{}, "can watchpost support reset my password for me?", anonymous)
	assert.Equal(t, SupportReset, r.Topic)
	assert.Contains(t, r.Text, "can't set, reset or see")
}

func TestStaleOrForgedStateIsHarmless(t *testing.T) {
	for _, st := range []State{{Topic: "nope", Node: "x"}, {Topic: Lockout, Node: "missing", Step: -4}, {Topic: Fallback}} {
		r, _ := engine.Respond(st, Input{Text: "i'm locked out"}, anonymous)
		assert.Equal(t, Lockout, r.Topic)
		r, _ = engine.Respond(st, Input{Choice: "../../etc"}, anonymous)
		assert.Equal(t, Fallback, r.Topic)
	}
}

func TestTitles(t *testing.T) {
	ids := Topics()
	assert.Equal(t, Fallback, ids[len(ids)-1])
	assert.Len(t, ids, 12)
	for _, id := range ids {
		assert.NotEmpty(t, Title(id), id)
	}
	assert.Equal(t, "Locked out", Title(Lockout))
	assert.Empty(t, Title("nope"))
}

func TestKnowledgeCompiles(t *testing.T) {
	_, err := compile()
	require.NoError(t, err)
}
