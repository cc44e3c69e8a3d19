// Package bot is Watchpost's help assistant: a deterministic, local guide
// that recognises what people write about signing in (in English, French
// or Spanish) and walks them through the documented fix one step at a time,
// ending with the portal administrator's contact.
//
// Recognition is linear models trained ahead of time from the corpus in
// corpus/ by go generate (modelfile.go, train.go, classifier.go,
// recognise.go); the conversations are rules (knowledge.go); every text is
// in the message catalogue (text.go).
package bot

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Topic ids. They are stable: the API returns them and error pages link to them.
const (
	ForgotPassword = "forgot_password"
	Lockout        = "lockout"
	PasswordReuse  = "password_reuse"
	MobileApp      = "mobile_app"
	ResetEmail     = "reset_email"
	ResetOtherUser = "reset_other_user"
	NoPermission   = "no_permission"
	SupportReset   = "support_reset"
	ForceChange    = "force_change"
	ContactAdmin   = "contact_admin"
	TwoStep        = "two_step"
	Fallback       = "fallback"
)

// Option is a button offered with a reply. Value is what the caller sends
// back as Input.Choice when it is pressed.
type Option struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Link points to a real screen of the portal, or is a mailto link.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Admin is one of the portal's administrators, named to signed-in users.
type Admin struct {
	Name, Email string
}

// Context is what the caller knows about who is asking. Anonymous users
// never learn anything about any account.
type Context struct {
	PortalName     string // "" when no portal is known
	AdminContact   string // the portal's configured administrator contact text; "" gives generic wording
	SignedIn       bool
	Role           string // "" when anonymous; e.g. "Administrator", "Account Manager"
	CanResetOthers bool   // the signed-in user's role has the reset-password permission
	Administrators []Admin
	Lang           i18n.Lang     // the page's language; "" is English
	Policy         domain.Policy // the portal's live policy; the zero value means the defaults
	Links          Links
}

// Links are the portal screens answers may point to; "" means not available.
type Links struct {
	ForgotPassword, SignIn, Employees, Account, Article, Mobile string
	// AskHelp is the "Ask my administrator for help" form (assisted recovery), for
	// people who are not signed in.
	AskHelp string
}

// State is the conversation state the caller persists between messages. It
// is small and JSON-serialisable, holds nothing the person typed, and the
// zero value is a new conversation.
type State struct {
	Topic string   `json:"topic"`
	Step  int      `json:"step"`           // steps shown so far
	Node  string   `json:"node,omitempty"` // the step given last, waiting for its answer
	Lang  string   `json:"lang,omitempty"` // the language the person writes in, once clear
	Facts Facts    `json:"facts,omitempty"`
	Given []string `json:"given,omitempty"` // steps given in this conversation: never again
	// Confirm: "Did that fix it?" is pending about Node.
	Confirm bool `json:"confirm,omitempty"`
	// Helped: Node's help (where it is, how) was given.
	Helped bool `json:"helped,omitempty"`
}

// Input is one message from the user.
type Input struct {
	Text   string // free text, may be empty when Choice is set
	Choice string // an Option.Value the user pressed
	Topic  string // start on this topic (e.g. opened from an error page), may be empty
}

// Reply is the assistant's answer for one turn.
type Reply struct {
	Topic string   `json:"topic"`
	Title string   `json:"title"`
	Lang  string   `json:"lang"`
	Text  string   `json:"text"`
	Steps []string `json:"steps,omitempty"` // the step shown this turn
	// Options are this turn's buttons. Buttons of older turns keep working:
	// their values name topic and node.
	Options   []Option `json:"options,omitempty"`
	Links     []Link   `json:"links,omitempty"`
	Escalated bool     `json:"escalated,omitempty"` // this turn hands over to the administrator
	End       bool     `json:"end,omitempty"`       // the flow ended (solved or escalated): ask "Was this helpful?"
	Sensitive bool     `json:"sensitive,omitempty"` // the input looked like it holds a password: never store or show its text
	// Why explains a recognised free-text message: topic, confidence, language and evidence.
	Why *Recognition `json:"why,omitempty"`
	// Read is what a typed reply was read as in the step it answered.
	Read *Reading `json:"read,omitempty"`
	// Node is the step this answer gave or is waiting on ("" for none).
	Node string `json:"node,omitempty"`
	// Rule names the rule that chose a typed reply's answer, for counting
	// failing turns by rule on a set that is only a measure.
	Rule string `json:"-"`
}

// Engine answers messages. It is immutable after Load and safe for
// concurrent use.
type Engine struct {
	rc     *recogniser
	models *models
}

// lateActs are the reads of a reply whose last clause may name a new
// problem: a failure, a question, a correction, and a weak "worked" or
// "yes" (under lateWorked: "did what you said, and now the code is
// refused"). Not "don't know" ("I don't know who the admin is, I'm an
// agency guard" names who they are, not a problem). A surer "worked" let
// through lost dev conversations (102.2 -> 101.4, mean of 5 seeds).
var lateActs = []string{ActStillFailing, ActNewProblem, ActCorrection, ActQuestion, ActWorked, ActYes}

const lateWorked = 0.5

// firstTriedSure: a first message about a password that can't be reused,
// read as a reply to "choose one never used here" this surely saying it was
// done and still fails, goes on to the administrator's step. Chosen among
// 0.5-0.98: 0.95 (dev 111 -> 112 of 180, development held-out sets
// unchanged; 0.85 and below lost held-out conversations).
const firstTriedSure = 0.95

// emailCameBelow: a reply about the e-mail, at a step waiting for it, read
// as success less surely than this, says the e-mail came (0.4-0.6 read every
// set alike; counting weak questions too lost two fifth held-out conversations).
const emailCameBelow = 0.5

// supportQuestionSure: in the vendor support topic, a question the question
// model reads less surely than this gets the topic's answer (support can't
// reset, and who can). Chosen among 0.5-0.9: 0.5 (fifth held-out 66 -> 67
// of 90, second 79 -> 80; dev, first and third unchanged).
const supportQuestionSure = 0.5

