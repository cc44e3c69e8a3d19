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
}

// State is the conversation state the caller persists between messages. It
// is small and JSON-serialisable, holds nothing the person typed, and the
// zero value is a new conversation.
type State struct {
	Topic string `json:"topic"`
	Step  int    `json:"step"` // steps shown so far in this topic
	Node  string `json:"node,omitempty"`
	Lang  string `json:"lang,omitempty"`  // the language the person writes in, once clear
	Facts Facts  `json:"facts,omitempty"` // what the person already told us
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
}

// Engine answers messages. It is immutable after New and safe for
// concurrent use.
type Engine struct {
	rc     *recogniser
	models *models
	topics map[string]*topic
}

// switchConfidence is how sure the recogniser must be before a message in
// the middle of a flow moves the conversation to another topic.
const switchConfidence = 0.6

// shortReply is the most words a message can have and still be read as an
// answer to the current step when it also reads as another topic; a report
// of progress ("done, I reset my password on the site") may be longer.
const (
	shortReply  = 6
	progressLen = 12
)

func answerLength(opt *choice) int {
	if k := strings.Split(opt.Kind, "|"); slices.Contains(k, kindNext) || slices.Contains(k, kindFail) {
		return progressLen
	}
	return shortReply
}

// New loads the models trained ahead of time (model.bin, see modelfile.go)
// and checks the flows. It panics on a malformed model or flow, which the
// tests catch: both are part of the program.
func New() *Engine {
	e, err := Load()
	if err != nil {
		panic(err)
	}
	return e
}

// Load builds the engine from the embedded model file.
func Load() (*Engine, error) {
	ms, err := decodeModels(modelFile)
	if err != nil {
		return nil, err
	}
	return compile(ms)
}

func compile(ms *models) (*Engine, error) {
	rc := &recogniser{topics: ms.topics, langs: ms.langs, dec: defaultDecision}
	e := &Engine{rc: rc, models: ms, topics: map[string]*topic{}}
	for i := range topics {
		e.topics[topics[i].ID] = &topics[i]
	}
	return e, e.check()
}

// check verifies that every button and route leads somewhere.
func (e *Engine) check() error {
	for _, t := range topics {
		for _, n := range t.Nodes {
			var targets []string
			for _, o := range n.Options {
				targets = append(targets, o.To)
			}
			for _, r := range n.Route {
				targets = append(targets, r.To)
			}
			for _, to := range targets {
				if _, _, ok := e.resolve(t.ID, to); !ok {
					return fmt.Errorf("topic %s node %s: unknown target %q", t.ID, n.ID, to)
				}
			}
		}
	}
	return nil
}

// Topics returns every topic id, fallback last.
func Topics() []string {
	ids := make([]string, 0, len(topics))
	for _, t := range topics {
		ids = append(ids, t.ID)
	}
	return ids
}

// Title returns a topic's English title, or "" for an unknown id.
func Title(id string) string { return TitleIn(i18n.English, id) }

