package bot

import (
	"strings"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Conversation tests: typed conversations of the kinds issue 20 lists, each
// asserting the step reached. The messages are our own, written from the
// product guidance (PRODUCT.md), not taken from any evaluation set.

// talk plays messages in order and returns every reply.
func talk(t *testing.T, c Context, msgs ...string) ([]Reply, State) {
	t.Helper()
	var st State
	var out []Reply
	for _, m := range msgs {
		var r Reply
		r, st = say(st, m, c)
		out = append(out, r)
	}
	return out, st
}

func TestAStartThatReportsFailureIsNotSuccess(t *testing.T) {
	// "ok" / "done" followed by a failure must never end the flow as solved.
	rs, st := talk(t, anonymous,
		"I forgot my password for the portal",
		"ok I clicked forgot password and asked for the link but nothing has arrived, not even in junk")
	assert.False(t, rs[1].End, "a failure is not the end: %+v", rs[1])
	assert.NotContains(t, rs[1].Text, "Glad that worked")
	assert.True(t, st.Facts.Has(FactNoEmail), "facts %v", st.Facts.Names())

	rs, _ = talk(t, anonymous, "I'm locked out of my account", "done, I reset it, but it still says my account is locked")
	assert.False(t, rs[1].End && !rs[1].Escalated, "still locked is not solved: %+v", rs[1])
	assert.NotContains(t, rs[1].Text, "Glad that worked")
}

func TestFactsInTheFirstMessage(t *testing.T) {
	// Waited and reset already, still locked: straight to the administrators.
	rs, st := talk(t, anonymous, "my account is locked, I waited an hour and I also reset my password with forgot password, still locked")
	assert.Equal(t, Lockout, rs[0].Topic)
	assert.Equal(t, "contact_admin", rs[0].Node, "facts %v", st.Facts.Names())
	assert.Contains(t, strings.Join(rs[0].Steps, " "), "contact")

	// Reset on the web already, the app refuses it: the app steps, not the reset again.
	rs, st = talk(t, anonymous, "I changed my password on the website yesterday but the phone app keeps saying wrong password")
	assert.Equal(t, MobileApp, rs[0].Topic)
	assert.Equal(t, "app_sign_out_close", rs[0].Node, "facts %v", st.Facts.Names())

	// A first message of two words names the problem and tells nothing tried:
	// the plan starts at its first step ("mdp oublié" once read as "did the
	// reset already" and sent the person to the administrators).
	for msg, topic := range map[string]string{"mdp oublié": ForgotPassword, "compte bloqué": Lockout, "forgot password": ForgotPassword} {
		rs, st = talk(t, anonymous, msg)
		assert.Equal(t, topic, rs[0].Topic, msg)
		assert.Equal(t, plans[topic][0], rs[0].Node, "%s: facts %v", msg, st.Facts.Names())
	}
}

func TestAFirstMessageKeepsOnlyItsSureFacts(t *testing.T) {
	// A first message describes the problem: facts read only half-surely
	// into it ("I'm a new guard" as a manager, a new phone as a reset done)
	// are not kept.
	_, st := talk(t, anonymous, "new phone and new number, the code screen won't let me in")
	assert.True(t, st.Facts.Has(FactLostPhone), "facts %v", st.Facts.Names())
	assert.False(t, st.Facts.Has(FactResetDone), "facts %v", st.Facts.Names())
	_, st = talk(t, anonymous, "I'm a new guard and nobody told me who runs our portal, how do I reach them?")
	assert.True(t, st.Facts.Has(FactAdminUnknown), "facts %v", st.Facts.Names())
	assert.False(t, st.Facts.Has(FactIsManager), "facts %v", st.Facts.Names())
}

func TestForgotItInTheAppIsTheAppsTopic(t *testing.T) {
	// Read as "forgot password", but in the app, which has no reset link:
	// the app's topic, which says where to reset.
	for _, msg := range []string{"I forgot my password, how do I reset it in the app?", "can't remember my password for the app"} {
		require.Equal(t, ForgotPassword, engine.rc.recognise(msg).Topic, msg)
		rs, _ := talk(t, anonymous, msg)
		assert.Equal(t, MobileApp, rs[0].Topic, msg)
		assert.Equal(t, "app_reset_on_web_first", rs[0].Node, msg)
	}
}

func TestAnswersInASentenceMoveOn(t *testing.T) {
	// A reply with no yes/no word that reports doing the step and still failing.
	rs, _ := talk(t, anonymous,
		"I can't get the app to accept my new password",
		"yes I did it on the computer",
		"logged out of the app and closed it completely, reopened, still the same error")
	assert.Equal(t, "app_reinstall", rs[2].Node)
	assert.NotContains(t, rs[2].Text, "didn't catch")
}

func TestNeverAskAgainWhatWasSaid(t *testing.T) {
	rs, st := talk(t, anonymous,
		"the password reset email never arrives",
		"I looked in the spam folder already, there is nothing")
	assert.NotEqual(t, "spam", rs[1].Node, "spam was checked: not asked again")
	assert.True(t, st.Facts.Has(FactCheckedSpam))
	for _, r := range rs[1:] {
		for _, s := range r.Steps {
			assert.NotContains(t, s, "spam", "spam already checked")
		}
	}
	// No step is given twice in a conversation.
	rs, st = talk(t, anonymous, "locked out", "still locked", "still locked", "still locked", "still locked", "still locked", "still locked")
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Node != "" {
			assert.False(t, seen[r.Node], "step %s given twice", r.Node)
			seen[r.Node] = true
		}
	}
	assert.Contains(t, st.Given, "contact_admin")
	assert.Contains(t, st.Given, "hr_it", "the ladder ends with HR/payroll or IT")
}