// negatedWorked: a reply read as "it worked" less surely than this that holds
// a negation ("entered my new password. no luck", "ça passe pas") is asked
// "Did that fix it?" rather than taken for success. Every conversation set
// reads the same with 0.6-0.7 (0.8 lost some); it guards the worst answer.
const negatedWorked = 0.7

// reopenUnlessWorked: a fact that reopens an earlier step ("my manager
// fixed the address") does not when the reply says, this surely, that it
// worked ("... asked for the link again, it came, I'm in"). Chosen among
// 0.5-0.9 and none: 0.5-0.7 (fifth held-out English 19 -> 20 of 30, second
// 28 -> 29; dev unchanged; 0.9 loses the fifth's).
const reopenUnlessWorked = 0.7

// switchConfidence is how sure the recogniser must be before a reply in the
// middle of a flow moves the conversation to another topic.
const switchConfidence = 0.6

// confirmBelow is the reply model's confidence under which a reply to a
// step is too unsure to act on: the assistant asks "Did that fix it?"
// rather than assume success (chosen in cmd/botcompare).
const confirmBelow = 0.4

// New loads the models trained ahead of time (model.bin, see modelfile.go)
// into an engine of its own and checks the plans. It panics on a malformed
// model or plan, which the tests catch: both are part of the program.
func New() *Engine {
	e, err := load()
	if err != nil {
		panic(err)
	}
	return e
}

// Load returns the engine of the embedded model file, loaded once per process:
// an engine is immutable, so every server a process starts (the tests start
// hundreds) shares one instead of holding and decoding a copy each.
func Load() (*Engine, error) { return loaded() }

var loaded = sync.OnceValues(load)

func load() (*Engine, error) {
	ms, err := decodeModels(modelFile)
	if err != nil {
		return nil, err
	}
	return compile(ms)
}

func compile(ms *models) (*Engine, error) {
	rc := &recogniser{topics: ms.topics, midflow: ms.midflow, langs: ms.langs, dec: defaultDecision}
	e := &Engine{rc: rc, models: ms}
	return e, checkPlans()
}

// checkPlans verifies that every plan names known steps and every step
// reads in a step the reply model knows.
func checkPlans() error {
	for topic, ids := range plans {
		for _, id := range ids {
			s, ok := steps[id]
			if !ok {
				return fmt.Errorf("topic %s: unknown step %q", topic, id)
			}
			if !slices.Contains(specSteps, s.specID()) {
				return fmt.Errorf("step %s: unknown corpus step %q", id, s.specID())
			}
		}
	}
	return nil
}

// Topics returns every topic id, fallback last.
func Topics() []string { return slices.Clone(topicOrder) }

// Title returns a topic's English title, or "" for an unknown id.
func Title(id string) string { return TitleIn(i18n.English, id) }

// TitleIn returns a topic's title in a language, or "" for an unknown id.
func TitleIn(l i18n.Lang, id string) string {
	if !slices.Contains(topicOrder, id) {
		return ""
	}
	return l.T("bot." + id + ".title")
}

// Classify returns the topic a message is about and the confidence.
func (e *Engine) Classify(text string) (string, float64) {
	r := e.rc.recognise(text)
	return r.Topic, r.Confidence
}

// Recognise explains what a message is about: topic, confidence, a close
// runner-up, language and the evidence that chose it.
func (e *Engine) Recognise(text string) Recognition { return e.rc.recognise(text) }

// ReadReply reads a typed reply given in a corpus step ("first" for a
// first message): what it does and the facts it tells.
func (e *Engine) ReadReply(step, text string) Reading {
	return e.models.read(step, tokens(redactSecrets(text)))
}

// Respond answers one message and returns the new state. It never panics:
// unknown topics, steps and choices fall back to sensible answers.
func (e *Engine) Respond(st State, in Input, c Context) (Reply, State) {
	sensitive := LooksLikeSecret(in.Text)
	t := turn{e: e, c: c, st: st, sensitive: sensitive}
	if _, ok := plans[t.st.Topic]; !ok {
		t.st = State{Lang: st.Lang, Facts: st.Facts}
	}
	r := t.respond(in)
	r.Lang = string(t.lang())
	if sensitive {
		r.Sensitive = true
		r.Text = joinText(t.say("bot.secret_warning"), r.Text)
	}
	r.Title = TitleIn(t.lang(), r.Topic)
	return r, t.st
}

// turn is one call of Respond: the engine, the asker and the state it moves.
type turn struct {
	e         *Engine
	c         Context
	st        State
	sensitive bool      // the message only carried a password: the warning is the answer
	kv        []any     // the texts' values, worked out once per turn
	kvLang    i18n.Lang // the language kv was worked out in
	rule      string    // the rule that chose the answer (Reply.Rule)
	told      Facts     // what this message told (not what a button implied)
}