// TitleIn returns a topic's title in a language, or "" for an unknown id.
func TitleIn(l i18n.Lang, id string) string {
	if !slices.Contains(Topics(), id) {
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

// Respond answers one message and returns the new state. It never panics:
// unknown topics, nodes and choices fall back to sensible answers.
func (e *Engine) Respond(st State, in Input, c Context) (Reply, State) {
	sensitive := LooksLikeSecret(in.Text)
	t := turn{e: e, c: c, st: st, sensitive: sensitive}
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
}

func (t *turn) respond(in Input) Reply {
	if tp, n, ok := t.e.resolve(t.st.Topic, in.Choice); ok && in.Choice != "" {
		return t.enter(tp, n, "")
	}
	if _, ok := t.e.topics[in.Topic]; ok && strings.TrimSpace(in.Text) == "" {
		return t.start(in.Topic, "")
	}
	toks := tokens(redactSecrets(cmpOr(in.Text, in.Choice)))
	rec := t.e.rc.recogniseTokens(toks)
	if rec.LangSure {
		t.st.Lang = rec.Lang
	}
	t.st.Facts |= factsIn(toks)
	cur, inFlow := t.current()
	var r Reply
	if inFlow {
		r = t.continueFlow(cur, toks, rec)
	} else {
		r = t.fresh(in, toks, rec)
	}
	r.Why = &rec
	return r
}

// fresh handles a message outside any flow.
func (t *turn) fresh(in Input, toks []string, rec Recognition) Reply {
	switch {
	case rec.Topic == Fallback && t.e.topics[in.Topic] != nil:
		return t.start(in.Topic, "")
	case rec.Topic == Fallback && rec.OffTopic:
		r := t.start(Fallback, "")
		r.Text = joinText(t.say("bot.off_topic"), t.say("bot.fallback.start.say"))
		return r
	case rec.Runner != "" && t.c.SignedIn && slices.Contains([]string{rec.Topic, rec.Runner}, ResetOtherUser):
		// Signed in, they are not locked out of their own account: it is about someone else's.
		return t.start(ResetOtherUser, "")
	case rec.Runner != "":
		return t.askWhich(rec.Topic, rec.Runner)
	}
	return t.start(rec.Topic, t.smallTalk(replyKinds(toks)))
}

// askWhich offers two close topics as buttons.
func (t *turn) askWhich(a, b string) Reply {
	t.st = State{Lang: t.st.Lang, Facts: t.st.Facts}
	r := Reply{Topic: Fallback, Text: t.say("bot.ask_which")}
	for _, id := range []string{a, b} {
		r.Options = append(r.Options, Option{Label: TitleIn(t.lang(), id), Value: id + "/start"})
	}
	return r
}

// continueFlow handles free text while a flow is under way: a reply to the
// current step moves it on; a message that clearly names another topic
// switches to it, cleanly; anything else repeats the step.
func (t *turn) continueFlow(cur *node, toks []string, rec Recognition) Reply {
	kinds := replyKinds(toks)
	opt := pickOption(cur.Options, kinds)
	other := rec.Topic != Fallback && rec.Topic != t.st.Topic
	switch {
	case other && rec.Confidence >= switchConfidence && (opt == nil || wordCount(toks) > answerLength(opt)):
		return t.start(rec.Topic, "")
	case opt != nil:
		tp, n, _ := t.e.resolve(t.st.Topic, opt.To)
		return t.enter(tp, n, "")
	case other && rec.Runner == "":
		return t.start(rec.Topic, "")
	}
	prefix := t.smallTalk(kinds)
	if prefix == "" && !t.sensitive {
		prefix = t.say("bot.not_understood")
	}
	r, _ := t.render(t.st.Topic, cur)
	r.Text = joinText(prefix, r.Text)
	return r
}

func (t *turn) smallTalk(k []string) string {
	switch {
	case slices.Contains(k, kindThanks):
		return t.say("bot.thanks")
	case slices.Contains(k, kindGreeting):
		return t.say("bot.greeting")
	}
	return ""
}

func pickOption(opts []choice, kinds []string) *choice {
	for _, k := range kinds {
		for i := range opts {
			if slices.Contains(strings.Split(opts[i].Kind, "|"), k) {
				return &opts[i]
			}
		}
	}
	return nil
}

// current returns the node the conversation is at, if it is valid.
func (t *turn) current() (*node, bool) {
	if t.st.Topic == "" || t.st.Node == "" {
		return nil, false
	}
	_, n, ok := t.e.resolve(t.st.Topic, t.st.Node)
	return n, ok
}

// resolve finds a target written "node" (in topic) or "topic/node".
func (e *Engine) resolve(topicID, target string) (string, *node, bool) {
	if tp, n, ok := strings.Cut(target, "/"); ok {
		topicID, target = tp, n
	}
	tp, ok := e.topics[topicID]
	if !ok {
		return "", nil, false
	}
	switch target {
	case escalateNode.ID:
		return topicID, &escalateNode, true
	case solvedNode.ID:
		return topicID, &solvedNode, true
	}
	for i := range tp.Nodes {
		if tp.Nodes[i].ID == target {
			return topicID, &tp.Nodes[i], true
		}
	}
	return "", nil, false
}

// start opens a topic at its first node, with the topic's short answer.
func (t *turn) start(topicID, prefix string) Reply {
	_, n, _ := t.e.resolve(topicID, "start")
	t.st = State{Topic: topicID, Lang: t.st.Lang, Facts: t.st.Facts}
	return t.enter(topicID, n, joinText(prefix, t.say("bot."+topicID+".answer")))
}

// enter moves to a node (following its routes for this asker) and renders it.
func (t *turn) enter(topicID string, n *node, prefix string) Reply {
	for range 5 { // routes never chain deeper; the bound only guards the data
		to, ok := n.route(t.c, t.st.Facts)
		if !ok {
			break
		}
		next, nn, _ := t.e.resolve(topicID, to)
		if next != topicID {
			prefix = joinText(prefix, t.say("bot."+next+".answer"))
		}
		topicID, n = next, nn
	}
	if topicID != t.st.Topic {
		t.st = State{Topic: topicID, Lang: t.st.Lang, Facts: t.st.Facts}
	}
	r, shown := t.render(topicID, n)
	t.st.Node = n.ID
	if shown {
		t.st.Step++
	}
	if r.Text == "" && prefix == "" && shown {
		r.Text = t.say("bot.step_lead", "Step", t.st.Step)
	}
	r.Text = joinText(prefix, r.Text)
	return r
}

// render builds the reply for a node; shown reports whether a step was shown.
func (t *turn) render(topicID string, n *node) (Reply, bool) {
	r := Reply{Topic: topicID, Escalated: n.Escalate, End: n.Escalate || n.ID == solvedNode.ID}
	if n.Say != "" {
		r.Text = t.say(n.Say)
	}
	if n.Step != "" {
		r.Steps = []string{t.say(n.Step)}
	}
	if n.Escalate {
		r.Text = joinText(r.Text, t.escalation())
		r.Links = append(r.Links, t.adminLinks()...)
	}
	for _, o := range n.Options {
		r.Options = append(r.Options, Option{Label: t.say(o.Label), Value: qualify(topicID, o.To)})
	}
	r.Links = append(r.Links, t.links(n.Links)...)
	return r, n.Step != ""
}

// qualify makes a button value self-contained so that a press still works
// when the caller's state has moved on.
func qualify(topicID, to string) string {
	if strings.Contains(to, "/") {
		return to
	}
	return topicID + "/" + to
}

// escalation names the administrators, and the employer's HR/payroll or IT
// department last, as the documented guidance says.
func (t *turn) escalation() string {
	text := t.say("bot.escalate")
	if t.c.SignedIn && len(t.c.Administrators) > 0 {
		text = joinText(text, t.say("bot.admins"))
	}
	return joinText(text, t.say("bot.escalate.last"))
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
	case "mobile":
		return c.Links.Mobile, "bot.link.mobile"
	}
	return "", ""
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