func TestQuestionsBackAreAnswered(t *testing.T) {
	c := anonymous
	c.Policy = domain.DefaultPolicy()
	c.Policy.LockoutMinutes = 25
	rs, st := talk(t, c, "my account got locked out", "how long does the lock last?")
	assert.Equal(t, "lock_reset_or_wait", st.Node, "the question does not move the flow")
	assert.Contains(t, rs[1].Text, "25 minutes", "the portal's own lock length")

	rs, _ = talk(t, anonymous, "my account got locked out", "can't you just unlock it for me from your side, it's urgent")
	assert.Contains(t, strings.ToLower(rs[1].Text), "vendor support can't", "support cannot unlock, and why")

	// Asked whether support can do it, the answer says who can: the person,
	// or the portal's administrator, named.
	rs, _ = talk(t, anonymous, "can vendor support reset my password for me?")
	assert.Equal(t, SupportReset, rs[0].Topic)
	assert.Contains(t, rs[0].Text, "Jane Doe", "the administrator, named: %s", rs[0].Text)
}

func TestNewProblemWhileAYesNoIsPending(t *testing.T) {
	rs, st := talk(t, anonymous,
		"the mobile app won't let me log in",
		"I lost my phone with the authenticator app and I have no recovery codes")
	assert.Equal(t, "app_reset_on_web_first", rs[0].Node)
	assert.Equal(t, TwoStep, rs[1].Topic, "a new problem is not the yes/no's answer")
	assert.True(t, st.Facts.Has(FactLostPhone))
	assert.NotEqual(t, "two_step_time", rs[1].Node, "the lost phone rules out the clock step")
}

func TestManagerIsNotAskedWhetherTheyAreAManager(t *testing.T) {
	rs, _ := talk(t, anonymous, "I'm a site supervisor, how do I reset the password of one of my guards?")
	assert.Equal(t, ResetOtherUser, rs[0].Topic)
	assert.Equal(t, "admin_open_profile", rs[0].Node)
}

func TestLockedOutLeadsWithTheReset(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.English, i18n.French, i18n.Spanish} {
		c := anonymous
		c.Lang = l
		r, _ := engine.Respond(State{}, Input{Topic: Lockout}, c)
		step := strings.Join(r.Steps, " ")
		reset := strings.Index(step, l.T("pages.signin.forgot_password"))
		require.GreaterOrEqual(t, reset, 0, "%s: %s", l, step)
		assert.Less(t, reset, strings.Index(step, "15"), "%s: the reset comes before the wait: %s", l, step)
	}
}

func TestAmbiguousReplyAsksWhetherItWorked(t *testing.T) {
	_, st := talk(t, anonymous, "I forgot my password")
	require.Equal(t, "open_forgot", st.Node)
	r, st2 := say(st, "hmm", anonymous)
	assert.False(t, r.End, "never assume success: %+v", r)
	if st2.Confirm {
		assert.Len(t, r.Options, 2)
		r, st2 = press(t, st2, r, "No, still failing", anonymous)
		assert.False(t, r.End)
		assert.NotEqual(t, "open_forgot", st2.Node)
	}
}

func TestEveryPlanEndsWithAdministratorsThenHR(t *testing.T) {
	for topic, plan := range plans {
		if topic == Fallback {
			continue
		}
		require.GreaterOrEqual(t, len(plan), 2, topic)
		assert.Equal(t, []string{"contact_admin", "hr_it"}, plan[len(plan)-2:], topic)
	}
	// Pressing "still failing" through a plan reaches the administrators, then HR/IT.
	r, st := engine.Respond(State{}, Input{Topic: ForgotPassword}, administrator)
	var nodes []string
	for range 20 {
		nodes = append(nodes, r.Node)
		if r.Node == "hr_it" {
			break
		}
		var value string
		for _, o := range r.Options {
			if act := o.Value[strings.LastIndex(o.Value, "/")+1:]; act == ActStillFailing || act == ActNo {
				value = o.Value
			}
		}
		require.NotEmpty(t, value, "no way on from %s", r.Node)
		r, st = engine.Respond(st, Input{Choice: value}, administrator)
		if r.Node == "contact_admin" {
			assert.Contains(t, linkURLs(r), "mailto:jane@acme.example", "administrators named with mailto links")
			assert.Contains(t, r.Text+strings.Join(r.Steps, " "), "Jane Doe")
		}
	}
	assert.Contains(t, nodes, "contact_admin")
	assert.Equal(t, "hr_it", nodes[len(nodes)-1])
	assert.Contains(t, strings.Join(r.Steps, " "), "HR/payroll or IT")
}

func TestAnswersInThePersonsLanguage(t *testing.T) {
	rs, _ := talk(t, anonymous, "j'ai oublié mon mot de passe", "toujours rien reçu, même dans les spams")
	assert.Equal(t, "fr", rs[1].Lang)
	rs, _ = talk(t, anonymous, "olvidé mi contraseña del portal", "ya lo hice y sigue sin llegar el correo")
	assert.Equal(t, "es", rs[1].Lang)
}