func (t *turn) respond(in Input) Reply {
	if in.Choice != "" {
		if r, ok := t.choose(in.Choice); ok {
			return r
		}
	}
	if _, ok := plans[in.Topic]; ok && strings.TrimSpace(in.Text) == "" {
		return t.start(in.Topic, "")
	}
	toks := tokens(redactSecrets(cmpOr(in.Text, in.Choice)))
	cur := t.current()
	var rec Recognition
	spec := actFirst
	if cur == nil {
		rec = t.e.rc.recogniseTokens(toks)
	} else {
		// After a step, the midflow model reads what the message is about.
		rec = t.e.rc.recogniseMidflow(toks)
		spec = cur.specID()
		if t.st.Confirm {
			spec = "did_that_fix_it"
		}
	}
	if rec.LangSure {
		t.st.Lang = rec.Lang
	}
	rd := t.e.models.read(spec, toks)
	if (rd.Act == ActWorked || rd.Act == ActThanks) && strings.HasSuffix(strings.TrimSpace(in.Text), "?") {
		rd.Act = ActQuestion // a reply that ends asking something is not a report of success
	}
	if spec == "did_that_fix_it" { // there, yes is "it worked" and no is "still failing"
		switch rd.Act {
		case ActYes:
			rd.Act = ActWorked
		case ActNo:
			rd.Act = ActStillFailing
		}
	}
	told := rd.Facts &^ t.st.Facts
	t.told = told
	t.st.Facts = t.st.Facts.with(rd.Facts)
	var r Reply
	switch {
	case cur != nil:
		if topic := t.factTopic(told); topic != "" {
			// What they told needs another topic's steps ("no e-mail came"
			// while changing a temporary password): that topic, with the facts.
			r = t.moveTo(cur, topic, "")
			break
		}
		r = t.continueFlow(cur, toks, rec, &rd)
	case t.st.Topic != "" && rec.Topic == Fallback:
		// After an end or the menu, "that worked" or "thanks" closes, a
		// question is answered; anything else starts afresh.
		end := t.e.models.read("did_that_fix_it", toks)
		asking := strings.HasSuffix(strings.TrimSpace(in.Text), "?") || end.Act == ActQuestion
		switch {
		case asking && rec.OffTopic:
			r = t.menu(t.say("bot.off_topic"))
		case asking:
			r = t.answerAfterEnd(toks, rec, in)
		case end.Act == ActWorked || end.Act == ActYes:
			r = t.solved()
		case end.Act == ActThanks:
			r = t.closing()
		default:
			r = t.fresh(in, toks, rec)
		}
	default:
		r = t.fresh(in, toks, rec)
	}
	r.Why = &rec
	r.Rule = t.rule
	if cur != nil {
		r.Read = &rd
	}
	return r
}

// reportsStep reports whether a reply tells doing step cur, and says
// nothing happens "now" ("logged out, closed it, opened it again, typed the
// new password. same error"): its last clause is the step's result, not a
// new topic; "waited, and now the code is refused" is one.
func reportsStep(cur *step, toks []string, rd *Reading) bool {
	return rd.Facts&(cur.Did|cur.Fails|cur.DoneIf) != 0 && !saysNow(toks)
}

// saysNow reports whether a message tells what happens now or still
// ("... and now the code is refused").
func saysNow(toks []string) bool {
	return slices.ContainsFunc(toks, func(w string) bool { return lateWords[w] })
}

// another reports whether a message reads as another of our topics than the
// conversation's, with no close second.
func (t *turn) another(rec Recognition) bool {
	return rec.Topic != Fallback && rec.Topic != t.st.Topic && rec.Runner == ""
}

// optionValue is a button's value: "topic/step/act" answers a step (choose
// reads it back), "topic/start" opens a topic.
func optionValue(parts ...string) string { return strings.Join(parts, "/") }

// choose handles a pressed button: "topic/start" opens a topic (the menu, an
// old page); "topic/step/act" answers a step, even when the state has moved on.
func (t *turn) choose(value string) (Reply, bool) {
	parts := strings.Split(value, "/")
	if _, ok := plans[parts[0]]; !ok {
		return Reply{}, false
	}
	switch {
	case len(parts) == 2 && parts[1] == "escalate" && parts[0] != Fallback:
		// An older page's "contact my administrator" button.
		t.st.Topic = parts[0]
		t.markGiven("contact_admin")
		t.st.Node, t.st.Confirm, t.st.Helped = "contact_admin", false, false
		t.st.Step++
		return t.render(steps["contact_admin"], "", true), true
	case len(parts) == 2 && parts[1] == "solved":
		t.st.Topic = parts[0]
		return t.solved(), true
	case len(parts) == 2: // "topic/start", or an older page's node: the topic afresh
		return t.start(parts[0], ""), true
	case len(parts) == 3 && steps[parts[1]] != nil && (slices.Contains(acts, parts[2]) || parts[2] == "confirm_no"):
		if t.st.Topic != parts[0] || t.st.Node != parts[1] {
			t.st.Topic, t.st.Node, t.st.Confirm, t.st.Helped = parts[0], parts[1], false, false
		}
		act := parts[2]
		if act == "confirm_no" {
			act = ActStillFailing
		}
		return t.answer(steps[parts[1]], act, Recognition{Topic: Fallback}), true
	}
	return Reply{}, false
}

// fresh handles a message outside any flow.
func (t *turn) fresh(in Input, toks []string, rec Recognition) Reply {
	if rec.Topic == ForgotPassword && t.told&FactOnApp != 0 {
		// Forgot it, in the app: the app has no reset link, and its topic
		// says where to reset (the first turn's topic is then right in 3 more
		// dev conversations and 4 more held-out ones; no answer changed its score).
		rec.Topic, rec.Runner = MobileApp, ""
	}
	switch {
	case rec.Topic == Fallback && plans[in.Topic] != nil:
		return t.start(in.Topic, "")
	case rec.Topic == Fallback && rec.OffTopic:
		return t.menu(joinText(t.say("bot.off_topic"), t.say("bot.fallback.start.say")))
	case rec.Topic == Fallback:
		return t.menu(joinText(t.smallTalk(toks), t.say("bot.fallback.answer"), t.say("bot.fallback.start.say")))
	case rec.Runner != "" && t.c.SignedIn && slices.Contains([]string{rec.Topic, rec.Runner}, ResetOtherUser):
		// Signed in, they are not locked out of their own account: it is about someone else's.
		return t.start(ResetOtherUser, "")
	case rec.Runner != "":
		// Two close topics: the likelier one's steps, and the other as a button.
		r := t.start(rec.Topic, t.smallTalk(toks))
		r.Options = append(r.Options, Option{Label: t.say("bot.or_topic", "Topic", TitleIn(t.lang(), rec.Runner)), Value: optionValue(rec.Runner, "start")})
		return r
	}
	r := t.start(rec.Topic, t.smallTalk(toks))
	if r.Node == "reused_choose_new" {
		// "Tried three brand-new long ones, still says it can't be reused":
		// the first step is what they did; the administrator's is next.
		// Only this topic: read so for every topic's first step, at any
		// threshold, the first message lost dev and held-out conversations.
		if rd := t.e.models.read(r.Node, toks); (rd.Act == ActStillFailing || rd.Act == ActAlreadyDid) && rd.Confidence >= firstTriedSure {
			t.rule = "first step tried"
			return t.next(steps[r.Node], "")
		}
	}
	return r
}

