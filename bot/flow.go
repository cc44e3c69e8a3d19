package bot

// topic is one conversation flow. The first turn shows the topic's answer
// (bot.<id>.answer) and the node "start".
type topic struct {
	ID    string
	Nodes []node
}

// node is one point of a flow: a clarifying question (Say and Options) or a
// documented step (Step), with buttons to go on. Say and Step are message ids.
type node struct {
	ID       string
	Say      string   // said this turn, before the step; a question when there is no Step
	Step     string   // the step to carry out
	Links    []string // names of the Context links to attach (see linkFor)
	Options  []choice
	Route    []route // checked on entry: the first matching condition redirects
	Escalate bool    // this node hands over to the administrator contact
}

// choice is a button: Label is a message id; To is a node of this topic,
// "topic/node", or one of the shared nodes "escalate" and "solved". Kind
// lets a typed reply press it ("still failing" presses the "fail" button);
// "a|b" accepts either kind.
type choice struct {
	Label string
	To    string
	Kind  string
}

// route redirects a node for some askers, e.g. an Account Manager asking to
// reset someone's password goes straight to the permission explanation, and
// someone who already reset on the web is not asked again.
type route struct {
	If string
	To string
}

// Kinds of typed replies to a step.
const (
	kindNext     = "next"
	kindFail     = "fail"
	kindApp      = "app"
	kindWeb      = "web"
	kindYes      = "yes"
	kindNo       = "no"
	kindAdmin    = "admin"
	kindThanks   = "thanks"
	kindGreeting = "greeting"
)

// Conditions a route can test: the asker's permissions, or facts the
// person told us earlier in the conversation.
const (
	condCanReset    = "can_reset"    // signed in with the reset-password permission
	condCannotReset = "cannot_reset" // signed in without it
	factResetWeb    = "fact:reset_web"
	factOnApp       = "fact:on_app"
	factRestarted   = "fact:restarted"
	factReinstalled = "fact:reinstalled"
	factManager     = "fact:manager"
)

// route returns where this node sends the asker, if anywhere.
func (n *node) route(c Context, f Facts) (string, bool) {
	for _, r := range n.Route {
		if holds(r.If, c, f) {
			return r.To, true
		}
	}
	return "", false
}

func holds(cond string, c Context, f Facts) bool {
	switch cond {
	case condCanReset:
		return c.SignedIn && c.CanResetOthers
	case condCannotReset:
		return c.SignedIn && !c.CanResetOthers
	case factResetWeb:
		return f&ResetOnWeb != 0
	case factOnApp:
		return f&OnApp != 0
	case factRestarted:
		return f&RestartedApp != 0
	case factReinstalled:
		return f&ReinstalledApp != 0
	case factManager:
		return f&IsManager != 0 && !c.SignedIn
	}
	return false
}