func TestStaleOrForgedStateIsHarmless(t *testing.T) {
	for _, st := range []State{{Topic: "nope", Node: "x"}, {Topic: Lockout, Node: "nope"}, {Topic: Lockout, Node: "hr_it", Given: []string{"zzz"}}} {
		r, _ := say(st, "still not working", anonymous)
		assert.NotEmpty(t, r.Text+strings.Join(r.Steps, ""))
	}
	r, _ := engine.Respond(State{}, Input{Choice: "lockout/nope/worked"}, anonymous)
	assert.NotEmpty(t, r.Text)
}

func linkURLs(r Reply) []string {
	var out []string
	for _, l := range r.Links {
		out = append(out, l.URL)
	}
	return out
}

func TestTheAddressFixedAndSignedInEnds(t *testing.T) {
	// "The address was fixed" reopens the request step, unless the same
	// reply says the new link came and they are in.
	rs, _ := talk(t, anonymous, "the reset email never arrives", "checked spam, nothing there",
		"no, that is my old address from my last job", "the admin fixed my address, requested a new link and it came, all good now")
	require.Equal(t, "contact_admin", rs[2].Node)
	last := rs[len(rs)-1]
	assert.Empty(t, last.Node, "nothing left to do: %+v", last)
	assert.Equal(t, i18n.English.T("bot.solved.say"), last.Text)
}

func TestAskingWhatNowOnceTheAddressIsFixedMovesOn(t *testing.T) {
	// Asked whether the address is right, they say it was fixed and ask
	// what now: request the link again, not how to get the address fixed.
	rs, st := talk(t, anonymous, "the reset email never arrives", "checked spam, nothing there",
		"my supervisor says it was spelled wrong and he corrected it, do I ask for the link again?")
	require.Equal(t, "email_right", rs[1].Node)
	assert.Equal(t, "request_again", rs[2].Node, "facts %v", st.Facts.Names())
}

func TestTriedNewPasswordsAlreadyGoesToTheAdministratorsStep(t *testing.T) {
	// A first message saying brand-new passwords are refused too skips
	// "choose one never used here"; the bare problem starts there.
	for _, msg := range []string{"tried a totally new passphrase and it still says cannot be reused",
		"I've tried 4 different new passwords and it keeps saying it can't be reused"} {
		rs, _ := talk(t, anonymous, msg)
		assert.Equal(t, PasswordReuse, rs[0].Topic, msg)
		assert.Equal(t, "reuse_admin", rs[0].Node, msg)
	}
	rs, _ := talk(t, anonymous, "it says my password can't be reused")
	assert.Equal(t, "reused_choose_new", rs[0].Node)
}

func TestNoIdeaAboutRecoveryCodesIsNotHavingThem(t *testing.T) {
	// "No idea" to the recovery codes: they don't have them, so the
	// administrator, who resets two-step verification; not the codes again.
	for _, msg := range []string{"no idea", "aucune idée"} {
		rs, st := talk(t, anonymous, "I lost my phone with the authenticator app", msg)
		require.Equal(t, "two_step_recovery", rs[0].Node)
		assert.Equal(t, "contact_admin", rs[1].Node, msg)
		assert.True(t, st.Facts.Has(FactNoRecoveryCodes), msg)
	}
}

func TestAnUnsureQuestionAboutTheResetEmailSaysWhoFixesTheAddress(t *testing.T) {
	// The address on the profile is old; "why can't I do it in settings?"
	// is not placed by the question model: the topic's answer, which says
	// who corrects the address.
	rs, _ := talk(t, anonymous, "the reset email never comes", "spam is empty", "no, it's an address I don't use anymore", "why can't I do it in settings?")
	require.Equal(t, "contact_admin", rs[2].Node)
	assert.Contains(t, rs[3].Text, "an administrator or a manager of your portal corrects it")
}

func TestDoingItMyselfWhenTheAddressIsWrongIsAboutTheAddress(t *testing.T) {
	// The address on the profile is wrong: "is there a way for me to update
	// it?" asks about changing the address (an administrator or a manager
	// does), not about resetting the password.
	for _, q := range []string{"is there a way for me to update it?", "can I edit it from my account page?"} {
		rs, _ := talk(t, anonymous, "the reset email never comes", "spam is empty", "no, it's an address I don't use anymore", q)
		assert.Equal(t, "email_fix", rs[3].Read.Asked, q)
		assert.Contains(t, rs[3].Text, "You can't change the e-mail address on your profile yourself", q)
	}
}

func TestTheEmailCameGoesOnToTheNewPassword(t *testing.T) {
	// "Got the email" after "Forgot password?": the e-mail came; the next
	// step is setting the new password, not the spam folder of the
	// reset-email topic.
	for _, msg := range []string{"got the email", "ok got the reset mail", "j'ai reçu le mail"} {
		rs, _ := talk(t, anonymous, "I forgot my password", msg)
		require.Equal(t, "open_forgot", rs[0].Node)
		assert.Equal(t, "set_password", rs[1].Node, msg)
	}
}

func TestCorrectedEmailGoesBackToTheRequest(t *testing.T) {
	rs, st := talk(t, anonymous,
		"the password reset email never arrives",
		"I looked in spam and junk, nothing there",
		"no, that is an old address I cannot open any more",
		"my manager has corrected the e-mail address on my profile now")
	assert.Equal(t, "contact_admin", rs[2].Node, "a wrong address goes to who can correct it")
	assert.False(t, st.Facts.Has(FactEmailWrong), "a corrected address is no longer wrong: %v", st.Facts.Names())
	assert.Equal(t, "request_again", rs[3].Node, "then the link is requested again")
}