// menu is the fallback answer with the topics as buttons.
func (t *turn) menu(text string) Reply {
	t.st = State{Topic: Fallback, Lang: t.st.Lang, Facts: t.st.Facts, Given: t.st.Given, Step: t.st.Step}
	r := Reply{Topic: Fallback, Text: text}
	for _, m := range menu {
		r.Options = append(r.Options, Option{Label: t.say(m.Label), Value: optionValue(m.Topic, "start")})
	}
	r.Links = t.links([]string{"article"})
	return r
}

// continueFlow handles a typed reply while a step waits for its answer.
func (t *turn) continueFlow(cur *step, toks []string, rec Recognition, rd *Reading) Reply {
	if t.sensitive && wordCount(toks) <= 3 {
		t.rule = "password alone"
		return t.render(cur, "", false) // a password alone: the warning is the answer
	}
	if slices.Contains([]string{ActStillFailing, ActNewProblem, ActCorrection}, rd.Act) {
		// A failure that names a situation a question back would ("the link
		// says expired"): that answer, and the step keeps waiting.
		if class, p := t.e.models.asked(cur.specID(), toks); p >= situationSure && slices.Contains(situations, class) {
			rd.Asked, rd.AskedConf = class, p
			t.rule = "situation"
			return t.answerClass(cur, class)
		}
	}
	if rec.Topic == ResetEmail && rd.Act == ActWorked && rd.Confidence < emailCameBelow && rd.Facts&FactNoEmail == 0 &&
		slices.Contains([]string{"open_forgot", "check_email", "request_again"}, cur.ID) && slices.Contains(plans[t.st.Topic], "set_password") {
		// "Got the email" while waiting for it, read only weakly as success:
		// it came, so not the reset-email topic's spam step, and not "glad
		// that worked" either: the next step is setting the new password.
		for _, id := range []string{"open_forgot", "check_email", "spam", "email_right", "request_again"} {
			t.markGiven(id)
		}
		t.rule = "e-mail came"
		return t.next(cur, "")
	}
	other := t.another(rec)
	// "... and now ..." marks the news: the last clause is read even when the
	// whole message surely names another topic ("the admin set a temporary
	// one and I changed it; now the app says session expired").
	nowSaid := saysNow(toks)
	if (!other || rec.Confidence < switchConfidence || nowSaid) && slices.Contains(lateActs, rd.Act) &&
		!(rec.Topic == Fallback && rec.Confidence >= offTopicSure) &&
		(rd.Act != ActWorked && rd.Act != ActYes || rd.Confidence < lateWorked) {
		// The news is often in the last clause ("waited, signed in again, and
		// now the six-digit code is refused"): a last clause that names
		// another topic, surely, moves there, whatever the rest was about;
		// unless the whole message is surely about none of our topics
		// (dev conversations 119 -> 120 of 180).
		if late := t.e.rc.lastClause(toks); late.Topic != Fallback && late.Topic != t.st.Topic &&
			late.Runner == "" && late.Confidence >= lateSwitch && !reportsStep(cur, toks, rd) {
			t.rule = "last clause"
			return t.moveTo(cur, late.Topic, "")
		}
	}
	switch {
	case other && (rd.Act == ActNewProblem || rd.Act == ActCorrection) && rec.Confidence >= switchConfidence*0.75,
		other && rec.Confidence >= switchConfidence && wordCount(toks) >= 4 &&
			!slices.Contains([]string{ActWorked, ActThanks, ActQuestion, ActYes, ActNo}, rd.Act) && !reportsStep(cur, toks, rd),
		other && rec.Confidence >= switchConfidence && rd.Confidence < confirmBelow:
		// A new problem, a step's failure that names another topic ("it says it
		// can't be reused"), or a reply read only weakly as an answer that clearly
		// names another topic ("I forgot my password" to "did you reset on the
		// web?"): that topic's plan, with the facts.
		t.rule = "switch"
		return t.moveTo(cur, rec.Topic, "")
	case other && rd.Act == ActWorked && rec.Confidence >= 0.75 && wordCount(toks) >= 8:
		// "That worked, thanks. Another thing: ..." ends this and opens the next.
		t.rule = "worked, then new"
		return t.moveTo(cur, rec.Topic, t.say("bot.solved.short"))
	case rd.Facts&(FactAdminUnavailable|FactAdminUnknown) != 0 && cur.ID != "hr_it" &&
		!slices.Contains([]string{ActWorked, ActThanks}, rd.Act):
		// They are already at the administrators, or cannot reach them: the
		// ladder goes on from there, whatever the sentence's form.
		t.rule = "administrators unreachable"
		return t.ladder(cur)
	}
	if earlier := t.firstOpen(); earlier >= 0 && earlier < slices.Index(plans[t.st.Topic], cur.ID) && rd.Act != ActThanks &&
		(rd.Facts&reopening != 0 && (rd.Act != ActWorked || rd.Confidence < reopenUnlessWorked) || !slices.Contains([]string{ActWorked, ActQuestion}, rd.Act)) {
		// What they told us reopens an earlier step ("the admin fixed my
		// e-mail, what now?": request the link again): the plan goes back to it.
		t.rule = "reopen"
		return t.next(nil, "")
	}
	if rd.Act == ActQuestion {
		return t.answerQuestion(cur, toks, rec, rd)
	}
	if rec.Topic == Fallback && rec.Confidence >= offTopicSure &&
		(rd.Act == ActNewProblem || rec.OffTopic && rd.Confidence < offTopicWeakRead) {
		// A new problem about none of our topics, or a message that uses our
		// words about something else and reads only weakly as an answer
		// ("and my payslip login?"): say what the assistant covers; the step
		// keeps waiting.
		t.rule = "off-topic"
		return t.render(cur, t.say("bot.off_topic"), false)
	}
	if rd.Act == "" {
		t.rule = "not understood"
		return t.notUnderstood(cur, toks)
	}
	if !t.applies(cur) && !slices.Contains([]string{ActWorked, ActThanks}, rd.Act) {
		// What they told us settles this step ("checked spam, nothing"): on to the next.
		t.st.Facts |= cur.Fails
		t.rule = "settled"
		return t.next(cur, "")
	}
	if !cur.Ask && !t.st.Confirm && !cur.Escalate && cur.ID != "hr_it" &&
		(rd.Act == ActYes || rd.Confidence < confirmBelow && slices.Contains([]string{ActWorked, ActThanks}, rd.Act) ||
			rd.Act == ActWorked && rd.Confidence < negatedWorked && slices.ContainsFunc(toks, func(w string) bool { return negators[w] })) {
		// "Yes" to an instruction says it was done, not that it worked; and a
		// weak "worked" or "thanks" is not sure enough to end on: ask.
		t.rule = "confirm"
		return t.confirm(cur)
	}
	if (cur.Escalate || cur.ID == "hr_it") && slices.Contains([]string{ActWorked, ActYes, ActThanks}, rd.Act) && rd.Confidence < confirmBelow {
		t.rule = "closing"
		return t.closing() // sent to people who can help: thanks closes, whatever its wording
	}
	t.rule = "answer"
	return t.answer(cur, rd.Act, rec)
}

