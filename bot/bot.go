// Package bot is Watchpost's help assistant: a deterministic, local,
// rule-based guide that recognises what people write about signing in and
// walks them through the documented fix one step at a time, ending with the
// portal administrator's contact.
//
// The knowledge (words, evidence per topic, flows and wording) lives in
// knowledge.go; this file holds the public API and the conversation engine.
package bot

import (
	"fmt"
	"slices"
	"strings"
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
	Fallback       = "fallback"
)

// Option is a button offered with a reply. Value is what the caller sends
// back as Input.Choice when it is pressed.
type Option struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Link points to a real screen of the portal.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Context is what the caller knows about who is asking. Anonymous users
// never learn anything about any account.
type Context struct {
	PortalName     string   // "" when no portal is known
	AdminContact   string   // the portal's configured administrator contact text; "" gives generic wording
	SignedIn       bool     // the asker is signed in to the portal
	Role           string   // "" when anonymous; e.g. "Administrator", "Manager", "Account Manager", "Employee"
	CanResetOthers bool     // the signed-in user's role has the reset-password permission
	Administrators []string // display names of the portal's administrators; only used for signed-in users
	Links          Links
}

// Links are the portal screens answers may point to; "" means not available.
type Links struct {
	ForgotPassword, SignIn, Employees, Account, Article, Mobile string
}

// State is the conversation state the caller persists between messages. It
// is small and JSON-serialisable; the zero value is a new conversation.
type State struct {
	Topic string `json:"topic"`
	// Step counts the steps shown so far in this topic (1 = the first).
	Step int `json:"step"`
	// Node is the id of the current point in the topic's flow.
	Node string `json:"node,omitempty"`
}

// Input is one message from the user.
type Input struct {
	Text   string // free text, may be empty when Choice is set
	Choice string // an Option.Value the user pressed
	Topic  string // start on this topic (e.g. opened from an error page), may be empty
}

// Reply is the assistant's answer for one turn.
type Reply struct {
	Topic string `json:"topic"`
	Text  string `json:"text"` // the answer for this turn
	// Steps holds the step shown this turn (just the current one; empty for
	// questions and escalations), so a caller can render it as an action.
	Steps     []string `json:"steps,omitempty"`
	Options   []Option `json:"options,omitempty"`
	Links     []Link   `json:"links,omitempty"`
	Escalated bool     `json:"escalated,omitempty"` // this turn is the escalation to the administrator
	Sensitive bool     `json:"sensitive,omitempty"` // the input looked like it contains a password: never store its text
}

// Engine answers messages. It is immutable after New and safe for
// concurrent use.
type Engine struct {
	lx     *lexicon
	g      *grammar
	topics map[string]*topic
}

// minScore is the evidence a topic needs to beat fallback.
const minScore = 2.0

// switchScore is the evidence a message in the middle of a flow needs to
// move the conversation to another topic.
const switchScore = 3.0

// shortAnswer and genericAnswer are the most words a message can have and
// still be read as a reply to the current step rather than a new question,
// for specific replies ("I'm on the app") and generic ones ("yes").
const (
	shortAnswer   = 6
	genericAnswer = 3
)

// New compiles the knowledge. It panics on a malformed rule, which a test
// catches: the knowledge is part of the program.
func New() *Engine {
	e, err := compile()
	if err != nil {
		panic(err)
	}
	return e
}

func compile() (*Engine, error) {
	lx := newLexicon()
	g := newGrammar(lx)
	for _, c := range concepts {
		g.concept(c.name, c.phrases)
	}
	for _, id := range Topics() {
		for _, r := range topicRules[id] {
			if err := g.compile(id, r.src, r.weight); err != nil {
				return nil, err
			}
		}
	}
	for kind, rules := range answerRules {
		for _, r := range rules {
			if err := g.compile(answerKey(kind), r.src, r.weight); err != nil {
				return nil, err
			}
		}
	}
	e := &Engine{lx: lx, g: g, topics: map[string]*topic{}}
	for i := range topics {
		e.topics[topics[i].ID] = &topics[i]
	}
	return e, e.check()
}