func TestAReplyEndingInAQuestionIsNotSuccess(t *testing.T) {
	_, st := talk(t, anonymous, "I lost my phone and can't get the 6-digit code")
	r, _ := say(st, "great, I found my printed codes, where do I type one?", anonymous)
	assert.False(t, r.End, "a question is answered, not taken as solved: %+v", r)
}

// TestTopicNamedInsteadOfAnAnswerSwitches: asked from the app whether they already reset
// on the web, a person who answers "I forgot my password" has not: they get the web
// reset, not the app's next step (sign out and back in).
func TestTopicNamedInsteadOfAnAnswerSwitches(t *testing.T) {
	r, st := engine.Respond(State{}, Input{Topic: MobileApp}, anonymous)
	require.NotEmpty(t, r.Options, "the app's topic asks whether they reset on the web")
	r, _ = say(st, "I forgot my password", anonymous)
	assert.NotContains(t, strings.Join(r.Steps, " "), "Sign out of the app")
	var forgot bool
	for _, l := range r.Links {
		forgot = forgot || l.URL == anonymous.Links.ForgotPassword
	}
	assert.True(t, forgot, "a link to the web's Forgot password page: %+v", r)
}

// TestQuestionsBackByWhatTheyAsk: the question model reads what a question
// asks, and the answer carries the portal's live policy and contacts, in the
// person's language, while the step keeps waiting.
func TestQuestionsBackByWhatTheyAsk(t *testing.T) {
	c := anonymous
	c.Policy = domain.DefaultPolicy()
	c.Policy.ResetLinkMinutes, c.Policy.MinLength = 45, 14
	for _, tc := range []struct {
		name, first, question, want string
		lang                        i18n.Lang
		moves                       bool // what the question tells moves the flow on
	}{
		{"link lifetime", "I forgot my password", "and for how long does that reset link stay good?", "45 minutes", i18n.English, false},
		{"fix the address", "the reset email never shows up", "is it possible to update the email on my profile on my own?", "jane@acme.example", i18n.English, false},
		{"nobody answers", "I'm locked out of my account", "what do I do if the admin is on leave and no one picks up?", "HR/payroll or IT", i18n.English, true},
		{"recovery code", "j'ai changé de téléphone et je n'ai plus mes codes à 6 chiffres", "c'est quoi au juste un code de récupération ?", "code de récupération", i18n.French, false},
		{"password length", "me dice que no puedo reutilizar la contraseña", "cuántos caracteres tiene que tener como mínimo?", "14", i18n.Spanish, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c
			c.Lang = tc.lang
			rs, st := talk(t, c, tc.first, tc.question)
			if !tc.moves {
				assert.Equal(t, rs[0].Node, st.Node, "the question does not move the flow")
			}
			if !tc.moves {
				assert.False(t, rs[1].End, "a question is not the end")
			}
			assert.Contains(t, rs[1].Text+" "+strings.Join(rs[1].Steps, " ")+" "+strings.Join(linkURLs(rs[1]), " "), tc.want, "answer: %+v", rs[1])
		})
	}
}

// TestAFactThatNeedsAnotherTopicMovesThere: a person changing a temporary
// password who says the reset e-mail never came gets the e-mail steps.
func TestAFactThatNeedsAnotherTopicMovesThere(t *testing.T) {
	rs, st := talk(t, anonymous,
		"it tells me I must change my password before I can continue",
		"my temporary one expired so I used forgot password, but the email with the link never arrived")
	assert.Equal(t, ForceChange, rs[0].Topic)
	assert.Equal(t, ResetEmail, rs[1].Topic, "facts %v", st.Facts.Names())
	assert.Equal(t, "spam", rs[1].Node)
	assert.False(t, st.Facts.Has(FactResetDone), "a reset whose e-mail never came was not done")
}

// TestTheAppStillRefusingAnswersTheWebQuestion: asked whether they reset on
// the web, "the website takes it but the app doesn't" is a yes.
func TestTheAppStillRefusingAnswersTheWebQuestion(t *testing.T) {
	rs, _ := talk(t, anonymous, "the phone app won't log me in", "the site on my laptop takes the password fine, the app keeps refusing it")
	assert.Equal(t, "app_reset_on_web_first", rs[0].Node)
	assert.Equal(t, "app_sign_out_close", rs[1].Node)
}

// TestAQuestionAfterTheEndIsAnswered: once solved, a question is answered,
// not taken as "that worked".
func TestAQuestionAfterTheEndIsAnswered(t *testing.T) {
	rs, _ := talk(t, anonymous, "I forgot my password", "that worked, I'm in", "by the way how long is one of those reset links valid?")
	require.True(t, rs[1].End)
	assert.NotContains(t, rs[2].Text, "Glad that worked")
	assert.Contains(t, rs[2].Text, "60 minutes")
}

// TestYesToAnInstructionAsksWhetherItWorked: "yes" after "request a new link"
// says it was done, not that it worked: the assistant asks, never ends.
func TestAWeakWorkedWithANegationIsAsked(t *testing.T) {
	// Read as "it worked", not surely, with "no" or "pas" in it: ask, never
	// assume success.
	for _, tc := range []struct{ start, reply string }{
		{"the phone app won't take my new password", "logged off, force closed it, started it again, entered my new password. no luck"},
		{"ça me dit que le mot de passe a déjà été utilisé", "j'ai juste changé le chiffre à la fin ça passe pas"},
	} {
		msgs := []string{tc.start, tc.reply}
		if strings.Contains(tc.start, "app") {
			msgs = []string{tc.start, "yes I reset it on the website", tc.reply}
		}
		rs, st := talk(t, anonymous, msgs...)
		last := rs[len(rs)-1]
		assert.False(t, last.End, "%q: %+v", tc.reply, last)
		assert.True(t, st.Confirm, "%q asks whether it worked: %+v", tc.reply, last)
	}
}