// answer moves the conversation on from step cur, answered with act.
func (t *turn) answer(cur *step, act string, rec Recognition) Reply {
	t.st.Confirm = false
	if cur.Ask {
		switch act {
		case ActWorked:
			return t.solved() // "it works now" answers more than the question
		case ActYes, ActAlreadyDid:
			t.st.Facts |= cur.Yes
			return t.next(cur, "")
		case ActStillFailing:
			if cur.FailIsYes {
				t.st.Facts |= cur.Yes
			} else {
				t.st.Facts |= cur.No
			}
			return t.next(cur, "")
		case ActNo:
			t.st.Facts |= cur.No
			return t.next(cur, "")
		case ActDontKnow:
			return t.next(cur, "")
		}
	}
	switch act {
	case ActWorked, ActYes:
		// "It worked" says the problem is solved (the reply corpus's label);
		// a yes to a step was confirmed above.
		return t.solved()
	case ActStillFailing, ActNo:
		t.st.Facts |= cur.Fails
		return t.next(cur, "")
	case ActAlreadyDid:
		t.st.Facts |= cur.Did | cur.Fails
		return t.next(cur, "")
	case ActNotDone, ActDontKnow:
		if cur.Escalate && act == ActDontKnow {
			t.st.Facts |= FactAdminUnknown
		}
		if act == ActNotDone {
			t.st.Facts |= cur.NotDone
		} else {
			t.st.Facts |= cur.DontKnow
		}
		if !t.applies(cur) {
			return t.next(cur, "")
		}
		if !t.st.Helped && cur.Help != "" {
			t.st.Helped = true
			return t.render(cur, t.say(cur.Help), false)
		}
		if !t.st.Helped && !cur.Ask && !cur.Escalate {
			t.st.Helped = true // the step once more, in full, before going on
			return t.render(cur, t.say("bot.help.again"), true)
		}
		return t.next(cur, "")
	case ActThanks:
		return t.closing()
	}
	// A correction or a new problem that names no topic we know: the plan
	// goes on with what it told us.
	return t.next(cur, "")
}

// confirm asks whether the step fixed it, with Yes and No buttons.
func (t *turn) confirm(cur *step) Reply {
	t.st.Confirm = true
	r := Reply{Topic: t.st.Topic, Text: t.say("bot.confirm"), Node: cur.ID}
	r.Options = []Option{
		{Label: t.say("bot.opt.yes"), Value: optionValue(t.st.Topic, cur.ID, ActWorked)},
		{Label: t.say("bot.opt.no_still_failing"), Value: optionValue(t.st.Topic, cur.ID, "confirm_no")},
	}
	return r
}

// notUnderstood keeps the step, with its buttons, and says so.
func (t *turn) notUnderstood(cur *step, toks []string) Reply {
	prefix := t.smallTalk(toks)
	if prefix == "" && !t.sensitive {
		prefix = t.say("bot.not_understood")
	}
	r := t.render(cur, prefix, false)
	return r
}

// reopening are the facts that, told with any answer, reopen an earlier step.
const reopening = FactEmailFixed

// factTopics: a fact that needs another topic's steps, told while the
// current topic's plan has no step for it, moves the conversation there.
var factTopics = []struct {
	fact        Facts
	topic, step string
}{
	{FactNoEmail, ResetEmail, "spam"},
	{FactLostPhone, TwoStep, "two_step_recovery"},
}

// factTopic is the topic newly told facts move the conversation to, or "".
// Someone asking for another person stays: the facts are the other's.
func (t *turn) factTopic(told Facts) string {
	if t.st.Facts&FactForSomeoneElse != 0 || t.st.Topic == ResetOtherUser || t.st.Topic == NoPermission {
		return ""
	}
	for _, ft := range factTopics {
		if told&ft.fact != 0 && !slices.Contains(plans[t.st.Topic], ft.step) {
			return ft.topic
		}
	}
	return ""
}

// answerAfterEnd answers a question asked once a flow ended, with the menu.
func (t *turn) answerAfterEnd(toks []string, rec Recognition, in Input) Reply {
	// The question model knows only our questions, and after the end people
	// ask about anything: it must be surer here.
	if class, p := t.e.models.asked("did_that_fix_it", toks); p >= questionSureAfterEnd {
		if a, ok := questionAnswers[class]; ok {
			r := t.menu(t.say(a.say))
			r.Links = mergeLinks(t.answerLinks(a.links), r.Links)
			return r
		}
	}
	return t.fresh(in, toks, rec)
}

