package bot

import (
	"testing"

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

// press presses the reply's button with this label.
func press(t *testing.T, st State, r Reply, label string, c Context) (Reply, State) {
	t.Helper()
	for _, o := range r.Options {
		if o.Label == label {
			return engine.Respond(st, Input{Choice: o.Value}, c)
		}
	}
	require.Failf(t, "no such button", "%q among %v", label, r.Options)
	return Reply{}, st
}