func TestYesToAnInstructionAsksWhetherItWorked(t *testing.T) {
	_, st := talk(t, anonymous, "I forgot my password")
	require.Equal(t, "open_forgot", st.Node)
	r, st := say(st, "yes", anonymous)
	assert.False(t, r.End, "a yes is not success: %+v", r)
	assert.True(t, st.Confirm, "it asks whether that fixed it")
	assert.Equal(t, "open_forgot", r.Node)
}

// TestCannotSetTheClockMeansNoPhone: at the phone's clock step, "I can't, I
// don't have it" rules the clock out and goes on to recovery codes.
func TestCannotSetTheClockMeansNoPhone(t *testing.T) {
	r, st := engine.Respond(State{}, Input{Choice: optionValue(TwoStep, "start")}, anonymous)
	require.Equal(t, "two_step_time", r.Node)
	r, st = engine.Respond(st, Input{Choice: optionValue(TwoStep, "two_step_time", ActNotDone)}, anonymous)
	assert.True(t, st.Facts.Has(FactLostPhone), "facts %v", st.Facts.Names())
	assert.Equal(t, "two_step_recovery", r.Node)
}

// TestAdministratorUnreachableGoesOnToHRorIT: at the administrators' step,
// saying they cannot be reached is the next rung, however it is phrased.
func TestAdministratorUnreachableGoesOnToHRorIT(t *testing.T) {
	for _, msg := range []string{
		"tried calling the admin three times, no answer, and the office is closed till monday",
		"nadie contesta en la oficina y el administrador esta de vacaciones hasta el lunes",
	} {
		r, st := engine.Respond(State{}, Input{Choice: optionValue(ContactAdmin, "start")}, anonymous)
		require.Equal(t, "contact_admin", r.Node)
		r, _ = say(st, msg, anonymous)
		assert.Equal(t, "hr_it", r.Node, "%q: %+v", msg, r)
	}
}

func TestAQuestionAboutSomethingElseSaysWhatTheAssistantCovers(t *testing.T) {
	// Mid-flow, a question about none of our topics is told what the
	// assistant covers, and the step keeps waiting with its buttons; the
	// current topic's explanation is not an answer to it.
	for _, tc := range []struct{ start, aside string }{
		{"I'm locked out of my account", "can you recommend a good pizza place near the depot?"},
		{"mot de passe oublié, je n'arrive plus à me connecter", "tu connais une bonne pizzeria près du dépôt ?"},
		{"olvidé mi contraseña y no puedo entrar", "¿conoce una buena pizzería cerca del depósito?"},
	} {
		rs, st := talk(t, anonymous, tc.start, tc.aside)
		node := rs[0].Node
		require.NotEmpty(t, node, "%q", tc.start)
		assert.Equal(t, node, st.Node, "the step still waits: %q", tc.aside)
		assert.Equal(t, i18n.Lang(rs[1].Lang).T("bot.off_topic", "Portal", anonymous.PortalName), rs[1].Text, "%q", tc.aside)
		assert.NotEmpty(t, rs[1].Options, "the step's buttons stay")
	}
}

func TestAnOffTopicMessageIsNotMovedByItsLastWords(t *testing.T) {
	// Surely about none of our topics, though its last words read as vendor
	// support: what the assistant covers, the step still waiting.
	rs, st := talk(t, anonymous, "my account is locked", "also my netflix and my bank app got hacked last month, their support couldn't reset anything")
	assert.Equal(t, Lockout, rs[1].Topic)
	assert.Equal(t, "lock_reset_or_wait", st.Node)
	assert.Equal(t, i18n.English.T("bot.off_topic", "Portal", anonymous.PortalName), rs[1].Text)
}

func TestAnotherAccountMentionedInPassingSaysWhatTheAssistantCovers(t *testing.T) {
	// "the guard post's wifi password doesn't work either" uses our words
	// (password, doesn't work) about another account. Read weakly as "still
	// failing", it moved the lockout on a step; it is told what the
	// assistant covers, and the step keeps waiting.
	rs, st := talk(t, anonymous, "tengo la cuenta bloqueada", "la contraseña del wifi del puesto tampoco")
	require.Equal(t, "lock_reset_or_wait", rs[0].Node)
	assert.Equal(t, "lock_reset_or_wait", st.Node, "the step still waits")
	assert.Equal(t, i18n.Spanish.T("bot.off_topic", "Portal", anonymous.PortalName), rs[1].Text)
}

func TestTheSpanishEscalationIsNotMistakenForRecoveryCodes(t *testing.T) {
	// Someone without recovery codes, sent to the administrators, must not
	// read "pase de recuperación" (the ask-for-help pages' pass) as one more
	// mention of the recovery codes they just said they don't have.
	c := anonymous
	c.Links.AskHelp = domain.AskHelpPath("acme")
	rs, _ := talk(t, c, "perdí el teléfono con el autenticador", "no tengo ningún código de recuperación")
	last := rs[len(rs)-1]
	require.Equal(t, "contact_admin", last.Node, "%+v", last)
	said := last.Text + strings.Join(last.Steps, " ")
	assert.Contains(t, said, "Pedir ayuda a mi administrador")
	assert.NotContains(t, said, "recuperación")
}