// answerQuestion answers a question back from the portal's live data, and
// keeps the step waiting (its buttons stay). What the question asks is read
// by the question model; when it is unsure, by the topic it is about.
func (t *turn) answerQuestion(cur *step, toks []string, rec Recognition, rd *Reading) Reply {
	class, p := t.e.models.asked(cur.specID(), toks)
	class = t.inContext(class, cur)
	rd.Asked, rd.AskedConf = class, p
	if rec.Topic == Fallback && rec.Confidence >= offTopicSure && p < offTopicAsked {
		// The topic model reads it as about none of our topics, and the
		// question model is not sure of it: say what the assistant covers;
		// the step keeps waiting.
		t.rule = "question off-topic"
		return t.render(cur, t.say("bot.off_topic"), false)
	}
	if t.st.Topic == SupportReset && p < supportQuestionSure && !(rec.Topic != Fallback && rec.Topic != t.st.Topic && rec.Confidence >= questionSwitch) {
		// Vendor support asking back ("not even a temporary password?", "and
		// with the customer's written consent?"): the answer is the topic's,
		// that support can't, and who can; unless the question model is sure
		// of what they ask, or it is surely about another topic.
		t.rule = "support question"
		r := t.render(cur, t.say("bot.support_reset.answer"), false)
		r.Links = mergeLinks(r.Links, t.adminLinks())
		return r
	}
	if p < classOverTopic && t.another(rec) && rec.Confidence >= topicOverClass {
		// The topic model surely reads another topic and the question model
		// only guesses ("and the app on my phone, will it take the new one?"
		// during a lockout, read as "after a reset" at 0.43): that topic's
		// steps, not a guessed answer.
		t.rule = "question about another topic"
		return t.moveTo(cur, rec.Topic, "")
	}
	if p >= questionSure && class == "email_fix" && t.st.Facts&FactEmailFixed != 0 {
		// How to get the address fixed, asked by someone who says it was
		// fixed ("my supervisor corrected it, do I ask again?"): on to the
		// next step. (Dev conversations 109 -> 111 of 180, fifth held-out
		// 67 -> 68; "no recovery codes" made moot the same way lost "what's
		// a recovery code? never saw one".)
		t.rule = "question moot"
		return t.next(cur, "")
	}
	if p >= questionSure {
		switch class {
		case "reset_someone":
			t.rule = "reset someone"
			return t.moveTo(cur, ResetOtherUser, "")
		case "whats_next":
			if rd.Facts&(cur.DoneIf|cur.Did|cur.Fails) != 0 {
				// "Waited the 15 minutes, now what?": they say they did the
				// step; the next one (dev conversations 115 -> 116 of 180).
				t.rule = "what now, done"
				return t.next(cur, "")
			}
			// "What now?" without saying the step was done: the step once
			// more, in full (the question, or the contacts), after the
			// topic's short answer; asked again, on.
			if !t.st.Helped && (cur.Ask || !cur.Escalate || t.st.Facts&FactAdminUnavailable == 0) {
				t.st.Helped = true
				// The topic's short answer says again what is going on and who
				// can help ("what do I tell the customer then?"), unless it
				// explains what they have done already.
				lead := t.say("bot." + t.st.Topic + ".answer")
				if t.st.Facts&answerKnown[t.st.Topic] != 0 {
					lead = t.say("bot.help.again")
				}
				t.rule = "what now"
				return t.render(cur, lead, true)
			}
			t.rule = "what now again"
			return t.next(cur, "")
		}
		if _, ok := questionAnswers[class]; ok {
			t.rule = "question class"
			return t.answerClass(cur, class)
		}
	}
	if t.another(rec) && rec.Confidence >= questionSwitch {
		// A question about another topic, surely ("and how do I reset a
		// guard's password?"): that topic's plan, with the facts.
		t.rule = "question switch"
		return t.moveTo(cur, rec.Topic, "")
	}
	about := rec.Topic
	if about == Fallback || rec.Confidence < 0.35 {
		about = t.st.Topic
	}
	key, ok := topicAnswers[about]
	if !ok {
		key = "bot." + t.st.Topic + ".answer"
	}
	ownAnswer := about == Lockout || about == SupportReset || about == ContactAdmin || about == TwoStep && cur.ID != "two_step_time"
	if about == t.st.Topic && !ownAnswer && cur.Help != "" {
		key = cur.Help // how to do the step they are on
	} else if about == t.st.Topic && !ownAnswer && !cur.Ask && !cur.Escalate {
		// A question on the step itself: why, and the step again, in full.
		lead := t.say("bot.help.again")
		if ok {
			lead = t.say(key)
		}
		t.rule = "question on the step"
		return t.render(cur, lead, true)
	}
	text := t.say(key)
	r := t.render(cur, text, false)
	if about == ContactAdmin || about == SupportReset {
		r.Links = mergeLinks(r.Links, t.adminLinks())
	}
	t.rule = "question about a topic"
	return r
}

// inContext reads a question's class where it is asked: the question model
// knows the step, not the topic nor the facts.
func (t *turn) inContext(class string, cur *step) string {
	switch {
	case (class == "lock_when" || class == "link_expiry") && (t.st.Topic == ResetOtherUser || t.st.Topic == ForceChange):
		// "How long is it good for?" about a temporary password: it is the
		// temporary password that expires, not a lock or a reset link.
		return "temp_password"
	case (class == "unlock_for_me" || class == "other_way") && t.st.Topic == ResetEmail && t.st.Facts&FactEmailWrong != 0:
		return "email_fix" // the address is wrong: "can't I do it myself?" is about changing it
	case class == "safety" && (cur.ID == "app_reinstall" || cur.ID == "app_sign_out_close"):
		return "app_safety" // "if I uninstall it, do I lose my shifts?"
	}
	return class
}

// answerClass answers a class of question back with its links; step cur
// keeps waiting, its buttons kept.
func (t *turn) answerClass(cur *step, class string) Reply {
	a := questionAnswers[class]
	r := t.render(cur, t.say(a.say), false)
	r.Links = mergeLinks(t.answerLinks(a.links), r.Links)
	return r
}

// answerLinks are a question answer's links: link names, and "admins" for
// the administrators' mailto links.
func (t *turn) answerLinks(names []string) []Link {
	var out []Link
	for _, n := range names {
		if n == "admins" {
			out = append(out, t.adminLinks()...)
		} else {
			out = append(out, t.links([]string{n})...)
		}
	}
	return out
}

