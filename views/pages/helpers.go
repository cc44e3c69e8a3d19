package pages

import (
	"strings"

	"github.com/watchpost/watchpost/domain"
)

func mailLines(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(body), "\n\n") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func isLink(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func pageURL(portal, query string, page int) string {
	return domain.EmployeesSearchPath(portal, query, page)
}

var eventLabels = map[string]string{
	domain.EventSignIn: "Signed in", domain.EventSignInFailed: "Sign-in failed", domain.EventLocked: "Sign-in locked",
	domain.EventUnlocked: "Unlocked", domain.EventResetRequested: "Reset link sent", domain.EventResetCompleted: "Password reset",
	domain.EventPasswordChanged: "Password changed", domain.EventSessionsRevoked: "Signed out everywhere",
	domain.EventSignOut: "Signed out", domain.EventProfileCreated: "Profile created", domain.EventEmailChanged: "E-mail changed",
	domain.EventDisabled: "Account disabled", domain.EventEnabled: "Account enabled", domain.EventRoleChanged: "Role permissions changed", domain.EventRoleAssigned: "Role changed",
	domain.EventPolicyChanged: "Policy changed", domain.EventPasswordRehashed: "Password hash upgraded",
}

func eventLabel(t string) string {
	if l, ok := eventLabels[t]; ok {
		return l
	}
	return t
}