func TestTheLockoutAnswerSaysWhoUnlocksIt(t *testing.T) {
	// PRODUCT.md: still locked after the lock should have ended, contact the
	// administrator; the first answer already names them ("and if she is
	// still locked after?" is answered before it is asked).
	rs, _ := talk(t, anonymous, "my account is locked")
	require.Equal(t, Lockout, rs[0].Topic)
	assert.Contains(t, rs[0].Text, anonymous.AdminContact)
	rs, _ = talk(t, anonymous, "tengo la cuenta bloqueada")
	assert.Contains(t, rs[0].Text, "Contacte con el administrador de su portal ("+anonymous.AdminContact+")")
	// And so does the answer to "how long does it last?".
	rs, _ = talk(t, anonymous, "my account is locked", "how long does the lock last?")
	require.Equal(t, "lock_when", rs[1].Read.Asked)
	assert.Contains(t, rs[1].Text, anonymous.AdminContact)
}

func TestLockedAgainAfterTheWaitNamesTheAdministrator(t *testing.T) {
	// PRODUCT.md: someone locked out again right after the lock ends is told
	// to contact the administrator; the reset, which ends the lock, comes too.
	rs, st := talk(t, anonymous, "my account is locked", "I waited the 15 minutes, tried once and it locked me out again")
	require.Contains(t, st.Facts.Names(), "waited")
	assert.Equal(t, "open_forgot", rs[1].Node)
	said := rs[1].Text + strings.Join(rs[1].Steps, " ")
	assert.Contains(t, said, anonymous.AdminContact)
	assert.Contains(t, said, "Forgot password?")
}

func TestAnAdministratorOutOfReachNamesTheNextRungAtOnce(t *testing.T) {
	// "Can support reset it? My admin is on holiday": the answer names the
	// administrator, whom they can't reach, so it says the next rung too.
	rs, st := talk(t, anonymous, "can vendor support reset my password? my admin is on holiday")
	require.True(t, st.Facts.Has(FactAdminUnavailable), "facts %v", st.Facts.Names())
	assert.Equal(t, SupportReset, rs[0].Topic)
	assert.Contains(t, rs[0].Text, "HR/payroll or IT department")
	assert.Equal(t, 1, strings.Count(rs[0].Text+strings.Join(rs[0].Steps, " "), "HR/payroll"), "said once")
}

func TestAManagerWithoutThePermissionIsToldWhatTheAdministratorDoes(t *testing.T) {
	// The administrators step for a manager whose role can't reset: they
	// reset the person's password or give the role the permission; not "a
	// temporary password for you".
	rs, _ := talk(t, anonymous, "I'm a supervisor and I don't have the permission to reset a guard's password",
		"I checked, there is no set password button", "still nothing, no button anywhere")
	last := rs[len(rs)-1]
	require.Equal(t, NoPermission, last.Topic, "%+v", last)
	require.Equal(t, "contact_admin", last.Node, "%+v", last)
	said := last.Text + strings.Join(last.Steps, " ")
	assert.Contains(t, said, "give your role the permission to reset passwords")
	assert.NotContains(t, said, "temporary password for you")
}

func TestVendorSupportAskingBackHearsThatSupportCannot(t *testing.T) {
	// A vendor support engineer pressing ("and with the customer's written
	// consent?") hears again that support can't, and who can.
	for _, tc := range []struct{ lang, start, push, want string }{
		{"en", "I work in vendor support, a customer wants me to reset his password", "what if the customer sends us written consent?", "Vendor support can't"},
		{"fr", "je suis au support de l'éditeur, un client veut que je réinitialise son mot de passe", "et avec une autorisation écrite du client ?", "Le support de l'éditeur ne peut"},
	} {
		rs, _ := talk(t, anonymous, tc.start, tc.push)
		require.Equal(t, SupportReset, rs[0].Topic, tc.start)
		assert.Equal(t, SupportReset, rs[1].Topic, tc.push)
		assert.Contains(t, rs[1].Text, tc.want, tc.push)
	}
}

func TestLeavingTheNewPasswordStepForTheAppTellsTheResetWasDone(t *testing.T) {
	// They changed the password (on the web: the app has no reset); now the
	// app refuses it: the app's steps, not "have you reset on the web?".
	rs, st := talk(t, anonymous, "me obliga a cambiar la contraseña al entrar", "hecho, pero ahora la aplicación del móvil no me deja entrar")
	require.Equal(t, "fc_choose", rs[0].Node)
	assert.Equal(t, MobileApp, rs[1].Topic)
	assert.Equal(t, "app_sign_out_close", rs[1].Node, "facts %v", st.Facts.Names())
}

func TestWhatHappensNowIsTheNews(t *testing.T) {
	// The whole message is about a forced change, surely; what happens "now"
	// is the app refusing: the app's steps.
	rs, _ := talk(t, anonymous, "it says my password can't be reused",
		"my manager gave me a temporary password with forced change and I changed it on the website, now the phone app says session expired")
	assert.Equal(t, MobileApp, rs[1].Topic)
	assert.Equal(t, "app_sign_out_close", rs[1].Node)
}