// mergeLinks joins link lists, each address once.
func mergeLinks(a, b []Link) []Link {
	out := slices.Clone(a)
	for _, l := range b {
		if !slices.ContainsFunc(out, func(o Link) bool { return o.URL == l.URL }) {
			out = append(out, l)
		}
	}
	return out
}

// solved ends the conversation: the step worked.
func (t *turn) solved() Reply {
	if slices.ContainsFunc(t.st.Given, func(id string) bool { return id == "set_password" || id == "open_forgot" || id == "request_again" }) {
		t.st.Facts |= FactResetDone | FactWebResetDone // solved by the reset on the web
	}
	t.st.Node, t.st.Helped = "", false
	r := Reply{Topic: t.st.Topic, Text: t.say("bot.solved.say"), End: true}
	for _, m := range menu {
		r.Options = append(r.Options, Option{Label: t.say(m.Label), Value: optionValue(m.Topic, "start")})
	}
	return r
}

// closing answers thanks or goodbye without a word on whether it worked.
func (t *turn) closing() Reply {
	t.st.Node, t.st.Helped = "", false
	return Reply{Topic: t.st.Topic, Text: t.say("bot.thanks_close"), End: true,
		Options: []Option{{Label: t.say("bot.opt.start_over"), Value: optionValue(Fallback, "start")}}}
}

// smallTalk is "hello" or "you're welcome" before an answer.
func (t *turn) smallTalk(toks []string) string {
	for _, w := range toks {
		switch w {
		case "thanks", "thank", "thx", "cheers", "merci", "gracias":
			return t.say("bot.thanks")
		case "hi", "hello", "hey", "bonjour", "salut", "hola", "buenas", "buenos":
			return t.say("bot.greeting")
		}
	}
	return ""
}

// current returns the step the conversation waits on, if it is valid.
func (t *turn) current() *step {
	if t.st.Node == "" || !slices.Contains(plans[t.st.Topic], t.st.Node) {
		return nil
	}
	return steps[t.st.Node]
}

// start opens a topic: its short answer, then its first step that applies.
func (t *turn) start(topicID, prefix string) Reply {
	if topicID == Fallback {
		return t.menu(joinText(prefix, t.say("bot.fallback.start.say")))
	}
	if topicID == ResetOtherUser && t.c.SignedIn && !t.c.CanResetOthers {
		topicID = NoPermission // signed in without the permission: that is the answer
	}
	t.st.Topic, t.st.Node, t.st.Confirm, t.st.Helped = topicID, "", false, false
	t.st.Facts |= implied[topicID]
	answer := t.say("bot." + topicID + ".answer")
	if t.st.Facts&answerKnown[topicID] != 0 {
		answer = "" // what it explains, they have done already
	}
	if i := t.firstOpen(); t.st.Facts&(FactAdminUnavailable|FactAdminUnknown) != 0 && i >= 0 &&
		!slices.Contains([]string{"contact_admin", "hr_it"}, plans[topicID][i]) {
		// They can't reach the administrators the answer names ("can support
		// reset it? my admin is on holiday"): the next rung, said now.
		answer = joinText(answer, t.say("bot.escalate.last"))
	}
	return t.next(nil, joinText(prefix, answer))
}

// moveTo leaves step cur for another topic's plan, with the facts. Leaving
// a step where the password is set ("ok done, now the app won't let me in")
// for the app tells the reset was done, and on the web: the app has none.
func (t *turn) moveTo(cur *step, topic, prefix string) Reply {
	t.markGiven(cur.ID)
	if topic == MobileApp && slices.Contains([]string{"set_password", "sign_in_again", "fc_choose"}, cur.ID) {
		t.st.Facts |= FactResetDone | FactWebResetDone
	}
	return t.start(topic, prefix)
}

func (t *turn) markGiven(id string) {
	if !slices.Contains(t.st.Given, id) {
		t.st.Given = append(t.st.Given, id)
	}
}

// next gives the plan's next step: the first not given yet in this
// conversation, not done by what the person told us and not ruled out.
// When the plan is exhausted, it says so and ends.
func (t *turn) next(done *step, prefix string) Reply {
	if done != nil {
		t.markGiven(done.ID)
	}
	t.st.Confirm, t.st.Helped = false, false
	for _, id := range plans[t.st.Topic] {
		s := steps[id]
		if slices.Contains(t.st.Given, id) || !t.applies(s) {
			continue
		}
		t.markGiven(id)
		t.st.Node = id
		t.st.Step++
		if id == "open_forgot" && t.st.Topic == Lockout && t.told&FactWaited != 0 {
			// They say they waited, and it is locked again: the reset, and who
			// unlocks it if it locks again (PRODUCT.md: told to contact the
			// administrator). Not after the "Still not working" button, which
			// tells no wait.
			prefix = joinText(prefix, t.say("bot.lockout.again"))
		}
		return t.render(s, prefix, true)
	}
	t.st.Node = ""
	r := Reply{Topic: t.st.Topic, Text: joinText(prefix, t.say("bot.exhausted")), End: true, Escalated: true}
	r.Links = append(t.adminLinks(), t.links([]string{"article"})...)
	r.Options = []Option{{Label: t.say("bot.opt.start_over"), Value: optionValue(Fallback, "start")}}
	return r
}

// ladder skips the rest of the plan to the administrators, or past them to
// HR/payroll or IT when they cannot be reached.
func (t *turn) ladder(cur *step) Reply {
	t.markGiven(cur.ID)
	for _, id := range plans[t.st.Topic] {
		if id == "contact_admin" || id == "hr_it" {
			break
		}
		t.markGiven(id)
	}
	return t.next(nil, "")
}

// firstOpen is the plan index of the first step still to give, -1 for none.
func (t *turn) firstOpen() int {
	for i, id := range plans[t.st.Topic] {
		if !slices.Contains(t.st.Given, id) && t.applies(steps[id]) {
			return i
		}
	}
	return -1
}

// applies reports whether a step still has to be given.
func (t *turn) applies(s *step) bool {
	f := t.st.Facts
	if s.Needs != nil && !s.Needs(f, t.c) {
		return false
	}
	if f&s.DoneIf != 0 {
		return false
	}
	// Reset on their own before this conversation, and still failing: signing
	// in with the new password is what they tried.
	if s.ID == "sign_in_again" && f&FactResetDone != 0 && !slices.Contains(t.st.Given, "set_password") {
		return false
	}
	return true
}