// check verifies that every button leads somewhere.
func (e *Engine) check() error {
	for _, t := range topics {
		for _, n := range t.Nodes {
			targets := []string{}
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

func answerKey(kind string) string { return "answer:" + kind }

// Topics returns every topic id, fallback last.
func Topics() []string {
	ids := make([]string, 0, len(topics))
	for _, t := range topics {
		ids = append(ids, t.ID)
	}
	return ids
}

// Title returns a topic's human title, or "" for an unknown id.
func Title(id string) string {
	for _, t := range topics {
		if t.ID == id {
			return t.Title
		}
	}
	return ""
}

// Classify returns the topic a message is about and a confidence in [0, 1]:
// for a topic, how far its evidence is ahead of the runner-up; for
// fallback, how far the best topic is below the threshold.
func (e *Engine) Classify(text string) (string, float64) {
	c := e.classify(e.g.find(e.lx.analyse(text)))
	return c.topic, c.confidence
}

type classification struct {
	topic      string
	score      float64
	confidence float64
}

func (e *Engine) classify(h hits) classification {
	best, second := classification{topic: Fallback}, 0.0
	for _, id := range Topics() {
		s := e.g.score(id, h)
		if s > best.score {
			best.topic, second, best.score = id, best.score, s
		} else if s > second {
			second = s
		}
	}
	if best.score < minScore {
		return classification{topic: Fallback, score: best.score, confidence: clamp(1 - best.score/minScore)}
	}
	best.confidence = clamp(best.score / (best.score + second + 1))
	return best
}

func clamp(x float64) float64 { return max(0, min(1, x)) }

// answerKinds lists the kinds of reply ("done", "didn't work", "app", ...)
// a message contains.
func (e *Engine) answerKinds(h hits) []string {
	var kinds []string
	for _, k := range answerOrder {
		if e.g.score(answerKey(k), h) > 0 {
			kinds = append(kinds, k)
		}
	}
	if slices.Contains(kinds, kindFail) {
		kinds = slices.DeleteFunc(kinds, func(k string) bool { return k == kindNext || k == kindYes })
	}
	return kinds
}

// Respond answers one message and returns the new state. It never panics:
// unknown topics, nodes and choices fall back to sensible answers.
func (e *Engine) Respond(st State, in Input, c Context) (Reply, State) {
	sensitive := LooksLikeSecret(in.Text)
	r, next := e.respond(st, in, c, sensitive)
	if sensitive {
		r.Sensitive = true
		r.Text = joinText(secretWarning, r.Text)
	}
	return r, next
}

func (e *Engine) respond(st State, in Input, c Context, sensitive bool) (Reply, State) {
	if t, n, ok := e.resolve(st.Topic, in.Choice); ok && in.Choice != "" {
		return e.enter(st, t, n, c, "")
	}
	if _, ok := e.topics[in.Topic]; ok && strings.TrimSpace(in.Text) == "" {
		return e.start(State{}, in.Topic, c, "")
	}
	text := in.Text
	if text == "" {
		text = in.Choice
	}
	m := e.lx.analyse(text)
	h := e.g.find(m)
	cur, inFlow := e.current(st)
	if !inFlow {
		return e.fresh(st, h, in, c)
	}
	return e.continueFlow(st, cur, h, len(m.stems), c, sensitive)
}

// fresh handles a message outside any flow.
func (e *Engine) fresh(st State, h hits, in Input, c Context) (Reply, State) {
	cl := e.classify(h)
	if cl.topic == Fallback {
		if _, ok := e.topics[in.Topic]; ok {
			return e.start(st, in.Topic, c, "")
		}
	}
	return e.start(st, cl.topic, c, e.smallTalk(h))
}

// continueFlow handles free text while a flow is under way: a short reply
// answers the current step, a message that clearly names another topic
// switches to it. A message that only carried a password is not "not
// understood": the warning is the answer.
func (e *Engine) continueFlow(st State, cur *node, h hits, words int, c Context, sensitive bool) (Reply, State) {
	cl := e.classify(h)
	opt := pickOption(cur.Options, e.answerKinds(h))
	switch {
	case cl.topic != Fallback && cl.topic != st.Topic && cl.score >= switchScore && !isAnswer(opt, words):
		return e.start(st, cl.topic, c, "")
	case opt != nil:
		t, n, _ := e.resolve(st.Topic, opt.To)
		return e.enter(st, t, n, c, "")
	case cl.topic != Fallback && cl.topic != st.Topic:
		return e.start(st, cl.topic, c, "")
	}
	prefix := e.smallTalk(h)
	if prefix == "" && cl.topic == Fallback && !sensitive {
		prefix = notUnderstood
	}
	r, _ := e.render(st.Topic, cur, c)
	r.Text = joinText(prefix, r.Text)
	return r, st
}

// smallTalk answers a greeting or thanks alongside the real answer.
func (e *Engine) smallTalk(h hits) string {
	switch {
	case len(h[e.g.names["thanks"]]) > 0:
		return thanksText
	case len(h[e.g.names["greeting"]]) > 0:
		return greetingText
	}
	return ""
}

// isAnswer reports whether a message with a strong other topic is still
// best read as a reply: a short one naming a specific answer ("on my
// phone, still failing"), or a very short generic one ("yes I am").
func isAnswer(opt *choice, words int) bool {
	if opt == nil {
		return false
	}
	switch opt.Kind {
	case kindYes, kindNo, kindNext:
		return words <= genericAnswer
	}
	return words <= shortAnswer
}

func pickOption(opts []choice, kinds []string) *choice {
	for _, k := range kinds {
		for i := range opts {
			if opts[i].Kind == k {
				return &opts[i]
			}
		}
	}
	return nil
}

// current returns the node the conversation is at, if it is valid.
func (e *Engine) current(st State) (*node, bool) {
	if st.Topic == "" || st.Node == "" {
		return nil, false
	}
	_, n, ok := e.resolve(st.Topic, st.Node)
	return n, ok
}

// resolve finds a target written "node" (in topic) or "topic/node".
func (e *Engine) resolve(topicID, target string) (string, *node, bool) {
	if t, n, ok := strings.Cut(target, "/"); ok {
		topicID, target = t, n
	}
	t, ok := e.topics[topicID]
	if !ok {
		return "", nil, false
	}
	switch target {
	case escalateNode.ID:
		return topicID, &escalateNode, true
	case solvedNode.ID:
		return topicID, &solvedNode, true
	}
	for i := range t.Nodes {
		if t.Nodes[i].ID == target {
			return topicID, &t.Nodes[i], true
		}
	}
	return "", nil, false
}

// start opens a topic at its first node, with the topic's short answer.
func (e *Engine) start(_ State, topicID string, c Context, prefix string) (Reply, State) {
	_, n, _ := e.resolve(topicID, "start")
	st := State{Topic: topicID}
	return e.enter(st, topicID, n, c, joinText(prefix, e.topics[topicID].Answer))
}

// enter moves to a node (following its routes for this asker) and renders it.
func (e *Engine) enter(st State, topicID string, n *node, c Context, prefix string) (Reply, State) {
	for range 5 { // routes never chain deeper; the bound only guards the data
		to, ok := n.route(c)
		if !ok {
			break
		}
		next, nn, _ := e.resolve(topicID, to)
		if next != topicID {
			prefix = joinText(prefix, fill(e.topics[next].Answer, c))
		}
		topicID, n = next, nn
	}
	if topicID != st.Topic {
		st = State{Topic: topicID}
	}
	r, shown := e.render(topicID, n, c)
	st.Node = n.ID
	if shown {
		st.Step++
	}
	if r.Text == "" && prefix == "" && shown {
		r.Text = fmt.Sprintf(stepLead, st.Step)
	}
	r.Text = joinText(fill(prefix, c), r.Text)
	return r, st
}

// render builds the reply for a node; shown reports whether a step was shown.
func (e *Engine) render(topicID string, n *node, c Context) (Reply, bool) {
	r := Reply{Topic: topicID, Text: fill(n.Say, c), Escalated: n.Escalate}
	if n.Step != "" {
		r.Steps = []string{fill(n.Step, c)}
	}
	if n.Escalate {
		r.Text = joinText(r.Text, escalation(c))
	}
	for _, o := range n.Options {
		r.Options = append(r.Options, Option{Label: o.Label, Value: qualify(topicID, o.To)})
	}
	r.Links = links(n.Links, c)
	return r, n.Step != ""
}

// qualify makes a button value self-contained so that a press still works
// if the caller's state is stale.
func qualify(topicID, to string) string {
	if strings.Contains(to, "/") {
		return to
	}
	return topicID + "/" + to
}

// escalation is the administrator contact text for this asker.
func escalation(c Context) string {
	text := fill(escalateText, c)
	if c.SignedIn && len(c.Administrators) > 0 {
		text = joinText(text, fill(adminsText, c))
	}
	return text
}

// fill replaces the placeholders of knowledge text. Account-specific values
// ({role}, {admins}) are only given to signed-in users.
func fill(s string, c Context) string {
	if !strings.Contains(s, "{") {
		return s
	}
	admin := genericAdmin
	if contact := strings.TrimSpace(c.AdminContact); contact != "" {
		admin = fmt.Sprintf(configuredAdmin, contact)
	}
	portal := strings.TrimSpace(c.PortalName)
	if portal == "" {
		portal = defaultPortal
	}
	role, admins := "your role", "your portal's administrators"
	if c.SignedIn {
		if c.Role != "" {
			role = c.Role
		}
		if len(c.Administrators) > 0 {
			admins = strings.Join(c.Administrators, ", ")
		}
	}
	return strings.NewReplacer("{admin}", admin, "{portal}", portal, "{role}", role, "{admins}", admins).Replace(s)
}

func links(names []string, c Context) []Link {
	var out []Link
	for _, name := range names {
		url, label := linkFor(name, c)
		if url != "" {
			out = append(out, Link{Label: label, URL: url})
		}
	}
	return out
}

// linkFor maps a knowledge link name to the caller's URL. The employee list
// is only offered to signed-in users whose role can reset passwords.
func linkFor(name string, c Context) (url, label string) {
	switch name {
	case "forgot":
		return c.Links.ForgotPassword, "Forgot password?"
	case "signin":
		return c.Links.SignIn, "Sign in"
	case "employees":
		if c.SignedIn && c.CanResetOthers {
			return c.Links.Employees, "Employees"
		}
	case "account":
		if c.SignedIn {
			return c.Links.Account, "My account"
		}
	case "article":
		return c.Links.Article, "Password help article"
	case "mobile":
		return c.Links.Mobile, "Mobile app"
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