func TestAReportOfTheStepIsNotANewTopic(t *testing.T) {
	// Signed out, closed and reopened the app (this step), "same problem":
	// the step's result, so the next app step; not "can't be reused" because
	// the words "same" and "password" come last.
	for _, msg := range []string{"did the sign out and close thing, reopened, entered the password. same problem as before",
		"signed out, closed it, reopened. typed my new password, same old error"} {
		rs, _ := talk(t, anonymous, "the phone app won't take my new password", "yes I reset it on the website", msg)
		require.Equal(t, "app_sign_out_close", rs[1].Node)
		assert.Equal(t, MobileApp, rs[2].Topic, msg)
		assert.Equal(t, "app_reinstall", rs[2].Node, msg)
	}
}

func TestTheLastClauseNamesTheNewProblem(t *testing.T) {
	// "waited, signed in again, and now the code is refused": what it says
	// last is a two-step problem, whatever the first clauses were about.
	for _, msg := range []string{"I did what you said, waited, logged in again and now the six digit code is not accepted",
		"waited the full 15 minutes, signed in and now the six digit code is refused"} {
		rs, _ := talk(t, anonymous, "my account is locked", msg)
		assert.Equal(t, TwoStep, rs[1].Topic, "%s: %+v", msg, rs[1])
	}
}

func TestTheRecoveryCodeStepNamesTheAdministratorWithoutOne(t *testing.T) {
	// The documented order: the phone's clock, a recovery code, and without
	// one the administrator, who can reset two-step verification.
	rs, st := talk(t, anonymous, "the six digit code from my authenticator app keeps being refused",
		"the clock on my phone is set to automatic already and the code is still refused")
	require.Equal(t, "two_step_recovery", st.Node, "replies %+v", rs)
	assert.Contains(t, strings.Join(rs[1].Steps, " "), "administrator can reset your two-step verification")
}

func TestAQuestionAboutAnotherTopicMovesThere(t *testing.T) {
	// A question back that the question model cannot place, but that is
	// surely about another topic, opens that topic's steps.
	rs, _ := talk(t, anonymous, "I'm locked out of my account",
		"hang on, is my two-step verification going to be affected by any of this?")
	assert.Equal(t, TwoStep, rs[1].Topic, "%+v", rs[1])
}

func TestAQuestionLikelyAboutAnotherTopicMovesThere(t *testing.T) {
	// The question model can't place them; the topic model reads them as
	// about resetting someone else's password, likelier than not: its steps.
	for _, p := range [][2]string{
		{"who is the admin of my portal?", "turns out that's me lol, how do I give him a new password?"},
		{"I have to change my password when I sign in", "does the same go for supervisors or just the guards?"},
	} {
		rs, _ := talk(t, anonymous, p[0], p[1])
		assert.Equal(t, ResetOtherUser, rs[1].Topic, p[1])
		assert.Equal(t, "admin_open_profile", rs[1].Node, p[1])
	}
}

func TestAQuestionSurelyAboutAnotherTopicIsNotAnsweredByAGuess(t *testing.T) {
	// During a lockout, a question surely about the app that the question
	// model only guesses at: the app's steps, from where they are.
	rs, _ := talk(t, anonymous, "my account is locked", "reset it online earlier, so why does the app still say wrong?")
	assert.Equal(t, MobileApp, rs[1].Topic)
	assert.Equal(t, "app_sign_out_close", rs[1].Node)
}

func TestIsReinstallingSafeIsAnsweredAboutTheApp(t *testing.T) {
	// Asked to reinstall, "will I lose my shift history?" is about the app:
	// nothing is lost, the portal keeps it.
	rs, _ := talk(t, anonymous, "the phone app won't take my new password", "yes I reset it on the website",
		"signed out and closed it, reopened, same error", "if I uninstall it will I lose my shift history?")
	require.Equal(t, "app_reinstall", rs[2].Node)
	assert.Equal(t, "app_safety", rs[3].Read.Asked)
	assert.Contains(t, rs[3].Text, "Reinstalling the app deletes nothing")
}

func TestHowLongAboutATemporaryPasswordIsAboutTheTemporaryPassword(t *testing.T) {
	// Setting a guard's temporary password, "how long does it last?" is
	// about the temporary password (72 hours), not a lock or a reset link.
	for _, tc := range []struct{ start, ask, want string }{
		{"how do I reset the password of one of my guards?", "and how long does it last?", "72 hours"},
		{"comment je réinitialise le mot de passe d'un de mes agents ?", "et il dure combien de temps ?", "72 heures"},
	} {
		rs, _ := talk(t, anonymous, tc.start, tc.ask)
		require.Equal(t, ResetOtherUser, rs[0].Topic, tc.start)
		assert.Equal(t, "temp_password", rs[1].Read.Asked, tc.ask)
		assert.Contains(t, rs[1].Text, tc.want, tc.ask)
	}
}

func TestTheSpamStepAlsoNamesAWrongAddress(t *testing.T) {
	// No reset e-mail: besides spam, an old or wrong address on the profile
	// is the other common cause, and only an administrator or a manager can
	// correct it; both are said at once, in each language.
	for lang, msg := range map[string]string{
		"en": "I asked for the password reset e-mail but it never came",
		"fr": "j'ai demandé l'e-mail de réinitialisation mais je ne l'ai jamais reçu",
		"es": "pedí el correo para restablecer la contraseña pero nunca llegó",
	} {
		rs, st := talk(t, anonymous, msg)
		require.Equal(t, "spam", st.Node, "%s: %+v", lang, rs[0])
		want := i18n.Lang(lang).T("bot.reset_email.check.step")
		assert.Contains(t, strings.Join(rs[0].Steps, " "), want, lang)
		assert.Regexp(t, `(administrator|administrateur|administrador)`, want, lang)
	}
}