// render builds the reply for a step: the step, its links and buttons.
func (t *turn) render(s *step, prefix string, shown bool) Reply {
	r := Reply{Topic: t.st.Topic, Node: s.ID, Escalated: s.Escalate, End: s.Escalate || s.ID == "hr_it"}
	text := t.say(s.Say)
	lead := ""
	switch {
	case s.Escalate:
		text = t.escalation()
		if t.st.Facts&FactAdminUnknown != 0 {
			text = joinText(text, t.say("bot.escalate.last"))
		}
		if t.st.Topic == TwoStep {
			text = joinText(t.say("bot.two_step.admin.say"), text)
		}
		if t.st.Facts&FactEmailWrong != 0 {
			text = joinText(t.say("bot.reset_email.wrong.step"), text)
		}
		r.Links = append(r.Links, t.adminLinks()...)
	case s.ID == "fc_choose":
		text = joinText(text, t.say("bot.force_change.expired.step"))
	case s.ID == "admin_open_profile" && !t.c.SignedIn && t.st.Facts&FactIsManager == 0:
		lead = t.say("bot.reset_other_user.if_manager")
	case s.ID == "no_permission_explain" && t.c.SignedIn && !t.c.CanResetOthers:
		lead, text = t.say("bot.no_permission.role.say"), t.say("bot.no_permission.role.step")
	case s.ID == "no_permission_explain" && t.c.SignedIn:
		lead, text = t.say("bot.no_permission.higher.say"), t.say("bot.no_permission.higher.step")
	}
	prefix = joinText(prefix, lead)
	if !shown {
		r.Text = prefix
	} else if s.Ask {
		r.Text = joinText(prefix, text)
	} else {
		r.Text = prefix
		if r.Text == "" {
			r.Text = t.say("bot.step_lead", "Step", t.st.Step)
		}
		r.Steps = []string{text}
	}
	r.Links = append(r.Links, t.links(s.Links)...)
	r.Options = t.options(s)
	return r
}

// options are a step's buttons; each names topic, step and act, so that it
// still works once the conversation moved on.
func (t *turn) options(s *step) []Option {
	v := func(act string) string { return optionValue(t.st.Topic, s.ID, act) }
	switch {
	case s.Ask:
		return []Option{{Label: t.say("bot.opt.yes"), Value: v(ActYes)}, {Label: t.say("bot.opt.no"), Value: v(ActNo)}}
	case s.Escalate:
		return []Option{{Label: t.say("bot.opt.cant_reach"), Value: v(ActStillFailing)},
			{Label: t.say("bot.opt.start_over"), Value: optionValue(Fallback, "start")}}
	case s.ID == "hr_it":
		return []Option{{Label: t.say("bot.opt.start_over"), Value: optionValue(Fallback, "start")}}
	}
	out := []Option{{Label: t.say("bot.opt.worked"), Value: v(ActWorked)}, {Label: t.say("bot.opt.still_failing"), Value: v(ActStillFailing)}}
	if s.Help != "" {
		out = append(out, Option{Label: t.say("bot.opt.cant_find"), Value: v(ActNotDone)})
	}
	return out
}

// escalation names the administrators: the ladder's first rung (the
// employer's HR/payroll or IT department is the next step, hr_it).
func (t *turn) escalation() string {
	text := t.say("bot.escalate")
	if t.st.Topic == NoPermission {
		// A manager without the permission asks for someone else: the
		// administrator resets that person's password or gives the role the
		// permission; "a temporary password for you" is not theirs to get.
		text = t.say("bot.escalate.for_someone")
	}
	if t.c.SignedIn && len(t.c.Administrators) > 0 {
		text = joinText(text, t.say("bot.admins"))
	}
	if !t.c.SignedIn && t.c.Links.AskHelp != "" {
		text = joinText(text, t.say("bot.escalate.ask_help"))
	}
	return text
}

// adminLinks are mailto links to the administrators a signed-in person may
// see, and to an address in the portal's configured contact.
func (t *turn) adminLinks() []Link {
	var out []Link
	if t.c.SignedIn {
		for _, a := range t.c.Administrators {
			if a.Email != "" {
				out = append(out, Link{Label: a.Name, URL: "mailto:" + a.Email})
			}
		}
	}
	for _, w := range strings.FieldsFunc(t.c.AdminContact, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' || r == '<' || r == '>'
	}) {
		if strings.Count(w, "@") == 1 && strings.Contains(w[strings.Index(w, "@"):], ".") {
			w = strings.TrimRight(w, ".")
			if !slices.ContainsFunc(out, func(l Link) bool { return l.URL == "mailto:"+w }) {
				out = append(out, Link{Label: w, URL: "mailto:" + w})
			}
		}
	}
	return out
}

func (t *turn) links(names []string) []Link {
	var out []Link
	for _, name := range names {
		url, key := t.linkFor(name)
		if url != "" {
			out = append(out, Link{Label: t.say(key), URL: url})
		}
	}
	return out
}

// linkFor maps a link name to the caller's URL. The employee list is only
// offered to signed-in users whose role can reset passwords.
func (t *turn) linkFor(name string) (url, key string) {
	c := t.c
	switch name {
	case "forgot":
		return c.Links.ForgotPassword, "bot.link.forgot"
	case "signin":
		return c.Links.SignIn, "bot.link.signin"
	case "employees":
		if c.SignedIn && c.CanResetOthers {
			return c.Links.Employees, "bot.link.employees"
		}
	case "account":
		if c.SignedIn {
			return c.Links.Account, "bot.link.account"
		}
	case "article":
		return c.Links.Article, "bot.link.article"
	case "ask_help":
		if !c.SignedIn {
			return c.Links.AskHelp, "bot.link.ask_help"
		}
	case "mobile":
		return c.Links.Mobile, "bot.link.mobile"
	}
	return "", ""
}

func joinText(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
