package bot

// rule is one weighted pattern of evidence (see knowledge.go for the syntax).
type rule struct {
	src    string
	weight float64
}

// topic is one conversation flow. The first turn shows Answer and the node
// "start".
type topic struct {
	ID     string
	Title  string
	Answer string
	Nodes  []node
}

// node is one point of a flow: a clarifying question (Say and Options) or a
// documented step (Step), with buttons to go on.
type node struct {
	ID       string
	Say      string   // said this turn, before the step; a question when there is no Step
	Step     string   // the step to carry out
	Links    []string // names of the Context links to attach (see linkFor)
	Options  []choice
	Route    []route // checked on entry: the first matching condition redirects
	Escalate bool    // this node hands over to the administrator contact
}

// choice is a button: To is a node of this topic, "topic/node", or one of
// the shared nodes "escalate" and "solved". Kind lets a typed reply
// ("didn't work", "I'm on my phone") press it.
type choice struct {
	Label string
	To    string
	Kind  string
}

// route redirects a node for some askers, e.g. an Account Manager asking to
// reset someone's password goes straight to the permission explanation.
type route struct {
	If string
	To string
}

// Kinds of typed replies to a step.
const (
	kindNext  = "next"
	kindFail  = "fail"
	kindApp   = "app"
	kindWeb   = "web"
	kindYes   = "yes"
	kindNo    = "no"
	kindAdmin = "admin"
)

// Conditions a route can test.
const (
	condCanReset    = "can_reset"    // signed in with the reset-password permission
	condCannotReset = "cannot_reset" // signed in without it
)

// route returns where this node sends the asker, if anywhere.
func (n *node) route(c Context) (string, bool) {
	for _, r := range n.Route {
		if holds(r.If, c) {
			return r.To, true
		}
	}
	return "", false
}

func holds(cond string, c Context) bool {
	switch cond {
	case condCanReset:
		return c.SignedIn && c.CanResetOthers
	case condCannotReset:
		return c.SignedIn && !c.CanResetOthers
	}
	return false
}