func TestAnExpiredLinkIsToldToRequestANewOne(t *testing.T) {
	// "the link says it expired" told as a failure, not asked: a link works
	// once, for a while, and only the newest; request a new one.
	for lang, msgs := range map[string][]string{
		"en": {"I forgot my password", "the email came but when I click the link it says it has expired"},
		"fr": {"j'ai oublié mon mot de passe", "j'ai reçu le mail mais le lien dit qu'il a expiré"},
		"es": {"olvidé mi contraseña", "me llegó el correo pero el enlace dice que ha caducado"},
	} {
		rs, _ := talk(t, anonymous, msgs...)
		require.NotNil(t, rs[1].Read, lang)
		assert.Equal(t, "link_expiry", rs[1].Read.Asked, "%s: %+v", lang, rs[1])
		assert.Contains(t, rs[1].Links, Link{Label: i18n.Lang(lang).T("bot.link.forgot"), URL: anonymous.Links.ForgotPassword}, lang)
	}
}

func TestSomeoneElsesTopicDoesNotOverrideTheLikelierOne(t *testing.T) {
	// Support staff asking about a customer's guard tell they ask for someone
	// else; that alone must not turn the likelier topic (vendor support can't
	// reset) into its close second (how managers reset a password).
	tr := turn{e: engine, c: anonymous, st: State{Facts: FactForSomeoneElse}}
	r := tr.fresh(Input{Text: "a customer's guard needs a new password"}, tokens("a customer's guard needs a new password"),
		Recognition{Topic: SupportReset, Confidence: 0.6, Runner: ResetOtherUser})
	assert.Equal(t, SupportReset, r.Topic)
	assert.Contains(t, r.Options, Option{Label: i18n.English.T("bot.or_topic", "Topic", Title(ResetOtherUser)), Value: optionValue(ResetOtherUser, "start")},
		"the close second is offered as a button")
}

func TestWhatNowSaysAgainWhoCanHelp(t *testing.T) {
	// Vendor support told it can't reset asks what to tell the customer:
	// the answer says again who can (the person with Forgot password?, or
	// the portal's administrator, named), then the step in full.
	rs, st := talk(t, anonymous, "hello, I work on the vendor's support desk: a customer asked us to reset the password of one of their guards, how do we do that from our side?",
		"ok so what do I do now?")
	require.Equal(t, SupportReset, st.Topic)
	assert.Contains(t, rs[1].Text, anonymous.AdminContact, "%+v", rs[1])
	assert.NotEmpty(t, rs[1].Steps, "the step again, in full")
}

func TestWhatNowAfterDoingTheStepGoesOn(t *testing.T) {
	// "Looked in junk too, what's next?": they did the step; the next one,
	// not the same step again.
	rs, _ := talk(t, anonymous, "the reset email never arrives", "looked in junk too, what's next?")
	require.Equal(t, "spam", rs[0].Node)
	assert.Equal(t, "email_right", rs[1].Node)
}

func TestAResetKeepsTwoStep(t *testing.T) {
	// "Will a reset get rid of the code?" A reset changes the password only:
	// two-step verification stays, and only the administrator (or a manager
	// allowed to) resets it.
	for _, l := range []i18n.Lang{i18n.English, i18n.French, i18n.Spanish} {
		assert.Regexp(t, `(administrator|administrateur|administrador)`, l.T("bot.qa.safety"), l)
	}
	rs, _ := talk(t, anonymous, "I forgot my password", "if I reset it, do I lose my shifts and records?")
	assert.Contains(t, rs[1].Text, "Two-step verification stays on", "%+v", rs[1])
}

func TestTheReuseStepSaysWhatIfNewPasswordsAreRefusedToo(t *testing.T) {
	// PRODUCT.md: choose one never used here; if it persists, the
	// administrator can start a reset with Force Password Change. Someone
	// who already tried truly new ones finds their next step in the first
	// answer.
	for lang, msg := range map[string]string{
		"en": "it says my new password can't be reused",
		"fr": "il me dit que mon nouveau mot de passe ne peut pas être réutilisé",
		"es": "me dice que la contraseña nueva no se puede reutilizar",
	} {
		rs, st := talk(t, anonymous, msg)
		require.Equal(t, PasswordReuse, st.Topic, lang)
		steps := strings.Join(rs[0].Steps, " ")
		assert.Regexp(t, `(administrator|administrateur|administrador)`, steps, lang)
		assert.Contains(t, steps, i18n.Lang(lang).T("admin.profile.force_change"), lang)
	}
}

func TestAMessageAfterAStepIsReadByTheMidflowModel(t *testing.T) {
	// After a step, messages are short and lean on what was said before:
	// "closed it properly, still kicks me out" is about the app, which the
	// midflow model (trained with messages typed after steps) reads and the
	// first-message topic model does not. First messages keep the topic model.
	msg := "closed it properly, still kicks me out"
	require.Equal(t, Fallback, engine.rc.recogniseTokens(tokens(msg)).Topic, "the topic model alone misses it")
	rs, _ := talk(t, anonymous, "my phone app won't accept my password", msg)
	require.NotNil(t, rs[1].Why)
	assert.Equal(t, MobileApp, rs[1].Why.Topic)
	assert.Equal(t, engine.rc.recogniseTokens(tokens("my phone app won't accept my password")).Confidence, rs[0].Why.Confidence)
}
