package bot

import (
	"strings"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var engine = New()

var (
	anonymous = Context{PortalName: "Acme Security", AdminContact: "Jane Doe, jane@acme.example, ext. 100",
		Links: Links{ForgotPassword: "/p/acme/forgot", SignIn: "/p/acme/signin", Article: "/help/articles/password-assistance"}}
	administrator = Context{PortalName: "Acme Security", SignedIn: true, Role: "Administrator", CanResetOthers: true,
		Administrators: []Admin{{"Jane Doe", "jane@acme.example"}, {"Sam Lee", "sam@acme.example"}},
		Links:          Links{ForgotPassword: "/p/acme/forgot", Employees: "/p/acme/employees"}}
	accountManager = Context{PortalName: "Acme Security", SignedIn: true, Role: "Account Manager",
		Administrators: []Admin{{"Jane Doe", "jane@acme.example"}, {"Sam Lee", "sam@acme.example"}},
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

func linkURLs(r Reply) []string {
	var out []string
	for _, l := range r.Links {
		out = append(out, l.URL)
	}
	return out
}

// TestEveryTopicReachesEscalation presses "didn't work"-style buttons (else
// the first one) from the start of each topic until the administrator
// contact is shown, in every language.
func TestEveryTopicReachesEscalation(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.French, i18n.Spanish} {
		c := anonymous
		c.Lang = lang
		for _, id := range Topics() {
			if id == Fallback {
				continue
			}
			r, st := engine.Respond(State{}, Input{Topic: id}, c)
			for range 8 {
				if r.Escalated {
					break
				}
				require.NotEmpty(t, r.Options, "%s/%s stuck at %s", lang, id, st.Node)
				next := r.Options[0]
				for _, o := range r.Options {
					if strings.Contains(o.Value, "escalate") || strings.Contains(o.Value, "/admin") {
						next = o
					}
				}
				r, st = engine.Respond(st, Input{Choice: next.Value}, c)
			}
			assert.True(t, r.Escalated, "%s/%s never escalates", lang, id)
			assert.True(t, r.End, "escalation ends the flow")
			assert.Contains(t, linkURLs(r), "mailto:jane@acme.example", "administrator as a mailto link")
			assert.NotContains(t, r.Text, "{{", "%s/%s: unfilled placeholder", lang, id)
		}
	}
}

// lastOf says which of the words comes last in text; HR/payroll/IT must.
func TestEscalationOffersHRLast(t *testing.T) {
	r, _ := engine.Respond(State{}, Input{Topic: ContactAdmin}, administrator)
	admin, hr := strings.Index(r.Text, "Jane Doe"), strings.Index(r.Text, "HR/payroll or IT")
	assert.True(t, admin >= 0 && hr > admin, r.Text)
	assert.True(t, strings.HasSuffix(r.Text, "IT department."), r.Text)
}

// conversation is a scenario typed in words: each message and the node it
// must reach.
type conversation struct {
	name  string
	c     Context
	turns []struct{ text, topic, node string }
}

func turns(pairs ...string) []struct{ text, topic, node string } {
	var out []struct{ text, topic, node string }
	for i := 0; i+2 < len(pairs)+1; i += 3 {
		out = append(out, struct{ text, topic, node string }{pairs[i], pairs[i+1], pairs[i+2]})
	}
	return out
}

func TestConversationsTypedInWords(t *testing.T) {
	cases := []conversation{
		{"still not working is not 'No, not yet'", anonymous, turns(
			"the app won't take my password", MobileApp, "start",
			"still not working", MobileApp, "still")},
		{"signed out and closed the app is not re-asked", anonymous, turns(
			"the mobile app keeps refusing my password", MobileApp, "start",
			"I signed out and closed the app, still failing", MobileApp, "reinstall")},
		{"reinstalled and still nothing escalates, not reset_email", anonymous, turns(
			"I reset my password on the website but the app still says invalid", MobileApp, "still",
			"did that, still failing", MobileApp, "reinstall",
			"reinstalled it and still nothing", MobileApp, "escalate")},
		{"they fixed it, I requested again goes on", anonymous, turns(
			"the reset email goes to an old address I can't open", ResetEmail, "start",
			"no", ResetEmail, "wrong",
			"ok they fixed it, I requested again", ResetEmail, "link",
			"it worked", ResetEmail, "solved")},
		{"lockout to the administrator", anonymous, turns(
			"it says try again in 14 minutes", Lockout, "start",
			"ok done", Lockout, "reset",
			"done", Lockout, "signin",
			"still locked out", Lockout, "escalate")},
		{"new topic mid-flow switches cleanly", anonymous, turns(
			"I'm locked out", Lockout, "start",
			"actually the reset email never arrived in my inbox", ResetEmail, "start")},
		{"French lockout to the administrator", anonymous, turns(
			"mon compte est verrouillé, trop de tentatives", Lockout, "start",
			"c'est fait", Lockout, "reset",
			"ça ne marche toujours pas", Lockout, "escalate")},
		{"Spanish app flow", anonymous, turns(
			"la aplicación no acepta mi contraseña nueva", MobileApp, "start",
			"sí, ya la restablecí en la web", MobileApp, "still",
			"sigue sin funcionar", MobileApp, "reinstall")},
		{"a manager is not asked again", anonymous, turns(
			"I'm a manager, how do I reset a guard's password", ResetOtherUser, "open",
			"done", ResetOtherUser, "set")},
		{"account manager told first about the permission", accountManager, turns(
			"how do I reset an employee's password", NoPermission, "role")},
		{"forgot, not locked", anonymous, turns(
			"I'm not locked out, I just forgot it", ForgotPassword, "start",
			"on the web", ForgotPassword, "web1",
			"done", ForgotPassword, "web2")},
		{"two-step: lost phone", anonymous, turns(
			"I lost my phone and can't get the authenticator code", TwoStep, "start",
			"no", TwoStep, "recovery",
			"I don't have any recovery code", TwoStep, "admin")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var st State
			for _, tn := range tc.turns {
				var r Reply
				r, st = engine.Respond(st, Input{Text: tn.text}, tc.c)
				assert.Equal(t, tn.topic+"/"+tn.node, st.Topic+"/"+st.Node, "after %q: %s (%s)", tn.text, r.Text, r.Why)
			}
		})
	}
}

func TestAnswersInThePersonsLanguage(t *testing.T) {
	r, st := say(State{}, "j'ai oublié mon mot de passe", anonymous)
	assert.Equal(t, "fr", r.Lang)
	assert.Contains(t, r.Text, "Vous pouvez")
	r, _ = say(st, "oui", anonymous) // short replies keep the language
	assert.Equal(t, "fr", r.Lang)
	c := anonymous
	c.Lang = i18n.Spanish
	r, _ = engine.Respond(State{}, Input{Topic: Lockout}, c)
	assert.Equal(t, "es", r.Lang)
	assert.Contains(t, r.Text, "bloquea")
}

func TestNumbersComeFromThePolicy(t *testing.T) {
	c := anonymous
	c.Policy = domain.DefaultPolicy()
	c.Policy.LockoutMinutes, c.Policy.ResetLinkMinutes, c.Policy.MinLength, c.Policy.HistoryDepth, c.Policy.TempPasswordHours = 25, 30, 14, 8, 48
	r, _ := engine.Respond(State{}, Input{Topic: Lockout}, c)
	assert.Contains(t, r.Text, "25 minutes")
	r, _ = engine.Respond(State{}, Input{Topic: PasswordReuse}, c)
	assert.Contains(t, r.Text, "last 8 passwords")
	assert.Contains(t, r.Steps[0], "at least 14 characters")
	r, _ = engine.Respond(State{}, Input{Topic: ResetEmail}, c)
	assert.Contains(t, r.Text, "30 minutes")
	r, _ = engine.Respond(State{}, Input{Topic: ForceChange}, c)
	_, st := engine.Respond(State{}, Input{Topic: ForceChange}, c)
	r, _ = engine.Respond(st, Input{Choice: "force_change/expired"}, c)
	assert.Contains(t, r.Steps[0], "48 hours")
}

func TestCloseTopicsAskWhich(t *testing.T) {
	asked := 0
	for _, text := range []string{"password problem", "reset", "my account", "reset my password", "password not working"} {
		r, _ := say(State{}, text, anonymous)
		if r.Topic != Fallback || len(r.Options) != 2 {
			continue
		}
		asked++
		for _, o := range r.Options {
			topic, node, _ := strings.Cut(o.Value, "/")
			assert.Contains(t, Topics(), topic, text)
			assert.Equal(t, "start", node, text)
		}
		assert.NotEqual(t, r.Options[0].Value, r.Options[1].Value, text)
	}
	assert.Positive(t, asked, "vague messages get a which-one question")
}

func TestOffTopicLookalikes(t *testing.T) {
	for _, text := range []string{"how do I reset my Outlook password", "what's the alarm code for the building", "I got locked out of the building"} {
		r, _ := say(State{}, text, anonymous)
		assert.Equal(t, Fallback, r.Topic, text)
		assert.Contains(t, r.Text, "I can only help with signing in to Acme Security", text)
	}
}

func TestOldButtonsStillWork(t *testing.T) {
	r, st := engine.Respond(State{}, Input{Topic: Lockout}, anonymous)
	old := r.Options[0].Value
	_, st = say(st, "the reset email never arrived", anonymous)
	require.Equal(t, ResetEmail, st.Topic)
	r, st = engine.Respond(st, Input{Choice: old}, anonymous)
	assert.Equal(t, Lockout+"/reset", st.Topic+"/"+st.Node)
}

func TestHelpfulOnlyAtTheEnd(t *testing.T) {
	r, st := say(State{}, "I forgot my password", anonymous)
	assert.False(t, r.End)
	r, st = press(t, st, r, "On the web", anonymous)
	assert.False(t, r.End)
	r, _ = engine.Respond(st, Input{Choice: "forgot_password/solved"}, anonymous)
	assert.True(t, r.End)
}

func TestRecognitionExplainsItself(t *testing.T) {
	r := engine.Recognise("my acount is lockd after to many tries")
	assert.Equal(t, Lockout, r.Topic)
	assert.NotEmpty(t, r.Evidence)
	assert.Contains(t, r.String(), "because of")
	assert.Equal(t, r, engine.Recognise("my acount is lockd after to many tries"), "reproduces exactly")
}

func TestStaleOrForgedStateIsHarmless(t *testing.T) {
	for _, st := range []State{{Topic: "nope", Node: "x"}, {Topic: Lockout, Node: "gone"}, {Topic: Lockout, Node: "start", Step: -3, Lang: "xx"}} {
		r, _ := say(st, "done", anonymous)
		assert.NotEmpty(t, r.Text)
		r, _ = engine.Respond(st, Input{Choice: "nope/none"}, anonymous)
		assert.NotEmpty(t, r.Text)
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
	assert.Equal(t, "Compte verrouillé", TitleIn(i18n.French, Lockout))
	assert.Empty(t, Title("nope"))
}

func TestConversationsInFrenchAndSpanish(t *testing.T) {
	fr := anonymous
	fr.Lang = i18n.French
	cases := []conversation{
		{"French page, typed reset e-mail flow", fr, turns(
			"je n'ai jamais reçu le mail de réinitialisation", ResetEmail, "start",
			"oui", ResetEmail, "check",
			"rien du tout", ResetEmail, "again",
			"c'est fait", ResetEmail, "link")},
		{"Spanish two-step", anonymous, turns(
			"perdí el teléfono y no tengo el código de verificación", TwoStep, "start",
			"no", TwoStep, "recovery")},
		{"French app, facts kept", fr, turns(
			"l'appli refuse mon nouveau mot de passe alors que je l'ai déjà réinitialisé sur le site", MobileApp, "still",
			"toujours pas", MobileApp, "reinstall")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var st State
			var r Reply
			for _, tn := range tc.turns {
				r, st = engine.Respond(st, Input{Text: tn.text}, tc.c)
				assert.Equal(t, tn.topic+"/"+tn.node, st.Topic+"/"+st.Node, "after %q: %s (%s)", tn.text, r.Text, r.Why)
			}
			assert.NotEqual(t, "en", r.Lang, "answered in the person's language")
		})
	}
}

func TestClearlyAnotherLanguageWins(t *testing.T) {
	fr := anonymous
	fr.Lang = i18n.French
	r, _ := engine.Respond(State{}, Input{Text: "I forgot my password and need to reset it"}, fr)
	assert.Equal(t, "en", r.Lang, "a clearly English message on a French page is answered in English")
	r, _ = engine.Respond(State{}, Input{Text: "ok"}, fr)
	assert.Equal(t, "fr", r.Lang, "a short message keeps the page's language")
}
